import CordonPolicy
import CordonLinux

/// The profile's own meaning, read straight from the JSON as runc loads it
/// into libseccomp: the reference the converted policy is checked against.
/// Rules are taken in profile order and the first that matches decides
/// (libseccomp refuses overlapping rules with different actions, so real
/// profiles do not depend on the order); otherwise the default action.
public enum ProfileSemantics {
    /// The action for a syscall of `arch`, as the kernel passes it.
    public static func decide(_ resolved: ResolvedProfile, arch: Arch, nr: UInt32, args: [UInt64]) throws(ImportError) -> SeccompReturn {
        guard resolved.arches.contains(arch) else { return .killProcess }
        let table = SyscallTable.forArch(arch)
        let width = comparedBits(arch)
        let values = args.map { $0 & width } + [UInt64](repeating: 0, count: max(0, 6 - args.count))
        for (_, rule) in resolved.rules where rule.allNames.contains(where: { table.number(of: $0) == nr }) {
            if try matches(rule.args ?? [], values, width) { return try action(rule.action, errno: rule.errnoRet) }
        }
        return try action(resolved.profile.defaultAction, errno: resolved.profile.defaultErrnoRet)
    }

    /// The bits of an argument libseccomp compares on `arch`: the low 32 on
    /// i386, arm and x32 (libseccomp's x32 is a 32-bit ABI), all 64 elsewhere.
    static func comparedBits(_ arch: Arch) -> UInt64 {
        arch.argumentBits == 32 || arch == .x32 ? 0xFFFF_FFFF : .max
    }

    /// runc: all conditions must hold, except that when an argument index
    /// appears twice each condition becomes a rule of its own (any may hold).
    static func matches(_ conditions: [Profile.Argument], _ args: [UInt64], _ width: UInt64) throws(ImportError) -> Bool {
        if conditions.isEmpty { return true }
        var results: [Bool] = []
        for c in conditions { results.append(try holds(c, args, width)) }
        let indexes = conditions.map(\.index)
        return Set(indexes).count < indexes.count ? results.contains(true) : results.allSatisfy { $0 }
    }

    /// One libseccomp comparison; on 32-bit ABIs the datum is cut to its
    /// low word, as libseccomp does.
    static func holds(_ c: Profile.Argument, _ args: [UInt64], _ width: UInt64) throws(ImportError) -> Bool {
        guard c.index <= 5 else { throw ImportError("argument index \(c.index) is not 0..5", at: c.place) }
        let a = args[Int(c.index)], v = c.value & width, two = (c.valueTwo ?? 0) & width
        switch c.op {
        case "SCMP_CMP_NE": return a != v
        case "SCMP_CMP_LT": return a < v
        case "SCMP_CMP_LE": return a <= v
        case "SCMP_CMP_EQ": return a == v
        case "SCMP_CMP_GE": return a >= v
        case "SCMP_CMP_GT": return a > v
        case "SCMP_CMP_MASKED_EQ": return a & v == two
        default: throw ImportError("unknown comparison \(PolicyText.quoted(c.op))", at: c.place)
        }
    }

    /// The comparisons a condition may use.
    public static let comparisons = ["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"]

    /// The actions a profile may name.
    public static let actions = ["SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS",
                                 "SCMP_ACT_TRAP", "SCMP_ACT_TRACE", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"]

    /// runc's actions: SCMP_ACT_ERRNO and SCMP_ACT_TRACE default to EPERM.
    public static func action(_ name: String, errno: UInt64?, at place: Profile.Place? = nil) throws(ImportError) -> SeccompReturn {
        let data = UInt16(clamping: errno ?? 1)
        switch name {
        case "SCMP_ACT_ALLOW": return .allow
        case "SCMP_ACT_ERRNO": return .errno(min(data, SeccompReturn.maxErrno))
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": return .killThread
        case "SCMP_ACT_KILL_PROCESS": return .killProcess
        case "SCMP_ACT_TRAP": return .trap(0)
        case "SCMP_ACT_TRACE": return .trace(data)
        case "SCMP_ACT_LOG": return .log
        case "SCMP_ACT_NOTIFY": return .userNotif
        default:
            throw ImportError("unknown action \(PolicyText.quoted(name))"
                              + (Suggest.closest(to: name, in: actions).map { " (did you mean \($0)?)" } ?? ""), at: place)
        }
    }
}
