/// A syscall as people read it: `socket(family=AF_INET, type=SOCK_STREAM|SOCK_CLOEXEC, protocol=0)`,
/// with the kernel's parameter names and, where a parameter takes a known
/// group of constants, their names (an enum value, or flags joined by `|`).
public enum CallText {
    /// How a parameter's value is named.
    enum Naming {
        case value(prefixes: [String])
        case flags(prefixes: [String])
        /// socket's type: a SOCK_ value in the low bits, SOCK_CLOEXEC/SOCK_NONBLOCK above.
        case socketType
        /// open's flags: the access mode (O_RDONLY/O_WRONLY/O_RDWR), then O_ flags.
        case openFlags
    }

    /// The parameters whose values have names, by parameter name (and syscall where it matters).
    static func naming(_ syscall: String, _ parameter: String) -> Naming? {
        switch (syscall, parameter) {
        case (_, "family"): return .value(prefixes: ["AF_"])
        case ("socket", "type"), ("socketpair", "type"): return .socketType
        case ("socket", "protocol"): return .value(prefixes: ["IPPROTO_"])
        case ("open", "flags"), ("openat", "flags"), ("mq_open", "oflag"): return .openFlags
        case (_, "prot"): return .flags(prefixes: ["PROT_"])
        case (_, "clone_flags"), (_, "unshare_flags"): return .flags(prefixes: ["CLONE_"])
        case ("prctl", "option"): return .value(prefixes: ["PR_SET_", "PR_GET_", "PR_"])
        case ("ptrace", "request"): return .value(prefixes: ["PTRACE_"])
        case ("ioctl", "cmd"): return .value(prefixes: ["TIOC", "FIO", "TC"])
        case ("fcntl", "cmd"), ("fcntl64", "cmd"): return .value(prefixes: ["F_"])
        case (_, "dfd"), (_, "olddfd"), (_, "newdfd"): return .value(prefixes: ["AT_FDCWD"])
        case ("mmap", "flags"): return .flags(prefixes: ["MAP_"])
        case ("madvise", "behavior"): return .value(prefixes: ["MADV_"])
        case ("seccomp", "op"): return .value(prefixes: ["SECCOMP_SET_", "SECCOMP_GET_"])
        case ("bpf", "cmd"): return .value(prefixes: ["BPF_"])
        case ("keyctl", "cmd"): return .value(prefixes: ["KEYCTL_"])
        case ("kill", "sig"), ("tkill", "sig"), ("tgkill", "sig"): return .value(prefixes: ["SIG"])
        default: return nil
        }
    }

    /// `NAME(p=v, ...)` for syscall `nr` of `arch` with `args`; a number the
    /// table lacks is written `syscall N`, and a syscall without known
    /// parameters shows its six argument slots.
    public static func describe(arch: Arch, nr: UInt32, args: [UInt64]) -> String {
        let values = args + [UInt64](repeating: 0, count: max(0, 6 - args.count))
        guard let name = SyscallTable.forArch(arch).name(of: nr) else {
            return "syscall \(nr)(" + values.map(hex).joined(separator: ", ") + ")"
        }
        guard let parameters = SyscallParameters.of(name, arch: arch), SyscallParameters.isImplemented(name, arch: arch) else {
            return name + "(" + values.map(hex).joined(separator: ", ") + ")"
        }
        let parts = parameters.map { p -> String in
            var value = values[p.slot]
            if p.isSplit { value = values[p.slot] & 0xFFFF_FFFF | values[p.slot + 1] << 32 }
            return "\(p.name)=" + text(value, p, syscall: name, arch: arch)
        }
        return name + "(" + parts.joined(separator: ", ") + ")"
    }

    private static func text(_ raw: UInt64, _ p: SyscallParameter, syscall: String, arch: Arch) -> String {
        // What the kernel reads: an int's low 32 bits, a umode_t's low 16.
        let value: UInt64 = p.width >= 8 ? raw : raw & (p.width == 2 ? 0xFFFF : 0xFFFF_FFFF)
        // A negative int passed sign-extended (AT_FDCWD, -1) is the value the kernel reads, not a trick.
        let signExtended = p.width == 4 && value & 0x8000_0000 != 0 && raw == value | 0xFFFF_FFFF_0000_0000
        let same = value == raw || signExtended
        let plain = value < 10 ? String(value) : (p.name.hasSuffix("mode") ? "0o" + String(value, radix: 8) : hex(value))
        let shown = same ? plain : "\(hex(raw)) (read as \(plain))"
        guard value != 0, let naming = naming(syscall, p.name) else { return shown }
        let named: String?
        switch naming {
        case .value(let prefixes):
            named = valueName(value, prefixes, arch: arch, width: p.width)
        case .flags(let prefixes):
            named = flagNames(value, prefixes, arch: arch)
        case .socketType:
            let kind = valueName(value & 0xF, ["SOCK_"], arch: arch, width: 4) ?? String(value & 0xF)
            let rest = value & ~0xF
            named = rest == 0 ? kind : flagNames(rest, ["SOCK_"], arch: arch).map { kind + "|" + $0 }
        case .openFlags:
            let mode = valueName(value & 3, ["O_RDONLY", "O_WRONLY", "O_RDWR"], arch: arch, width: 4) ?? String(value & 3)
            let rest = value & ~3
            named = rest == 0 ? mode : flagNames(rest, ["O_"], arch: arch).map { mode + "|" + $0 }
        }
        guard let named else { return shown }
        return same ? named : "\(hex(raw)) (read as \(named))"
    }

    /// Second names of a value, passed over for the usual one (`AF_UNIX`, not `AF_FILE`).
    static let aliases: Set<String> = ["AF_FILE", "AF_LOCAL", "AF_ROUTE", "IPPROTO_HOPOPTS", "SOCK_NONBLOCK_COMPAT",
                                       "F_GETLK64", "F_SETLK64", "F_SETLKW64", "TIOCGPTPEER_COMPAT", "SIGIOT", "SIGPOLL", "SIGCLD"]

    /// Families of prctl's second-level values (`PR_SET_MM_START_CODE` is 1,
    /// as is the option `PR_SET_PDEATHSIG`): never names of an option.
    static let subValuePrefixes = ["PR_SET_MM_", "PR_CAP_AMBIENT_", "PR_SPEC_", "PR_FP_MODE_", "PR_MTE_", "PR_SME_", "PR_SVE_VL",
                                   "PR_PAC_AP", "PR_PAC_APD", "PR_SCHED_CORE_SCOPE", "PR_TSC_", "PR_UNALIGN_", "PR_ENDIAN_",
                                   "PR_FPEMU_", "PR_FP_EXC_", "PR_TIMING_", "PR_MCE_KILL_EARLY", "PR_MCE_KILL_LATE",
                                   "PR_MCE_KILL_DEFAULT", "PR_MCE_KILL_CLEAR", "PR_MCE_KILL_SET", "PR_TAGGED_ADDR_", "PR_SYS_DISPATCH_",
                                   "PR_PPC_", "PR_RISCV_", "PR_SHADOW_STACK_", "PR_MDWE_", "PR_PMLEN_", "PR_THP_", "PR_FUTEX_",
                                   "PR_SCHED_CORE_CREATE", "PR_SCHED_CORE_GET", "PR_SCHED_CORE_SHARE", "PR_SCHED_CORE_MAX"]

    /// The first constant (sorted by name, aliases last) with one of `prefixes` and this value.
    private static func valueName(_ value: UInt64, _ prefixes: [String], arch: Arch, width: Int) -> String? {
        let mask: UInt64 = width >= 8 ? .max : 0xFFFF_FFFF
        for prefix in prefixes {
            let names = ConstantTable.names.filter { name in name.hasPrefix(prefix) && !subValuePrefixes.contains { name.hasPrefix($0) } }
            for name in names.filter({ !aliases.contains($0) }) + names.filter(aliases.contains) {
                if let v = ConstantTable.value(of: name, arch: arch), UInt64(bitPattern: v) & mask == value & mask { return name }
            }
        }
        return nil
    }

    /// `A|B|0x40` from the single-bit constants with one of `prefixes`.
    private static func flagNames(_ value: UInt64, _ prefixes: [String], arch: Arch) -> String? {
        if value == 0 { return "0" }
        var rest = value
        var names: [String] = []
        var bit: UInt64 = 1
        while bit != 0 {
            if rest & bit != 0,
               let name = prefixes.lazy.compactMap({ prefix in
                   ConstantTable.names.first { $0.hasPrefix(prefix) && ConstantTable.value(of: $0, arch: arch).map(UInt64.init(bitPattern:)) == bit }
               }).first {
                names.append(name)
                rest &= ~bit
            }
            bit <<= 1
        }
        guard !names.isEmpty else { return nil }
        if rest != 0 { names.append(hex(rest)) }
        return names.joined(separator: "|")
    }

    private static func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
}

extension CallText {
    /// `value` of parameter `p` of `syscall` as a policy expression: its
    /// constant names joined by `|` where the parameter takes known
    /// constants (`SOCK_STREAM|SOCK_CLOEXEC`), else the number. The value is
    /// first cut to the bits the kernel reads.
    public static func valueExpression(_ value: UInt64, of p: SyscallParameter, syscall: String, arch: Arch) -> String {
        text(value & p.readMask, p, syscall: syscall, arch: arch)
    }
}

extension SyscallParameter {
    /// The bits of the argument the kernel reads for this parameter.
    public var readMask: UInt64 {
        let bits = min(width * 8, argumentBits)
        return bits >= 64 ? .max : (1 << UInt64(bits)) - 1
    }
}

extension CallText {
    /// `mask` as the flag names of parameter `p` (`CLONE_NEWNS|CLONE_NEWUSER`),
    /// when the parameter takes flags and every bit of `mask` has a name;
    /// nil otherwise (a mask of an enum-valued parameter has no names).
    public static func maskExpression(_ mask: UInt64, of p: SyscallParameter, syscall: String, arch: Arch) -> String? {
        let value = mask & p.readMask
        guard value != 0, let naming = naming(syscall, p.name) else { return nil }
        let named: String?
        switch naming {
        case .value: return nil
        case .flags(let prefixes): named = flagNames(value, prefixes, arch: arch)
        case .socketType: named = value & 0xF == 0 ? flagNames(value, ["SOCK_"], arch: arch) : nil
        case .openFlags: named = flagNames(value, ["O_"], arch: arch)
        }
        guard let named, !named.contains("0x") else { return nil }
        return named
    }
}
