/// One class of inputs a program decides alike: for each `seccomp_data`
/// word the program reads on the way, the exact set of values that takes
/// this path (a word it never reads may hold anything), and the value the
/// program returns for all of them.
public struct InputClass: Sendable {
    /// Sets by word offset (0 nr, 4 arch, 8 and 12 the instruction pointer,
    /// 16 + 8n and 20 + 8n argument n's two words as the kernel stores them).
    public var words: [UInt32: WordSets.WordSet]
    /// The return value.
    public let value: UInt32
    /// The index of the `RET` that returns it.
    public let returnIndex: Int
}

/// The exact partition of a program's inputs into classes with one decision
/// each, by symbolic execution over the 32-bit words of `seccomp_data`.
///
/// Handled: loads of `seccomp_data` words, of constants and of the length;
/// the scratch memory and the X register holding either; `JEQ`/`JGT`/`JGE`/
/// `JSET` and `JA`; `AND` with a constant (or a constant X) on a loaded word;
/// every ALU operation on constants; `RET K`, and `RET A` of a constant.
/// That covers what libseccomp, Kafel, OpenSSH's macros, gosecco and cordon
/// emit. Anything else (arithmetic on a loaded word other than `AND`, a
/// comparison of two loaded words) is refused with the instruction: never
/// approximated.
public enum ProgramClasses {
    /// Why a program could not be analysed.
    public enum Refusal: Error, CustomStringConvertible, Sendable, Equatable {
        case unsupported(index: Int, why: String)
        case tooManyClasses(Int)

        public var description: String {
            switch self {
            case .unsupported(let index, let why): return "instruction \(index): \(why): the analysis cannot follow it exactly, so it stops there"
            case .tooManyClasses(let n): return "the program splits its inputs into more than \(n) classes"
            }
        }
    }

    /// What a register or scratch word holds on one path.
    enum Value: Hashable {
        /// `seccomp_data` word at `offset`, masked.
        case word(offset: UInt32, mask: UInt32)
        case constant(UInt32)
    }

    private struct State {
        var pc: Int
        var words: [UInt32: WordSets.WordSet]
        var a: Value?
        var x: Value?
        var memory: [Value?]
        /// Where this path hangs in a `DecisionTree`: the last test node, and its side.
        var parent = -1
        var onYes = true
    }

    /// The classes of `program`'s inputs, within `start` (sets by word; the
    /// rest unconstrained), in the order of the paths (false branch last).
    /// `tests`, when given, gathers the comparisons made of each word;
    /// `tree` receives the program unfolded into its tests.
    public static func classes(_ program: [Instruction], in store: WordSets, within start: [UInt32: WordSets.WordSet] = [:],
                               limit: Int = 1_000_000, tests: WordTests? = nil, tree: DecisionTree? = nil) throws(Refusal) -> [InputClass] {
        var result: [InputClass] = []
        var stack = [State(pc: 0, words: start, a: .constant(0), x: .constant(0), memory: Array(repeating: nil, count: 16))]
        while var state = stack.popLast() {
            walk: while true {
                guard state.pc < program.count else { throw .unsupported(index: state.pc, why: "the program runs past its end") }
                let insn = program[state.pc]
                let code = insn.code
                switch code & 0x07 {
                case 0x00, 0x01:  // LD, LDX
                    let value = try load(insn, state, index: state.pc)
                    if code & 0x07 == 0x00 { state.a = value } else { state.x = value }
                case 0x02:  // ST
                    guard insn.k < 16 else { throw .unsupported(index: state.pc, why: "a store past the scratch memory") }
                    state.memory[Int(insn.k)] = state.a
                case 0x03:  // STX
                    guard insn.k < 16 else { throw .unsupported(index: state.pc, why: "a store past the scratch memory") }
                    state.memory[Int(insn.k)] = state.x
                case 0x04:
                    if code & 0xF0 == 0x30, code & 0x08 != 0, case .constant(0)? = state.x {
                        // The kernel's translation returns 0 (KILL_THREAD) on a division by X = 0.
                        result.append(InputClass(words: state.words, value: 0, returnIndex: state.pc))
                        _ = tree?.add(.ret(0), under: state.parent, yes: state.onYes)
                        if result.count > limit { throw .tooManyClasses(limit) }
                        break walk
                    }
                    state.a = try alu(insn, state, index: state.pc)
                case 0x05:
                    let op = code & 0xF0
                    if op == 0x00 {  // JA
                        state.pc += 1 + Int(insn.k)
                        continue walk
                    }
                    var operand = insn.k
                    if code & 0x08 != 0 {
                        guard case .constant(let x)? = state.x else {
                            throw .unsupported(index: state.pc, why: "a comparison with X holding a loaded word")
                        }
                        operand = x
                    }
                    let taken = state.pc + 1 + Int(insn.jt), notTaken = state.pc + 1 + Int(insn.jf)
                    switch state.a {
                    case .constant(let a)?:
                        state.pc = holds(op, a, operand) ? taken : notTaken
                        continue walk
                    case .word(let offset, let mask)?:
                        let test: WordSets.WordSet
                        let described: WordTests.Test
                        let relation: WordSets.Relation?
                        switch op {
                        case 0x10: relation = .equal
                        case 0x20: relation = .greater
                        case 0x30: relation = .greaterOrEqual
                        case 0x40: relation = nil
                        default: throw .unsupported(index: state.pc, why: "an unknown jump")
                        }
                        if let relation {
                            test = store.compare(mask: mask, relation, operand)
                            described = .init(mask: mask, relation: relation, operand: operand, set: test)
                        } else {
                            test = store.anyBit(mask & operand)
                            described = .init(mask: mask & operand, relation: nil, operand: 0, set: test)
                        }
                        tests?.record(offset, described)
                        let current = state.words[offset] ?? store.full
                        let yes = store.and(current, test), no = store.minus(current, test)
                        if yes.isEmpty {
                            state.pc = notTaken  // the test cannot hold here: nothing splits
                        } else if no.isEmpty {
                            state.pc = taken
                        } else {
                            var other = state
                            other.pc = notTaken
                            other.words[offset] = no
                            if let tree {
                                let node = tree.add(.test(offset: offset, test: described, yes: -1, no: -1), under: state.parent, yes: state.onYes)
                                (other.parent, other.onYes, state.parent, state.onYes) = (node, false, node, true)
                            }
                            stack.append(other)
                            state.pc = taken
                            state.words[offset] = yes
                        }
                        // An unconstrained word stays absent.
                        if let set = state.words[offset], set.isFull { state.words[offset] = nil }
                        continue walk
                    case nil:
                        throw .unsupported(index: state.pc, why: "a comparison of an unknown value")
                    }
                case 0x06:
                    let value: UInt32
                    if code & 0x18 == 0x10 {
                        guard case .constant(let a)? = state.a else { throw .unsupported(index: state.pc, why: "RET A of a loaded word") }
                        value = a
                    } else if code & 0x18 == 0x00 {
                        value = insn.k
                    } else {
                        throw .unsupported(index: state.pc, why: "an unknown return")
                    }
                    result.append(InputClass(words: state.words, value: value, returnIndex: state.pc))
                    _ = tree?.add(.ret(value), under: state.parent, yes: state.onYes)
                    if result.count > limit { throw .tooManyClasses(limit) }
                    break walk
                default:  // MISC
                    switch code {
                    case 0x07: state.x = state.a
                    case 0x87: state.a = state.x
                    default: throw .unsupported(index: state.pc, why: "an unknown instruction")
                    }
                }
                state.pc += 1
            }
        }
        return result
    }

    private static func load(_ insn: Instruction, _ state: State, index: Int) throws(Refusal) -> Value {
        let isX = insn.code & 0x07 == 0x01
        switch insn.code & 0xE0 {
        case 0x00: return .constant(insn.k)
        case 0x20 where !isX && insn.code & 0x18 == 0x00:
            guard insn.k % 4 == 0, insn.k < 64 else { throw .unsupported(index: index, why: "a load that is not a seccomp_data word") }
            return .word(offset: insn.k, mask: .max)
        case 0x60:
            guard insn.k < 16, let value = state.memory[Int(insn.k)] else {
                throw .unsupported(index: index, why: "a load of scratch memory never stored")
            }
            return value
        case 0x80: return .constant(64)
        default: throw .unsupported(index: index, why: "a load seccomp does not allow")
        }
    }

    private static func alu(_ insn: Instruction, _ state: State, index: Int) throws(Refusal) -> Value {
        let op = insn.code & 0xF0
        var operand = insn.k
        if insn.code & 0x08 != 0 && op != 0x80 {
            guard case .constant(let x)? = state.x else { throw .unsupported(index: index, why: "arithmetic with X holding a loaded word") }
            operand = x
        }
        switch state.a {
        case .constant(let a)?:
            switch op {
            case 0x00: return .constant(a &+ operand)
            case 0x10: return .constant(a &- operand)
            case 0x20: return .constant(a &* operand)
            case 0x30:
                guard operand != 0 else { throw .unsupported(index: index, why: "a division by zero") }
                return .constant(a / operand)
            case 0x90:
                guard operand != 0 else { throw .unsupported(index: index, why: "a division by zero") }
                return .constant(a % operand)
            case 0x40: return .constant(a | operand)
            case 0x50: return .constant(a & operand)
            // The kernel shifts by the low 5 bits of X (K is below 32).
            case 0x60: return .constant(a << (operand & 31))
            case 0x70: return .constant(a >> (operand & 31))
            case 0x80: return .constant(0 &- a)
            case 0xA0: return .constant(a ^ operand)
            default: throw .unsupported(index: index, why: "an unknown ALU operation")
            }
        case .word(let offset, let mask)?:
            guard op == 0x50 else { throw .unsupported(index: index, why: "arithmetic other than AND on a loaded word") }
            return .word(offset: offset, mask: mask & operand)
        case nil:
            throw .unsupported(index: index, why: "arithmetic on an unknown value")
        }
    }

    private static func holds(_ op: UInt16, _ a: UInt32, _ k: UInt32) -> Bool {
        switch op {
        case 0x10: return a == k
        case 0x20: return a > k
        case 0x30: return a >= k
        default: return a & k != 0
        }
    }

    /// Whether `data`'s words are in `inputClass`.
    public static func contains(_ inputClass: InputClass, _ words: (UInt32) -> UInt32, in store: WordSets) -> Bool {
        contains(inputClass.words, words, in: store)
    }

    /// Whether the input whose words `words` gives is in the sets `sets`.
    public static func contains(_ sets: [UInt32: WordSets.WordSet], _ words: (UInt32) -> UInt32, in store: WordSets) -> Bool {
        sets.allSatisfy { store.contains($0.value, words($0.key)) }
    }
}
