/// What the kernel shows a filter about one syscall (`struct seccomp_data`):
/// `nr` (offset 0), `arch` (4), `instruction_pointer` (8), `args[6]` (16..63).
/// The 64-bit fields are in the machine's byte order: on a little-endian ABI
/// each one's low word comes first, on a big-endian one (s390x) its high word.
public struct SeccompData: Hashable, Sendable {
    /// The syscall number as the kernel passes it (x32 ones include bit 30).
    public var nr: UInt32
    /// The `AUDIT_ARCH_*` value.
    public var arch: UInt32
    /// The instruction pointer at the syscall.
    public var instructionPointer: UInt64
    /// The six arguments (zero-extended from 32 bits on 32-bit ABIs).
    public var args: [UInt64]

    /// `sizeof(struct seccomp_data)`: what `BPF_LEN` loads.
    public static let size: UInt32 = 64

    /// A syscall; missing arguments are 0.
    public init(nr: UInt32, arch: UInt32, instructionPointer: UInt64 = 0, args: [UInt64] = []) {
        precondition(args.count <= 6, "seccomp_data has six arguments")
        self.nr = nr
        self.arch = arch
        self.instructionPointer = instructionPointer
        self.args = args + [UInt64](repeating: 0, count: 6 - args.count)
    }

    /// A syscall of `arch`; on a 32-bit ABI each argument is cut to its low 32 bits,
    /// as the kernel sees a 32-bit register.
    public init(arch: Arch, nr: UInt32, instructionPointer: UInt64 = 0, args: [UInt64] = []) {
        let width = arch.argumentBits == 32 ? args.map { $0 & 0xFFFF_FFFF } : args
        self.init(nr: nr, arch: arch.auditArch, instructionPointer: instructionPointer, args: width)
    }

    /// The 32-bit word at byte `offset` (4-aligned, below 64), as `BPF_LD|BPF_W|BPF_ABS` loads it
    /// on the machine that produces this `arch` value: the `__AUDIT_ARCH_LE` bit of
    /// the value says whether a 64-bit field's low word comes first.
    @inlinable
    public func word(at offset: UInt32) -> UInt32 {
        let lowFirst = Arch.isLittleEndian(auditArch: arch)
        switch offset {
        case 0: return nr
        case 4: return arch
        case 8, 12:
            let isLow = (offset == 8) == lowFirst
            return UInt32(truncatingIfNeeded: isLow ? instructionPointer : instructionPointer >> 32)
        default:
            let value = args[Int(offset - 16) / 8]
            let isLow = (offset % 8 == 0) == lowFirst
            return UInt32(truncatingIfNeeded: isLow ? value : value >> 32)
        }
    }

    /// The offset of the low word of a 64-bit field that starts at `base`
    /// (8 for the instruction pointer, 16 + 8N for argument N).
    public static func lowWordOffset(base: UInt32, littleEndian: Bool) -> UInt32 { littleEndian ? base : base + 4 }

    /// The offset of the high word of a 64-bit field that starts at `base`.
    public static func highWordOffset(base: UInt32, littleEndian: Bool) -> UInt32 { littleEndian ? base + 4 : base }

    /// The name of the word at `offset`, as the listing shows it: `nr`, `arch`,
    /// `ip low`, `args[2] high` (for a big-endian ABI the first word of a
    /// 64-bit field is its high one); nil for an offset a filter cannot load.
    public static func fieldName(at offset: UInt32, littleEndian: Bool = true) -> String? {
        guard offset < size, offset % 4 == 0 else { return nil }
        let half = (offset % 8 == 0) == littleEndian ? "low" : "high"
        switch offset {
        case 0: return "nr"
        case 4: return "arch"
        case 8, 12: return "ip \(half)"
        default:
            return "args[\((offset - 16) / 8)] \(half)"
        }
    }

    /// The offset of a field name as `fieldName(at:)` writes it.
    public static func offset(ofField name: String) -> UInt32? {
        (0..<16).map { UInt32($0) * 4 }.first { fieldName(at: $0) == name }
    }

    /// `offsetof(struct seccomp_data, ...)` as C writes it, for the header emitter:
    /// `offsetof(struct seccomp_data, args[1]) + 4` for a high word.
    public static func cOffsetExpression(at offset: UInt32) -> String? {
        guard offset < size, offset % 4 == 0 else { return nil }
        let base: String
        var extra: UInt32 = 0
        switch offset {
        case 0: base = "nr"
        case 4: base = "arch"
        case 8, 12: base = "instruction_pointer"; extra = offset - 8
        default: base = "args[\((offset - 16) / 8)]"; extra = offset % 8
        }
        return "offsetof(struct seccomp_data, \(base))" + (extra == 0 ? "" : " + \(extra)")
    }
}
