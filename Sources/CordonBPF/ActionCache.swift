import CordonLinux

/// The kernel's action-cache analysis (`seccomp_cache_prepare`, Linux 5.11+):
/// for an (arch, nr), the kernel may skip running the filter and allow the
/// syscall outright when the filter's path for it reads only `nr` and `arch`
/// and ends in `RET ALLOW`. This replays the kernel's `seccomp_is_const_allow`.
public enum ActionCache {
    /// Whether the kernel would cache `nr` on `arch` as always allowed.
    /// Like the kernel, this follows only loads of `nr` and `arch`, `AND K`,
    /// `JA` and constant jumps; anything else (a load of an argument or the
    /// instruction pointer, `BPF_LEN`, scratch memory, `X`) defeats the cache.
    public static func isConstantAllow(_ program: Program, auditArch: UInt32, nr: UInt32) -> Bool {
        let insns = program.instructions
        var a: UInt32 = 0
        var pc = 0
        while pc < insns.count {
            let insn = insns[pc]
            switch insn.operation {
            case .loadAbsolute?:
                switch insn.k {
                case 0: a = nr
                case 4: a = auditArch
                default: return false
                }
            case .returnK?:
                return insn.k == SeccompReturn.Action.allow
            case .jumpAlways?:
                pc += Int(insn.k)
            case .jump(let test, .k)?:
                let taken: Bool
                switch test {
                case .eq: taken = a == insn.k
                case .ge: taken = a >= insn.k
                case .gt: taken = a > insn.k
                case .set: taken = a & insn.k != 0
                }
                pc += Int(taken ? insn.jt : insn.jf)
            case .alu(.and, .k)?:
                a &= insn.k
            default:
                return false
            }
            pc += 1
        }
        return false
    }

    /// Whether the kernel keeps an action cache for `arch` at all: it does for
    /// every architecture that defines `SECCOMP_ARCH_NATIVE` (and its compat
    /// ABI: i386 beside x86_64, arm beside aarch64), indexed by syscall
    /// number; x32 numbers (bit 30) fall outside the bitmap and are never cached.
    public static func kernelCaches(_ arch: Arch) -> Bool { arch != .x32 }

    /// The syscalls of `arch`'s table that the kernel would cache as allowed.
    public static func cachedSyscalls(_ program: Program, arch: Arch) -> [String] {
        guard kernelCaches(arch) else { return [] }
        return SyscallTable.forArch(arch).entries
            .filter { isConstantAllow(program, auditArch: arch.auditArch, nr: $0.number) }
            .map(\.name)
    }
}
