import CordonBPF
import CordonLinux

/// Random BPF programs and inputs for differential tests, biased toward the
/// values where implementations disagree: 0, 1, 2^31, 2^32-1, shift amounts
/// around 32, nr and arch values that real filters test.
public enum RandomPrograms {
    /// Constants worth comparing against.
    public static let edgeWords: [UInt32] = [0, 1, 2, 3, 31, 32, 33, 0x29, 0x66, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF, 0x4000_0000, 0xC000_003E, 0x4000_0003]

    /// A word: an edge value or a random one.
    public static func word(using g: inout some RandomNumberGenerator) -> UInt32 {
        Bool.random(using: &g) ? edgeWords.randomElement(using: &g)! : UInt32.random(in: .min ... .max, using: &g)
    }

    private static let returns: [UInt32] = [0x7FFF_0000, 0x0005_0001, 0x0005_0016, 0x8000_0000, 0x0003_0000, 0x7FF0_0002, 0x7FFC_0000, 0x7FC0_0000, 0]

    /// A program the validator accepts, using every operation seccomp allows.
    /// Scratch cells 0..3 are written first, so reads of them are valid.
    public static func valid(using g: inout some RandomNumberGenerator) -> Program {
        while true {
            if let program = try? Validator.validate(instructions(using: &g)) { return program }
        }
    }

    private static func instructions(using g: inout some RandomNumberGenerator) -> [Instruction] {
        let length = Int.random(in: 6...48, using: &g)
        var result: [Instruction] = [.load(4), Instruction(code: 0x02, k: 0), .load(0), Instruction(code: 0x02, k: 1),
                                     Instruction(code: 0x01, k: word(using: &g)), Instruction(code: 0x03, k: 2),
                                     .load(16), Instruction(code: 0x02, k: 3)]
        while result.count < length - 1 {
            let pc = result.count
            let remaining = length - pc - 1  // instructions after this one
            let info = OpcodeTable.all.randomElement(using: &g)!
            var insn = Instruction(code: info.code)
            switch info.operation {
            case .loadAbsolute: insn.k = UInt32.random(in: 0..<16, using: &g) * 4
            case .loadMemory, .loadXMemory: insn.k = UInt32.random(in: 0..<4, using: &g)
            case .store, .storeX: insn.k = UInt32.random(in: 0..<16, using: &g)
            case .alu(.lsh, .k), .alu(.rsh, .k): insn.k = UInt32.random(in: 0..<32, using: &g)
            case .alu(.div, .k): insn.k = max(1, word(using: &g))
            case .jumpAlways: insn.k = UInt32.random(in: 0..<UInt32(remaining), using: &g)
            case .jump:
                insn.k = word(using: &g)
                insn.jt = UInt8(Int.random(in: 0..<min(remaining, 256), using: &g))
                insn.jf = UInt8(Int.random(in: 0..<min(remaining, 256), using: &g))
            case .returnK: insn.k = returns.randomElement(using: &g)!
            default: insn.k = info.usesK ? word(using: &g) : 0
            }
            // Now and then junk in the fields the opcode ignores (the kernel accepts it).
            if Int.random(in: 0..<8, using: &g) == 0 {
                if !info.usesK { insn.k = word(using: &g) }
                if !info.usesJumps { insn.jt = UInt8.random(in: 0...255, using: &g); insn.jf = UInt8.random(in: 0...255, using: &g) }
            }
            result.append(insn)
        }
        result.append(Bool.random(using: &g) ? .ret(returns.randomElement(using: &g)!) : .returnA)
        return result
    }

    /// A program that may or may not be valid: mostly sensible instructions
    /// with one or two faults of the kinds the kernel checks for.
    public static func possiblyInvalid(using g: inout some RandomNumberGenerator) -> [Instruction] {
        var program = valid(using: &g).instructions
        for _ in 0..<Int.random(in: 1...2, using: &g) {
            let pc = Int.random(in: 0..<program.count, using: &g)
            switch Int.random(in: 0..<9, using: &g) {
            case 0: program[pc].code = UInt16.random(in: 0...0xFF, using: &g)
            case 1: program[pc] = .load(UInt32.random(in: 0...70, using: &g))
            case 2: program[pc] = .alu([.div, .lsh, .rsh].randomElement(using: &g)!, [0, 31, 32, 33].randomElement(using: &g)!)
            case 3: program[pc] = Instruction(code: [0x60, 0x61, 0x02, 0x03].randomElement(using: &g)!, k: UInt32.random(in: 0...17, using: &g))
            case 4: program[pc] = .jump(.eq, 0, jt: UInt8.random(in: 0...255, using: &g), jf: 0)
            case 5: program[pc] = .jumpAlways(UInt32.random(in: 0...UInt32(program.count), using: &g))
            case 6: program.removeLast()
            case 7: program[pc] = Instruction(code: 0x60, k: UInt32.random(in: 4...15, using: &g))
            default: program[pc].code = [0x94, 0x9C, 0x0E, 0x28, 0x40, 0xB1, 0x16, 0x80, 0x81, 0x84].randomElement(using: &g)!
            }
        }
        if program.isEmpty { program = [.loadImmediate(0)] }
        return program
    }

    /// A syscall of `arch` with arguments, biased to edge values.
    public static func call(arch: Arch, using g: inout some RandomNumberGenerator) -> (nr: UInt32, args: [UInt64]) {
        let table = SyscallTable.forArch(arch)
        var nr: UInt32
        switch Int.random(in: 0..<8, using: &g) {
        case 0: nr = word(using: &g)
        case 1: nr = arch.isX32 ? 0x4000_0000 | word(using: &g) : UInt32.random(in: 0...600, using: &g)
        default: nr = table.entries.randomElement(using: &g)!.number
        }
        // x32 calls carry bit 30; x86_64 ones do not (they would be x32 calls).
        if arch == .x32 { nr |= Arch.x32SyscallBit }
        if arch == .x86_64 && nr & Arch.x32SyscallBit != 0 && nr != 0xFFFF_FFFF { nr &= ~Arch.x32SyscallBit }
        // Syscalls the kernel never filters cannot be compared with it.
        if Arch.unfilteredSyscall(auditArch: arch.auditArch, nr: nr) != nil { nr = 0 }
        let args = (0..<6).map { _ -> UInt64 in
            switch Int.random(in: 0..<4, using: &g) {
            case 0: return UInt64(word(using: &g))
            case 1: return UInt64(word(using: &g)) << 32 | UInt64(word(using: &g))
            case 2: return [0, 1, 1 << 31, 1 << 32, 1 << 63, UInt64.max, 0xFFFF_FFFF].randomElement(using: &g)!
            default: return UInt64.random(in: 0...64, using: &g)
            }
        }
        return (nr, arch.argumentBits == 32 ? args.map { $0 & 0xFFFF_FFFF } : args)
    }
}
