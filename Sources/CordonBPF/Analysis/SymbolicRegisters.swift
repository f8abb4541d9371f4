/// What a register or a scratch word holds when a program runs on
/// symbolic input: a `seccomp_data` word (masked), or a constant.
enum SymbolicValue: Hashable {
    case word(offset: UInt32, mask: UInt32)
    case constant(UInt32)
}

/// A program's registers and scratch memory on symbolic input, and the
/// straight-line semantics both exact analyses share (`ProgramClasses`
/// over paths, `ProgramDiagram` over the code's sharing): everything but
/// the jumps that depend on a loaded word, where the input decides.
struct SymbolicRegisters: Hashable {
    var a: SymbolicValue? = .constant(0)
    var x: SymbolicValue? = .constant(0)
    var memory: [SymbolicValue?] = Array(repeating: nil, count: 16)

    /// Where straight-line code stops.
    enum Stop {
        /// A return of `value` by the instruction at `index`.
        case returns(value: UInt32, index: Int)
        /// A jump on a loaded word: the word, the test, and where each outcome goes.
        case test(offset: UInt32, test: WordTests.Test, taken: Int, notTaken: Int)
    }

    /// Runs `program` from `pc` to the next return or jump on a loaded word.
    mutating func run(_ program: [Instruction], from start: Int, in store: WordSets) throws(ProgramClasses.Refusal) -> Stop {
        var pc = start
        while true {
            guard pc < program.count else { throw .unsupported(index: pc, why: "the program runs past its end") }
            let insn = program[pc]
            let code = insn.code
            switch code & 0x07 {
            case 0x00, 0x01:  // LD, LDX
                let value = try load(insn, index: pc)
                if code & 0x07 == 0x00 { a = value } else { x = value }
            case 0x02:  // ST
                guard insn.k < 16 else { throw .unsupported(index: pc, why: "a store past the scratch memory") }
                memory[Int(insn.k)] = a
            case 0x03:  // STX
                guard insn.k < 16 else { throw .unsupported(index: pc, why: "a store past the scratch memory") }
                memory[Int(insn.k)] = x
            case 0x04:
                if code & 0xF0 == 0x30, code & 0x08 != 0, case .constant(0)? = x {
                    // The kernel's translation returns 0 (KILL_THREAD) on a division by X = 0.
                    return .returns(value: 0, index: pc)
                }
                a = try alu(insn, index: pc)
            case 0x05:
                let op = code & 0xF0
                if op == 0x00 {  // JA
                    pc += 1 + Int(insn.k)
                    continue
                }
                var operand = insn.k
                if code & 0x08 != 0 {
                    guard case .constant(let value)? = x else {
                        throw .unsupported(index: pc, why: "a comparison with X holding a loaded word")
                    }
                    operand = value
                }
                let taken = pc + 1 + Int(insn.jt), notTaken = pc + 1 + Int(insn.jf)
                switch a {
                case .constant(let value)?:
                    pc = ProgramClasses.holds(op, value, operand) ? taken : notTaken
                    continue
                case .word(let offset, let mask)?:
                    let relation: WordSets.Relation?
                    switch op {
                    case 0x10: relation = .equal
                    case 0x20: relation = .greater
                    case 0x30: relation = .greaterOrEqual
                    case 0x40: relation = nil
                    default: throw .unsupported(index: pc, why: "an unknown jump")
                    }
                    let test: WordTests.Test
                    if let relation {
                        test = .init(mask: mask, relation: relation, operand: operand, set: store.compare(mask: mask, relation, operand))
                    } else {
                        test = .init(mask: mask & operand, relation: nil, operand: 0, set: store.anyBit(mask & operand))
                    }
                    return .test(offset: offset, test: test, taken: taken, notTaken: notTaken)
                case nil:
                    throw .unsupported(index: pc, why: "a comparison of an unknown value")
                }
            case 0x06:
                if code & 0x18 == 0x10 {
                    guard case .constant(let value)? = a else { throw .unsupported(index: pc, why: "RET A of a loaded word") }
                    return .returns(value: value, index: pc)
                } else if code & 0x18 == 0x00 {
                    return .returns(value: insn.k, index: pc)
                }
                throw .unsupported(index: pc, why: "an unknown return")
            default:  // MISC
                switch code {
                case 0x07: x = a
                case 0x87: a = x
                default: throw .unsupported(index: pc, why: "an unknown instruction")
                }
            }
            pc += 1
        }
    }

    private func load(_ insn: Instruction, index: Int) throws(ProgramClasses.Refusal) -> SymbolicValue {
        let isX = insn.code & 0x07 == 0x01
        switch insn.code & 0xE0 {
        case 0x00: return .constant(insn.k)
        case 0x20 where !isX && insn.code & 0x18 == 0x00:
            guard insn.k % 4 == 0, insn.k < 64 else { throw .unsupported(index: index, why: "a load that is not a seccomp_data word") }
            return .word(offset: insn.k, mask: .max)
        case 0x60:
            guard insn.k < 16, let value = memory[Int(insn.k)] else {
                throw .unsupported(index: index, why: "a load of scratch memory never stored")
            }
            return value
        case 0x80: return .constant(64)
        default: throw .unsupported(index: index, why: "a load seccomp does not allow")
        }
    }

    private func alu(_ insn: Instruction, index: Int) throws(ProgramClasses.Refusal) -> SymbolicValue {
        let op = insn.code & 0xF0
        var operand = insn.k
        if insn.code & 0x08 != 0 && op != 0x80 {
            guard case .constant(let value)? = x else { throw .unsupported(index: index, why: "arithmetic with X holding a loaded word") }
            operand = value
        }
        switch a {
        case .constant(let value)?:
            switch op {
            case 0x00: return .constant(value &+ operand)
            case 0x10: return .constant(value &- operand)
            case 0x20: return .constant(value &* operand)
            case 0x30:
                guard operand != 0 else { throw .unsupported(index: index, why: "a division by zero") }
                return .constant(value / operand)
            case 0x90:
                guard operand != 0 else { throw .unsupported(index: index, why: "a division by zero") }
                return .constant(value % operand)
            case 0x40: return .constant(value | operand)
            case 0x50: return .constant(value & operand)
            // The kernel shifts by the low 5 bits of X (K is below 32).
            case 0x60: return .constant(value << (operand & 31))
            case 0x70: return .constant(value >> (operand & 31))
            case 0x80: return .constant(0 &- value)
            case 0xA0: return .constant(value ^ operand)
            default: throw .unsupported(index: index, why: "an unknown ALU operation")
            }
        case .word(let offset, let mask)?:
            guard op == 0x50 else { throw .unsupported(index: index, why: "arithmetic other than AND on a loaded word") }
            return .word(offset: offset, mask: mask & operand)
        case nil:
            throw .unsupported(index: index, why: "arithmetic on an unknown value")
        }
    }
}
