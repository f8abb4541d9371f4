import CordonLinux

/// Accepts exactly the programs that the kernel's `bpf_check_classic` and
/// `seccomp_check_filter` accept, and says for each refusal which instruction
/// and why. Its result, a `Program`, is what the emulator and emitters take.
public enum Validator {
    /// The kernel's limit on a filter's length (`BPF_MAXINSNS`).
    public static let maxInstructions = 4096
    /// Scratch memory cells (`BPF_MEMWORDS`).
    public static let memoryWords: UInt32 = 16

    /// One reason the kernel would refuse a program.
    public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong.
        public enum Reason: Hashable, Sendable {
            case empty
            case tooLong(count: Int)
            case codeNotAllowed(code: UInt16)
            case loadOffsetMisaligned(offset: UInt32)
            case loadOffsetOutOfRange(offset: UInt32)
            case divisionByZero
            case shiftTooLarge(amount: UInt32)
            case memoryIndexOutOfRange(index: UInt32)
            case jumpOutOfRange(target: Int, length: Int)
            case lastNotReturn(code: UInt16)
            case memoryReadBeforeWrite(index: UInt32)
        }

        /// Whether the kernel's pass over scratch memory refuses it.
        public var readsMemoryBeforeWrite: Bool {
            if case .memoryReadBeforeWrite = reason { return true }
            return false
        }

        /// The instruction at fault, or nil when the program as a whole is.
        public let index: Int?
        public let reason: Reason

        public var description: String {
            let at = index.map { "instruction \($0): " } ?? ""
            switch reason {
            case .empty:
                return "the program is empty: a filter has 1 to \(Validator.maxInstructions) instructions"
            case .tooLong(let count):
                return "the program has \(count) instructions; the kernel accepts at most \(Validator.maxInstructions)"
            case .codeNotAllowed(let code):
                return at + "opcode 0x\(String(code, radix: 16)) (\(OpcodeTable.symbolicName(code))) is not allowed in a seccomp filter"
            case .loadOffsetMisaligned(let offset):
                return at + "load from offset \(offset) is not 4-byte aligned"
            case .loadOffsetOutOfRange(let offset):
                return at + "load from offset \(offset) is past the end of seccomp_data (64 bytes)"
            case .divisionByZero:
                return at + "division by the constant 0"
            case .shiftTooLarge(let amount):
                return at + "shift by \(amount); constant shifts must be below 32"
            case .memoryIndexOutOfRange(let index):
                return at + "scratch memory cell \(index) does not exist (there are \(Validator.memoryWords))"
            case .jumpOutOfRange(let target, let length):
                return at + "jump to \(target) is outside the program (\(length) instructions; targets must come after the jump and before the end)"
            case .lastNotReturn(let code):
                return at + "the last instruction is \(OpcodeTable.symbolicName(code)), not a return"
            case .memoryReadBeforeWrite(let index):
                return at + "scratch memory cell \(index) is read before it is written on some path"
            }
        }
    }

    /// Every refusal the kernel's checks would make, in instruction order
    /// (empty when the kernel accepts the program).
    public static func refusals(_ instructions: [Instruction]) -> [Refusal] {
        let n = instructions.count
        if n == 0 { return [Refusal(index: nil, reason: .empty)] }
        if n > maxInstructions { return [Refusal(index: nil, reason: .tooLong(count: n))] }
        var found: [Refusal] = []
        var jumpsValid = true
        for (pc, insn) in instructions.enumerated() {
            guard let operation = insn.operation else {
                found.append(Refusal(index: pc, reason: .codeNotAllowed(code: insn.code)))
                continue
            }
            switch operation {
            case .loadAbsolute:
                if insn.k % 4 != 0 {
                    found.append(Refusal(index: pc, reason: .loadOffsetMisaligned(offset: insn.k)))
                } else if insn.k >= SeccompData.size {
                    found.append(Refusal(index: pc, reason: .loadOffsetOutOfRange(offset: insn.k)))
                }
            case .alu(.div, .k) where insn.k == 0:
                found.append(Refusal(index: pc, reason: .divisionByZero))
            case .alu(.lsh, .k) where insn.k >= 32, .alu(.rsh, .k) where insn.k >= 32:
                found.append(Refusal(index: pc, reason: .shiftTooLarge(amount: insn.k)))
            case .loadMemory, .loadXMemory, .store, .storeX:
                if insn.k >= memoryWords {
                    found.append(Refusal(index: pc, reason: .memoryIndexOutOfRange(index: insn.k)))
                }
            case .jumpAlways:
                // The kernel's test: k >= flen - pc - 1 is refused.
                if UInt64(insn.k) >= UInt64(n - pc - 1) {
                    found.append(Refusal(index: pc, reason: .jumpOutOfRange(target: pc + 1 + Int(insn.k), length: n)))
                    jumpsValid = false
                }
            case .jump:
                for skip in [insn.jt, insn.jf] where pc + Int(skip) + 1 >= n {
                    found.append(Refusal(index: pc, reason: .jumpOutOfRange(target: pc + Int(skip) + 1, length: n)))
                    jumpsValid = false
                    break
                }
            default:
                break
            }
        }
        if !instructions[n - 1].isReturn {
            found.append(Refusal(index: n - 1, reason: .lastNotReturn(code: instructions[n - 1].code)))
        }
        if found.isEmpty && jumpsValid {
            found += memoryRefusals(instructions)
        }
        return found
    }

    /// Validates `instructions` into a `Program`, or throws the first refusal.
    public static func validate(_ instructions: [Instruction]) throws(Refusal) -> Program {
        if let first = refusals(instructions).first { throw first }
        return Program(validated: instructions)
    }

    /// The kernel's `check_load_and_stores`: a forward pass in which a cell
    /// is valid when every jump reaching an instruction had it written (a
    /// fall-through after a jump starts over with all cells valid, as there).
    private static func memoryRefusals(_ instructions: [Instruction]) -> [Refusal] {
        var masks = [UInt16](repeating: 0xFFFF, count: instructions.count)
        var valid: UInt16 = 0
        var found: [Refusal] = []
        for (pc, insn) in instructions.enumerated() {
            valid &= masks[pc]
            switch insn.operation {
            case .store?, .storeX?:
                valid |= 1 << UInt16(insn.k)
            case .loadMemory?, .loadXMemory?:
                if valid & (1 << UInt16(insn.k)) == 0 {
                    found.append(Refusal(index: pc, reason: .memoryReadBeforeWrite(index: insn.k)))
                }
            case .jumpAlways?:
                masks[pc + 1 + Int(insn.k)] &= valid
                valid = 0xFFFF
            case .jump?:
                masks[pc + 1 + Int(insn.jt)] &= valid
                masks[pc + 1 + Int(insn.jf)] &= valid
                valid = 0xFFFF
            default:
                break
            }
        }
        return found
    }
}
