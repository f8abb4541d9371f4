/// Reduced, ordered decision diagrams over the words of `seccomp_data`:
/// each node tests one word and leads, for each set of that word's values
/// (a `WordSets` set), to a diagram of the words after it; each leaf holds
/// a value. The words come in one order: the architecture, the number,
/// then the instruction pointer and the arguments, upper word first.
///
/// Nodes are unique and reduced (no node whose sets all lead to one
/// diagram, no two sets of a node leading to the same one, no empty set),
/// so in one store two diagrams are the same function exactly when they
/// are the same handle. A program's diagram shares what its code shares:
/// it grows with the program's tests, not with its paths, which is what
/// makes it the form for comparing programs whose paths number millions.
public final class DecisionDiagrams {
    /// A diagram: a node of the store.
    public struct Diagram: Hashable, Sendable {
        fileprivate let node: Int32
    }

    /// One way out of a test: the values of the word that take it, and where it leads.
    public struct Edge: Hashable, Sendable {
        public let set: WordSets.WordSet
        public let child: Diagram
    }

    /// A leaf with its value, or a test of the word at `offset`. The
    /// edges' sets are disjoint; in a diagram built by `test` and
    /// `combine` they cover every value.
    public enum Node: Hashable, Sendable {
        case leaf(UInt64)
        case test(offset: UInt32, edges: [Edge])
    }

    /// The store of the word sets on the edges.
    public let words: WordSets
    private var nodes: [Node] = []
    private var unique: [Node: Int32] = [:]
    private var testMemo: [TestKey: Diagram] = [:]

    private struct TestKey: Hashable {
        let offset: UInt32
        let set: WordSets.WordSet
        let yes: Int32
        let no: Int32
    }

    /// A store whose edges hold sets of `words`.
    public init(words: WordSets) {
        self.words = words
    }

    /// How many nodes the store holds (a measure of the work done).
    public var size: Int { nodes.count }

    /// The most work (nodes made and pairs of ways visited) a store does.
    /// A hostile program can need a diagram exponential in its tests (bits
    /// of one argument compared with bits of another); past the budget the
    /// store stops building, marks itself `exhausted`, and its diagrams
    /// mean nothing: every caller checks and refuses the program.
    public static let workBudget = 2_000_000
    /// Whether the store went past `workBudget`.
    public private(set) var exhausted = false
    private var work = 0

    /// Counts `amount` of work; false once the budget is spent.
    private func spend(_ amount: Int = 1) -> Bool {
        work += amount
        if work > Self.workBudget { exhausted = true }
        return !exhausted
    }

    /// The node of `diagram`.
    public func node(_ diagram: Diagram) -> Node { nodes[Int(diagram.node)] }

    /// The diagram that is `value` for every input.
    public func leaf(_ value: UInt64) -> Diagram { intern(.leaf(value)) }

    private func intern(_ node: Node) -> Diagram {
        if let known = unique[node] { return Diagram(node: known) }
        if case .test(_, let edges) = node, !spend(edges.count) { return Diagram(node: 0) }
        let index = Int32(nodes.count)
        nodes.append(node)
        unique[node] = index
        return Diagram(node: index)
    }

    /// Where a word comes in the order: arch, nr, then the instruction
    /// pointer and the arguments, each field's upper word (on a
    /// little-endian architecture) before its lower, as programs test them.
    static func rank(_ offset: UInt32) -> UInt32 {
        offset == 4 ? 0 : offset == 0 ? 1 : (offset / 4) ^ 1
    }

    /// The rank of the word `diagram` tests first; past every word for a leaf.
    private func topRank(_ diagram: Diagram) -> UInt32 {
        if case .test(let offset, _) = node(diagram) { return Self.rank(offset) }
        return .max
    }

    /// `diagram`'s edges when it tests `offset` first, else one edge of
    /// every value to `diagram` itself.
    private func edges(_ diagram: Diagram, at offset: UInt32) -> [Edge] {
        if case .test(let o, let edges) = node(diagram), o == offset { return edges }
        return [Edge(set: words.full, child: diagram)]
    }

    /// The reduced node for `edges` of the word at `offset`: empty sets
    /// dropped, sets leading to one child joined, a lone child returned itself.
    func make(_ offset: UInt32, _ edges: [Edge]) -> Diagram {
        var joined: [Diagram: WordSets.WordSet] = [:]
        var order: [Diagram] = []
        for edge in edges where !edge.set.isEmpty {
            if let known = joined[edge.child] {
                joined[edge.child] = words.or(known, edge.set)
            } else {
                joined[edge.child] = edge.set
                order.append(edge.child)
            }
        }
        if order.count == 1 { return order[0] }
        order.sort { $0.node < $1.node }
        return intern(.test(offset: offset, edges: order.map { Edge(set: joined[$0]!, child: $0) }))
    }

    /// The diagram that is `yes` where the word at `offset` is in `set` and
    /// `no` elsewhere: what a program's conditional jump computes.
    public func test(_ offset: UInt32, _ set: WordSets.WordSet, yes: Diagram, no: Diagram) -> Diagram {
        if yes == no || set.isFull { return yes }
        if set.isEmpty { return no }
        if exhausted { return yes }
        let key = TestKey(offset: offset, set: set, yes: yes.node, no: no.node)
        if let known = testMemo[key] { return known }
        let rank = Self.rank(offset)
        let first = min(topRank(yes), topRank(no))
        let result: Diagram
        if first < rank {
            // A word before this one: the test goes inside each of its ways.
            guard let inside = pairwise(yes, no, { test(offset, set, yes: $0, no: $1) }) else { return yes }
            result = inside
        } else {
            // This word first: the values in `set` take `yes`'s ways, the rest `no`'s.
            let outside = words.not(set)
            var out: [Edge] = []
            for y in edges(yes, at: offset) { out.append(Edge(set: words.and(y.set, set), child: y.child)) }
            for n in edges(no, at: offset) { out.append(Edge(set: words.and(n.set, outside), child: n.child)) }
            result = make(offset, out)
        }
        testMemo[key] = result
        return result
    }

    /// The diagram whose leaf for each input is `leaf(a's, b's)`.
    public func combine(_ a: Diagram, _ b: Diagram, _ leaf: (UInt64, UInt64) -> UInt64) -> Diagram {
        var memo: [Pair: Diagram] = [:]
        return combine(a, b, leaf, &memo)
    }

    private struct Pair: Hashable {
        let a: Int32
        let b: Int32
    }

    // The depth is at most the number of words (every call goes one word down).
    private func combine(_ a: Diagram, _ b: Diagram, _ leaf: (UInt64, UInt64) -> UInt64, _ memo: inout [Pair: Diagram]) -> Diagram {
        if case .leaf(let x) = node(a), case .leaf(let y) = node(b) { return self.leaf(leaf(x, y)) }
        let key = Pair(a: a.node, b: b.node)
        if let known = memo[key] { return known }
        if exhausted { return a }
        guard let result = pairwise(a, b, { combine($0, $1, leaf, &memo) }) else { return a }
        memo[key] = result
        return result
    }

    /// The node over the first word `a` or `b` tests: a way for each pair
    /// of their ways whose sets meet, leading to `child` of the two. Nil
    /// once the work budget is spent.
    private func pairwise(_ a: Diagram, _ b: Diagram, _ child: (Diagram, Diagram) -> Diagram) -> Diagram? {
        let first = min(topRank(a), topRank(b))
        guard case .test(let top, _) = node(topRank(a) == first ? a : b) else { fatalError("a leaf ranks last") }
        let (xs, ys) = (edges(a, at: top), edges(b, at: top))
        guard spend(xs.count * ys.count) else { return nil }
        var out: [Edge] = []
        for x in xs {
            for y in ys {
                let both = words.and(x.set, y.set)
                if !both.isEmpty { out.append(Edge(set: both, child: child(x.child, y.child))) }
            }
        }
        return make(top, out)
    }

    /// `diagram` where each word in `sets` holds a value of its set: the
    /// ways no such value takes are dropped, and a test left with one way is
    /// replaced by it. What remains covers only those values, so the result
    /// is for reading and writing out, not for further `test` or `combine`.
    public func restrict(_ diagram: Diagram, to sets: [UInt32: WordSets.WordSet]) -> Diagram {
        var memo: [Int32: Diagram] = [:]
        return restrict(diagram, sets, &memo)
    }

    private func restrict(_ diagram: Diagram, _ sets: [UInt32: WordSets.WordSet], _ memo: inout [Int32: Diagram]) -> Diagram {
        guard case .test(let offset, let edges) = node(diagram) else { return diagram }
        if let known = memo[diagram.node] { return known }
        let within = sets[offset] ?? words.full
        var out: [Edge] = []
        for edge in edges {
            let set = words.and(edge.set, within)
            if !set.isEmpty { out.append(Edge(set: set, child: restrict(edge.child, sets, &memo))) }
        }
        let result = out.count == 1 ? out[0].child : intern(.test(offset: offset, edges: out))
        memo[diagram.node] = result
        return result
    }

    /// The leaf values `diagram` can reach.
    public func values(_ diagram: Diagram) -> Set<UInt64> {
        var seen: Set<Int32> = [], found: Set<UInt64> = [], stack = [diagram]
        while let d = stack.popLast() {
            guard seen.insert(d.node).inserted else { continue }
            switch node(d) {
            case .leaf(let value): found.insert(value)
            case .test(_, let edges): stack.append(contentsOf: edges.map(\.child))
            }
        }
        return found
    }

    /// How many paths lead from `diagram` to a leaf (at most `UInt64.max`):
    /// the classes of inputs it decides apart.
    public func pathCount(_ diagram: Diagram) -> UInt64 {
        var counts: [Int32: UInt64] = [:]
        // Children before parents: an explicit stack, visiting each node once.
        var stack: [(Diagram, Bool)] = [(diagram, false)]
        while let (d, ready) = stack.popLast() {
            if counts[d.node] != nil { continue }
            switch node(d) {
            case .leaf: counts[d.node] = 1
            case .test(_, let edges):
                if ready {
                    var total: UInt64 = 0
                    for edge in edges {
                        let (sum, overflow) = total.addingReportingOverflow(counts[edge.child.node]!)
                        total = overflow ? .max : sum
                    }
                    counts[d.node] = total
                } else {
                    stack.append((d, true))
                    for edge in edges where counts[edge.child.node] == nil { stack.append((edge.child, false)) }
                }
            }
        }
        return counts[diagram.node]!
    }

    /// Every path of `diagram` to a leaf whose value `keep` accepts: the
    /// set of each word it tests on the way, and the leaf's value. Throws
    /// past `limit` paths.
    public func paths(_ diagram: Diagram, limit: Int, keep: (UInt64) -> Bool = { _ in true }) throws(ProgramClasses.Refusal) -> [(words: [UInt32: WordSets.WordSet], value: UInt64)] {
        let useful = reaching(diagram, keep)
        var result: [(words: [UInt32: WordSets.WordSet], value: UInt64)] = []
        var stack: [(Diagram, [UInt32: WordSets.WordSet])] = useful.contains(diagram.node) ? [(diagram, [:])] : []
        while let (d, sets) = stack.popLast() {
            switch node(d) {
            case .leaf(let value):
                result.append((sets, value))
                if result.count > limit { throw .tooManyClasses(limit) }
            case .test(let offset, let edges):
                for edge in edges.reversed() where useful.contains(edge.child.node) {
                    var next = sets
                    next[offset] = edge.set
                    stack.append((edge.child, next))
                }
            }
        }
        return result
    }

    /// The nodes of `diagram` from which some leaf that `keep` accepts can be reached.
    private func reaching(_ diagram: Diagram, _ keep: (UInt64) -> Bool) -> Set<Int32> {
        var decided: [Int32: Bool] = [:]
        var stack: [(Diagram, Bool)] = [(diagram, false)]
        while let (d, ready) = stack.popLast() {
            if decided[d.node] != nil { continue }
            switch node(d) {
            case .leaf(let value): decided[d.node] = keep(value)
            case .test(_, let edges):
                if ready {
                    decided[d.node] = edges.contains { decided[$0.child.node]! }
                } else {
                    stack.append((d, true))
                    for edge in edges where decided[edge.child.node] == nil { stack.append((edge.child, false)) }
                }
            }
        }
        return Set(decided.compactMap { $0.value ? $0.key : nil })
    }
}
