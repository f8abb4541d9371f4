import CordonBPF
import CordonLinux
import CordonPolicy

/// What the accumulator holds: unknown, a word of seccomp_data under a
/// mask, or a normalized field's scratch memory cell (`NormalizedFields`).
enum Accumulator: Hashable {
    case unknown
    case word(offset: UInt32, mask: UInt32)
    case cell(UInt32)
}

/// What a path knows when it reaches a node: what A holds, and what the
/// tests it passed or failed say of whole 32-bit words.
struct PathState: Hashable {
    var a: Accumulator
    var known = WordFacts()
    /// The scratch memory cells that hold their normalized field (bit N: cell N).
    var cells: UInt8 = 0

    /// Whether the path knows anything a test could use but the accumulator.
    var knowsMore: Bool { !known.isEmpty || cells != 0 }

    /// What the path knows, forgotten but the accumulator's word: always
    /// sound (facts only decide tests; a forgotten cell is normalized again).
    var forgetting: PathState {
        var s = PathState(a: a)
        if case .cell = a { s.a = .unknown }
        return s
    }
}

/// Compiles residual decision logic (after specialization) into the node
/// graph: conditions with short-circuit jumps, 64-bit comparisons as
/// high/low pairs that skip a word when it cannot matter, `JSET` for bit
/// and zero tests, and no reload of a word the accumulator already holds
/// (every continuation is built per accumulator state and memoized).
struct ResidualCompiler {
    var graph = NodeGraph()
    private var statementMemo: [StatementsKey: NodeGraph.ID] = [:]
    /// The statement lists compiled, interned.
    private var chains = StatementChains()
    /// What a block that falls through gets (a checked block never does).
    let fallthroughValue: UInt32
    /// The architecture of the block being compiled: its byte order places
    /// the words of 64-bit fields. Set before each block's code is built.
    var arch: Arch = .x86_64
    /// Whether paths learn facts from whole-word equality tests (`WordFacts`).
    /// Off, each test is compiled where it stands: longer paths, but no copy
    /// of the rest of a chain per combination of facts (the smaller program
    /// for long chains of 64-bit equality rules; `OptimizingBackend` compiles
    /// both ways when the first is large and keeps the smaller).
    var learnsFacts = true
    /// The 64-bit fields of the residual being compiled that are kept in
    /// scratch memory (none unless `OptimizingBackend` asks for them).
    var normalized = NormalizedFields()
    /// Whether `OptimizingBackend` plans normalized fields for each residual.
    var normalizesFields = false
    /// The scratch memory cells the code stores normalized fields in (bit N: cell N).
    private(set) var usedCells: UInt8 = 0

    private struct StatementsKey: Hashable {
        let chain: StatementChains.ID
        let state: PathState
        /// Equal statements load other offsets on a big-endian architecture.
        let littleEndian: Bool
        let normalized: NormalizedFields
    }

    init(fallthroughValue: UInt32) {
        self.fallthroughValue = fallthroughValue
    }

    /// The node that runs `statements` with A holding `state`.
    mutating func statements(_ list: [Statement], _ state: Accumulator) -> NodeGraph.ID {
        run(chains.chain(list), PathState(a: state))
    }

    /// How many states with facts each chain is compiled for; past
    /// `factStatesPerChain` the facts are dropped (always sound: they only
    /// decide tests), so chains of `&&` rules cannot multiply the work.
    private var factStates: [StatementChains.ID: Int] = [:]
    static let factStatesPerChain = 8

    /// The node that runs chain `chain` with A holding `state`.
    private mutating func run(_ chain: StatementChains.ID, _ entry: PathState) -> NodeGraph.ID {
        var state = entry
        if state.knowsMore {
            let seen = factStates[chain, default: 0]
            if seen >= Self.factStatesPerChain {
                state = state.forgetting
            } else if statementMemo[StatementsKey(chain: chain, state: state, littleEndian: arch.isLittleEndian, normalized: normalized)] == nil {
                factStates[chain] = seen + 1
            }
        }
        let key = StatementsKey(chain: chain, state: state, littleEndian: arch.isLittleEndian, normalized: normalized)
        if let id = statementMemo[key] { return id }
        let id: NodeGraph.ID
        switch chains.split(chain) {
        case nil:
            id = graph.ret(fallthroughValue, note: nil)
        case (.ret(let action, let location), _)?:
            id = graph.ret(action.rawValue, note: noteText(location))
        case (.branch(let c, let t, let e, _), let rest)?:
            let thenChain = chains.append(t, rest), elseChain = chains.append(e, rest)
            id = condition(c, state, onTrue: { me, s in me.run(thenChain, s) }, onFalse: { me, s in me.run(elseChain, s) })
        }
        statementMemo[key] = id
        return id
    }

    typealias Continuation = (inout ResidualCompiler, PathState) -> NodeGraph.ID

    /// A continuation that builds its code once per accumulator state. A
    /// 64-bit test reaches its failure continuation from two states (after
    /// the high and after the low word); without this, each link of an
    /// `||` chain would build the rest of the chain twice: 2^n.
    private final class Memo {
        let build: Continuation
        var built: [PathState: NodeGraph.ID] = [:]
        init(_ build: @escaping Continuation) { self.build = build }
    }

    static func memoized(_ continuation: @escaping Continuation) -> Continuation {
        let memo = Memo(continuation)
        return { compiler, entry in
            // A continuation reached with many different facts (the success
            // side of an `||` chain of thousands of values learns a different
            // value at each) builds with the facts dropped past a few: always
            // sound, and it keeps each link of the chain from building anew
            // for every state below it, which was quadratic.
            var state = entry
            if state.knowsMore && memo.built.count >= factStatesPerChain { state = state.forgetting }
            if let id = memo.built[state] { return id }
            let id = memo.build(&compiler, state)
            memo.built[state] = id
            return id
        }
    }

    /// The node that jumps to `onTrue` when `c` holds, else to `onFalse`.
    mutating func condition(_ c: Condition, _ state: PathState, onTrue: @escaping Continuation, onFalse: @escaping Continuation) -> NodeGraph.ID {
        let onTrue = Self.memoized(onTrue), onFalse = Self.memoized(onFalse)
        switch c {
        case .constant(let value):
            return value ? onTrue(&self, state) : onFalse(&self, state)
        case .not(let inner):
            return condition(inner, state, onTrue: onFalse, onFalse: onTrue)
        case .and(let x, let y):
            return condition(x, state, onTrue: { me, s in me.condition(y, s, onTrue: onTrue, onFalse: onFalse) }, onFalse: onFalse)
        case .or(let x, let y):
            return condition(x, state, onTrue: onTrue, onFalse: { me, s in me.condition(y, s, onTrue: onTrue, onFalse: onFalse) })
        case .test(let t):
            return test(t, state, onTrue: onTrue, onFalse: onFalse)
        }
    }

    // MARK: Tests

    private mutating func test(_ t: Test, _ state: PathState, onTrue: @escaping Continuation, onFalse: @escaping Continuation) -> NodeGraph.ID {
        let note = noteText(t.location)
        if let field = normalized.field(for: t, arch: arch) {
            let (yes, no) = t.relation == .equal ? (onTrue, onFalse) : (onFalse, onTrue)
            return normalizedEquality(field, UInt32(truncatingIfNeeded: t.value), state, note: note, onTrue: yes, onFalse: no)
        }
        let mask = t.mask ?? t.field.maxValue
        guard let high = t.field.highOffset(arch) else {
            return word32(t.field.lowOffset(arch), UInt32(truncatingIfNeeded: mask), t.relation, UInt32(truncatingIfNeeded: t.value),
                          state, note: note, onTrue: onTrue, onFalse: onFalse)
        }
        let vHigh = UInt32(truncatingIfNeeded: t.value >> 32), vLow = UInt32(truncatingIfNeeded: t.value)
        let mHigh = UInt32(truncatingIfNeeded: mask >> 32), mLow = UInt32(truncatingIfNeeded: mask)
        let low = t.field.lowOffset(arch)
        // A bit or zero test of a mask that spans both words: either word.
        if (t.relation == .notEqual || t.relation == .equal) && t.value == 0 && t.mask != nil {
            let (yes, no) = t.relation == .notEqual ? (onTrue, onFalse) : (onFalse, onTrue)
            if mHigh == 0 { return word32(low, mLow, .notEqual, 0, state, note: note, onTrue: yes, onFalse: no) }
            if mLow == 0 { return word32(high, mHigh, .notEqual, 0, state, note: note, onTrue: yes, onFalse: no) }
            return word32(high, mHigh, .notEqual, 0, state, note: note, onTrue: yes,
                          onFalse: { me, s in me.word32(low, mLow, .notEqual, 0, s, note: note, onTrue: yes, onFalse: no) })
        }
        // A word whose mask is 0 is always 0: decide on the other word alone.
        if mHigh == 0 {
            // (0, low) against (vHigh, vLow).
            if vHigh != 0 {
                // (0, x) is below (vHigh, _) whatever x is.
                switch t.relation {
                case .equal, .greater, .greaterEqual: return onFalse(&self, state)
                case .notEqual, .less, .lessEqual: return onTrue(&self, state)
                }
            }
            return word32(low, mLow, t.relation, vLow, state, note: note, onTrue: onTrue, onFalse: onFalse)
        }
        if mLow == 0 {
            // (high, 0) against (vHigh, vLow): the low word decides ties.
            switch t.relation {
            case .equal, .notEqual:
                if vLow != 0 { return t.relation == .equal ? onFalse(&self, state) : onTrue(&self, state) }
                return word32(high, mHigh, t.relation, vHigh, state, note: note, onTrue: onTrue, onFalse: onFalse)
            case .greater: return word32(high, mHigh, .greater, vHigh, state, note: note, onTrue: onTrue, onFalse: onFalse)
            case .lessEqual: return word32(high, mHigh, .lessEqual, vHigh, state, note: note, onTrue: onTrue, onFalse: onFalse)
            case .greaterEqual:
                return word32(high, mHigh, vLow == 0 ? .greaterEqual : .greater, vHigh, state, note: note, onTrue: onTrue, onFalse: onFalse)
            case .less:
                return word32(high, mHigh, vLow == 0 ? .less : .lessEqual, vHigh, state, note: note, onTrue: onTrue, onFalse: onFalse)
            }
        }
        switch t.relation {
        case .equal, .notEqual:
            let (yes, no) = t.relation == .equal ? (onTrue, onFalse) : (onFalse, onTrue)
            return word32(high, mHigh, .equal, vHigh, state, note: note,
                          onTrue: { me, s in me.word32(low, mLow, .equal, vLow, s, note: note, onTrue: yes, onFalse: no) }, onFalse: no)
        case .greater, .greaterEqual, .less, .lessEqual:
            // a > v: high > vh, or high == vh and low > vl; >= likewise;
            // a < v is not (a >= v), a <= v is not (a > v).
            let strict = t.relation == .greater || t.relation == .lessEqual
            let positive = t.relation == .greater || t.relation == .greaterEqual
            let (yes, no) = positive ? (onTrue, onFalse) : (onFalse, onTrue)
            let lowCompare: Continuation = { me, s in
                me.word32(low, mLow, strict ? .greater : .greaterEqual, vLow, s, note: note, onTrue: yes, onFalse: no)
            }
            return word32(high, mHigh, .greater, vHigh, state, note: note, onTrue: yes, onFalse: { me, s in
                me.word32(high, mHigh, .equal, vHigh, s, note: note, onTrue: lowCompare, onFalse: no)
            })
        }
    }

    /// `field == (its shared upper word, low)` through the field's cell: the
    /// cell loaded (unless A holds it) and one `JEQ`. Where the path has not
    /// normalized the field yet, this test does: the upper word compared
    /// once, then the lower word or the sentinel stored; the sentinel's way
    /// goes straight to `onFalse`, since no constant has it. Both ways reach
    /// what follows with A holding the cell.
    private mutating func normalizedEquality(_ field: NormalizedFields.Field, _ low: UInt32, _ state: PathState, note: String?,
                                             onTrue: @escaping Continuation, onFalse: @escaping Continuation) -> NodeGraph.ID {
        let bit = UInt8(1) << UInt8(field.cell)
        usedCells |= bit
        var after = state
        after.a = .cell(field.cell)
        after.cells |= bit
        let yes = onTrue(&self, after), no = onFalse(&self, after)
        let compare = graph.add(.branch(.eq, k: low, onTrue: yes, onFalse: no), note: note)
        if state.cells & bit != 0 {
            if state.a == .cell(field.cell) { return compare }
            return graph.add(.statement(.loadMemory(field.cell), next: compare), note: nil)
        }
        let storeLow = graph.add(.statement(.store(field.cell), next: compare), note: nil)
        let loadLow = graph.add(.statement(.load(field.lowOffset), next: storeLow), note: nil)
        let storeSentinel = graph.add(.statement(.store(field.cell), next: no), note: nil)
        let loadSentinel = graph.add(.statement(.loadImmediate(field.sentinel), next: storeSentinel), note: nil)
        let highTest = graph.add(.branch(.eq, k: field.high, onTrue: loadLow, onFalse: loadSentinel), note: note)
        if state.a == .word(offset: field.highOffset, mask: 0xFFFF_FFFF) { return highTest }
        return graph.add(.statement(.load(field.highOffset), next: highTest), note: nil)
    }

    /// `(word & mask) relation value` on one 32-bit word.
    mutating func word32(_ offset: UInt32, _ mask: UInt32, _ relation: Relation, _ value: UInt32, _ state: PathState,
                         note: String?, onTrue: @escaping Continuation, onFalse: @escaping Continuation) -> NodeGraph.ID {
        // Decided without looking: mask 0, or a value outside the mask.
        if let truth = Test.constantTruth(relation, mask: UInt64(mask), value: UInt64(value)) {
            return truth ? onTrue(&self, state) : onFalse(&self, state)
        }
        // Decided by what the path already knows of the word.
        if mask == 0xFFFF_FFFF, let truth = state.known.truth(offset, relation, value) {
            return truth ? onTrue(&self, state) : onFalse(&self, state)
        }
        // What each side learns (equality of the whole word only).
        let learns = learnsFacts
        let learnt: (PathState, PathState) -> (PathState, PathState) = { yes, no in
            guard learns, mask == 0xFFFF_FFFF, relation == .equal || relation == .notEqual else { return (yes, no) }
            var y = yes, n = no
            y.known.learn(offset, equals: relation == .equal, value)
            n.known.learn(offset, equals: relation != .equal, value)
            return (y, n)
        }

        // Bit and zero tests: JSET on the unmasked word.
        if mask != 0xFFFF_FFFF && (relation == .equal || relation == .notEqual) && (value == 0 || (value == mask && mask.nonzeroBitCount == 1)) {
            let (load, loaded) = loadState(offset, 0xFFFF_FFFF, state)
            let anyBit = (relation == .notEqual) == (value == 0)
            let t = onTrue(&self, loaded), f = onFalse(&self, loaded)
            let branch = graph.add(.branch(.set, k: mask, onTrue: anyBit ? t : f, onFalse: anyBit ? f : t), note: note)
            return load(&self, branch)
        }

        let (load, loaded) = loadState(offset, mask, state)
        let (yes, no) = learnt(loaded, loaded)
        let t = onTrue(&self, yes), f = onFalse(&self, no)
        let branch: NodeGraph.Node
        switch relation {
        case .equal: branch = .branch(.eq, k: value, onTrue: t, onFalse: f)
        case .notEqual: branch = .branch(.eq, k: value, onTrue: f, onFalse: t)
        case .greater: branch = .branch(.gt, k: value, onTrue: t, onFalse: f)
        case .greaterEqual: branch = .branch(.ge, k: value, onTrue: t, onFalse: f)
        case .less: branch = .branch(.ge, k: value, onTrue: f, onFalse: t)
        case .lessEqual: branch = .branch(.gt, k: value, onTrue: f, onFalse: t)
        }
        return load(&self, graph.add(branch, note: note))
    }

    /// What must run so A holds `word & mask`, and the state after it: nothing
    /// when A holds it, an AND when A holds the unmasked word, else a load.
    private func loadState(_ offset: UInt32, _ mask: UInt32, _ state: PathState)
        -> (prepend: (inout ResidualCompiler, NodeGraph.ID) -> NodeGraph.ID, after: PathState) {
        let word = Accumulator.word(offset: offset, mask: mask)
        var target = state
        target.a = word
        if state.a == word { return ({ _, next in next }, target) }
        if state.a == .word(offset: offset, mask: 0xFFFF_FFFF) {
            return ({ me, next in me.graph.add(.statement(.alu(.and, mask), next: next), note: nil) }, target)
        }
        return ({ me, next in
            let masked = mask == 0xFFFF_FFFF ? next : me.graph.add(.statement(.alu(.and, mask), next: next), note: nil)
            return me.graph.add(.statement(.load(offset), next: masked), note: nil)
        }, target)
    }
}
