import CordonLinux

/// What `cordon learn` saw a command do: every call, by architecture and
/// syscall, with its count and the programs that made it, and for the
/// syscalls whose arguments matter (`ArgumentRule`), each distinct value of
/// the parameters that matter.
public struct LearnedCalls: Sendable {
    /// One syscall of one architecture.
    public struct Syscall: Sendable {
        public fileprivate(set) var count = 0
        public fileprivate(set) var programs: Set<String> = []
        /// For a syscall with an argument rule: each distinct tuple of the
        /// rule's parameter values (cut to what the kernel reads), its count,
        /// and the arguments of its first call (for the `expect` line).
        public fileprivate(set) var variants: [[UInt64]: Variant] = [:]
    }

    /// One distinct tuple of a ruled syscall's parameter values.
    public struct Variant: Sendable {
        public fileprivate(set) var count: Int
        public let firstArguments: [UInt64]
    }

    public private(set) var syscalls: [Arch: [UInt32: Syscall]] = [:]
    /// Calls of architectures cordon does not know, by AUDIT_ARCH value.
    public private(set) var unknownArches: [UInt32: Int] = [:]
    /// Calls counted in all.
    public private(set) var total = 0

    public init() {}

    /// Records one call as the kernel reported it.
    public mutating func add(auditArch: UInt32, nr: UInt32, args: [UInt64], program: String) {
        total += 1
        guard let arch = Arch.of(auditArch: auditArch, nr: nr) else {
            unknownArches[auditArch, default: 0] += 1
            return
        }
        var syscall = syscalls[arch]?[nr] ?? Syscall()
        syscall.count += 1
        syscall.programs.insert(program)
        if let rule = rule(arch, nr) {
            let key = rule.key(args)
            if syscall.variants[key] == nil {
                syscall.variants[key] = Variant(count: 1, firstArguments: args)
            } else {
                syscall.variants[key]!.count += 1
            }
        }
        syscalls[arch, default: [:]][nr] = syscall
    }

    /// Each syscall's argument rule, looked up once.
    private var rules: [Arch: [UInt32: [ArgumentRule]]] = [:]

    private mutating func rule(_ arch: Arch, _ nr: UInt32) -> ArgumentRule? {
        if let known = rules[arch]?[nr] { return known.first }
        let rule = SyscallTable.forArch(arch).name(of: nr).flatMap { ArgumentRule.of($0, arch: arch) }
        rules[arch, default: [:]][nr] = rule.map { [$0] } ?? []
        return rule
    }

    /// Adds everything `other` saw.
    public mutating func merge(_ other: LearnedCalls) {
        total += other.total
        for (arch, count) in other.unknownArches { unknownArches[arch, default: 0] += count }
        for (arch, bySyscall) in other.syscalls {
            for (nr, seen) in bySyscall {
                var mine = syscalls[arch]?[nr] ?? Syscall()
                mine.count += seen.count
                mine.programs.formUnion(seen.programs)
                for (key, variant) in seen.variants {
                    if let known = mine.variants[key] { mine.variants[key]!.count = known.count + variant.count } else { mine.variants[key] = variant }
                }
                syscalls[arch, default: [:]][nr] = mine
            }
        }
    }
}

/// The syscalls whose arguments a learned policy checks, and which
/// parameters: socket's family and type, clone's flags, ioctl's request,
/// prctl's option, personality, the protection of mmap and mprotect (an
/// executable mapping is the usual target), and whether open writes.
public struct ArgumentRule: Sendable {
    /// The parameters compared, in order.
    public let parameters: [SyscallParameter]
    /// For each parameter, the bits compared (nil: all the kernel reads).
    public let masks: [UInt64?]
    /// How a mask is written in the policy (`O_WRONLY|O_RDWR|...`).
    public let maskTexts: [String?]

    /// The rule for `syscall` on `arch`, or nil when its arguments are not
    /// checked (or the tables lack the parameter there).
    public static func of(_ syscall: String, arch: Arch) -> ArgumentRule? {
        let names: [String]
        var masks: [String: [String]] = [:]
        switch syscall {
        case "socket": names = ["family", "type"]
        case "clone": names = ["clone_flags"]
        case "ioctl": names = ["cmd"]
        case "prctl": names = ["option"]
        case "personality": names = ["personality"]
        case "mmap", "mmap2", "mprotect", "pkey_mprotect": names = ["prot"]
        case "open", "openat":
            names = ["flags"]
            masks["flags"] = ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"]
        default: return nil
        }
        var parameters: [SyscallParameter] = []
        var maskValues: [UInt64?] = [], maskTexts: [String?] = []
        for name in names {
            guard let p = SyscallParameters.parameter(name, of: syscall, arch: arch), !p.isSplit else { return nil }
            parameters.append(p)
            if let flags = masks[name] {
                var mask: UInt64 = 0
                for flag in flags {
                    guard let v = ConstantTable.value(of: flag, arch: arch) else { return nil }
                    mask |= UInt64(bitPattern: v)
                }
                maskValues.append(mask)
                maskTexts.append(flags.joined(separator: "|"))
            } else {
                maskValues.append(nil)
                maskTexts.append(nil)
            }
        }
        return ArgumentRule(parameters: parameters, masks: maskValues, maskTexts: maskTexts)
    }

    /// The compared values of a call's arguments.
    public func key(_ args: [UInt64]) -> [UInt64] {
        parameters.indices.map { i in
            let p = parameters[i]
            let value = (p.slot < args.count ? args[p.slot] : 0) & p.readMask
            return masks[i].map { value & $0 } ?? value
        }
    }
}
