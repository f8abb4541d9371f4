/// A Linux architecture (ABI) that a seccomp filter can meet, with the facts
/// a filter needs: its `AUDIT_ARCH_*` value, word size and syscall numbering.
public enum Arch: String, CaseIterable, Sendable, Hashable, Comparable {
    case x86_64
    case i386
    case x32
    case aarch64
    case arm
    case riscv64
    case ppc64le
    case s390x
    case loongarch64

    /// The architecture other tools call `name` (Debian's and Go's `amd64`,
    /// `arm64`, the kernel's `x86`, `i686`, ...); nil for anything else.
    public static func otherName(_ name: String) -> Arch? {
        switch name.lowercased() {
        case "amd64", "x86-64", "x64", "x86_64": return .x86_64
        case "x86", "i686", "i586", "i486", "ia32", "x86_32", "386", "i386": return .i386
        case "arm64", "aarch64": return .aarch64
        case "armhf", "armel", "arm32", "armv7", "armv7l", "arm": return .arm
        case "riscv", "riscv64", "rv64": return .riscv64
        case "ppc64el", "powerpc64le", "ppc64le": return .ppc64le
        case "s390", "s390x": return .s390x
        case "loong64", "loongarch", "loongarch64": return .loongarch64
        case "x32", "x86_64-x32": return .x32
        default: return nil
        }
    }

    /// The architectures a policy must be able to name and the kernel probe can test.
    public static let required: [Arch] = [.x86_64, .i386, .x32]

    /// Bit 30 of the syscall number: set for every x32 syscall (`__X32_SYSCALL_BIT`).
    public static let x32SyscallBit: UInt32 = 0x4000_0000

    /// The value of `seccomp_data.arch` for a syscall of this ABI. x32 shares
    /// x86_64's value and is told apart by bit 30 of the syscall number.
    public var auditArch: UInt32 {
        switch self {
        case .x86_64, .x32: return 0xC000_003E  // AUDIT_ARCH_X86_64
        case .i386: return 0x4000_0003  // AUDIT_ARCH_I386
        case .aarch64: return 0xC000_00B7  // AUDIT_ARCH_AARCH64
        case .arm: return 0x4000_0028  // AUDIT_ARCH_ARM
        case .riscv64: return 0xC000_00F3  // AUDIT_ARCH_RISCV64
        case .ppc64le: return 0xC000_0015  // AUDIT_ARCH_PPC64LE
        case .s390x: return 0x8000_0016  // AUDIT_ARCH_S390X
        case .loongarch64: return 0xC000_0102  // AUDIT_ARCH_LOONGARCH64
        }
    }

    /// The `AUDIT_ARCH_*` macro name for `auditArch`, as `<linux/audit.h>` spells it.
    public var auditArchName: String {
        switch self {
        case .x86_64, .x32: return "AUDIT_ARCH_X86_64"
        case .i386: return "AUDIT_ARCH_I386"
        case .aarch64: return "AUDIT_ARCH_AARCH64"
        case .arm: return "AUDIT_ARCH_ARM"
        case .riscv64: return "AUDIT_ARCH_RISCV64"
        case .ppc64le: return "AUDIT_ARCH_PPC64LE"
        case .s390x: return "AUDIT_ARCH_S390X"
        case .loongarch64: return "AUDIT_ARCH_LOONGARCH64"
        }
    }

    /// Size in bits of a syscall argument as seccomp sees it. x32 passes
    /// arguments in 64-bit registers; i386 and arm pass 32-bit ones, which
    /// the kernel zero-extends into `seccomp_data.args`.
    public var argumentBits: Int {
        switch self {
        case .i386, .arm: return 32
        case .x86_64, .x32, .aarch64, .riscv64, .ppc64le, .s390x, .loongarch64: return 64
        }
    }

    /// Size in bits of a pointer (and a C `long`) in user space.
    public var pointerBits: Int {
        switch self {
        case .i386, .arm, .x32: return 32
        case .x86_64, .aarch64, .riscv64, .ppc64le, .s390x, .loongarch64: return 64
        }
    }

    /// `__AUDIT_ARCH_LE`: the bit of an `AUDIT_ARCH_*` value that marks a
    /// little-endian ABI.
    public static let auditArchLittleEndianBit: UInt32 = 0x4000_0000

    /// Whether the ABI is little endian. On a big-endian one (s390x) each
    /// 64-bit field of seccomp_data has its high word at the lower offset:
    /// argument N's high word is at 16 + 8N and its low word at 20 + 8N.
    public var isLittleEndian: Bool { Arch.isLittleEndian(auditArch: auditArch) }

    /// Whether the machine that produces `auditArch` lays out seccomp_data
    /// little endian (the `__AUDIT_ARCH_LE` bit of the value).
    @inlinable
    public static func isLittleEndian(auditArch: UInt32) -> Bool { auditArch & auditArchLittleEndianBit != 0 }

    /// Whether this ABI's syscall numbers carry the x32 bit.
    public var isX32: Bool { self == .x32 }

    /// The architectures whose syscalls arrive with this `seccomp_data.arch`
    /// value (x86_64 and x32 share one).
    public static func withAuditArch(_ value: UInt32) -> [Arch] {
        allCases.filter { $0.auditArch == value }
    }

    /// The ABI a syscall belongs to, from what the kernel passes: on x86_64's
    /// audit value, bit 30 of the number selects x32, except for nr -1
    /// (0xffffffff, a syscall skipped by a tracer), which stays x86_64.
    public static func of(auditArch: UInt32, nr: UInt32) -> Arch? {
        if auditArch == Arch.x86_64.auditArch {
            return (nr & x32SyscallBit != 0 && nr != 0xFFFF_FFFF) ? .x32 : .x86_64
        }
        return allCases.first { $0.auditArch == auditArch }
    }

    /// Syscalls that never reach a seccomp filter on recent kernels: the
    /// kernel runs them as if allowed, whatever the filter says. On x86_64,
    /// `uretprobe` (335, exempt since Linux 6.12) and `uprobe` (336, since
    /// 6.16), which only kernel-made trampolines may call (measured here on
    /// 6.18: the filter is not consulted; the calls fail with SIGSEGV or ENXIO).
    public var unfilteredSyscalls: [(name: String, number: UInt32)] {
        self == .x86_64 ? [("uretprobe", 335), ("uprobe", 336)] : []
    }

    /// The name of the syscall that never reaches a filter, if the kernel
    /// routes (`auditArch`, `nr`) to one: an "x32" call without bit 30 is
    /// an x86_64 call, so the routing decides, not the label.
    public static func unfilteredSyscall(auditArch: UInt32, nr: UInt32) -> String? {
        guard let abi = Arch.of(auditArch: auditArch, nr: nr) else { return nil }
        return abi.unfilteredSyscalls.first { $0.number == nr }?.name
    }

    /// Declaration order, so sorted output lists x86_64, i386, x32 first.
    public static func < (a: Arch, b: Arch) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
