import CSeccomp
import CordonLinux
import Glibc

/// What the running kernel's seccomp supports, asked without loading a
/// filter: each action (`SECCOMP_GET_ACTION_AVAIL`), each filter flag
/// (`seccomp(SET_MODE_FILTER, flag, NULL)`: EFAULT known, EINVAL not), the
/// notification sizes, and the action cache (Linux 5.11 on x86_64).
public struct KernelFeatures: Sendable {
    /// One action: its policy word, its kernel name and whether the kernel has it.
    public struct ActionSupport: Sendable {
        public let word: String
        public let kernelName: String
        public let value: UInt32
        public let available: Bool
    }

    /// One filter flag and whether the kernel knows it.
    public struct FlagSupport: Sendable {
        public let name: String
        public let value: UInt32
        public let since: String
        public let available: Bool
    }

    public let release: String
    public let actions: [ActionSupport]
    public let flags: [FlagSupport]
    /// `seccomp_notif`, `seccomp_notif_resp`, `seccomp_data`; nil when the
    /// kernel has no user notification.
    public let notificationSizes: (notif: Int, response: Int, data: Int)?
    /// Whether the kernel keeps the per-architecture action cache of
    /// syscalls its filters always allow (Linux 5.11, x86_64 and the other
    /// architectures with SECCOMP_ARCH_NATIVE).
    public let actionCache: Bool
    /// Whether /proc/self/seccomp_cache exists (CONFIG_SECCOMP_CACHE_DEBUG).
    public let cacheDebugFile: Bool

    /// The actions, in the order of `SECCOMP_RET_*` precedence.
    static let actionTable: [(String, String, UInt32)] = [
        ("kill_process", "SECCOMP_RET_KILL_PROCESS", SeccompReturn.Action.killProcess),
        ("kill_thread", "SECCOMP_RET_KILL_THREAD", SeccompReturn.Action.killThread),
        ("trap", "SECCOMP_RET_TRAP", SeccompReturn.Action.trap),
        ("errno", "SECCOMP_RET_ERRNO", SeccompReturn.Action.errno),
        ("notify", "SECCOMP_RET_USER_NOTIF", SeccompReturn.Action.userNotif),
        ("trace", "SECCOMP_RET_TRACE", SeccompReturn.Action.trace),
        ("log", "SECCOMP_RET_LOG", SeccompReturn.Action.log),
        ("allow", "SECCOMP_RET_ALLOW", SeccompReturn.Action.allow),
    ]

    /// The filter flags (`<linux/seccomp.h>`), with the Linux version that added each.
    static let flagTable: [(String, UInt32, String)] = [
        ("SECCOMP_FILTER_FLAG_TSYNC", 1 << 0, "3.17"),
        ("SECCOMP_FILTER_FLAG_LOG", 1 << 1, "4.14"),
        ("SECCOMP_FILTER_FLAG_SPEC_ALLOW", 1 << 2, "4.17"),
        ("SECCOMP_FILTER_FLAG_NEW_LISTENER", 1 << 3, "5.0"),
        ("SECCOMP_FILTER_FLAG_TSYNC_ESRCH", 1 << 4, "5.7"),
        ("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1 << 5, "5.19"),
    ]

    /// Asks the running kernel. `CORDON_TEST_KERNEL_LACKS=notify,log` makes
    /// the named actions read as missing, so the tests can see what an older
    /// kernel gets; it can only make cordon stricter.
    public static func probe() -> KernelFeatures {
        let lacking = Set((getenv("CORDON_TEST_KERNEL_LACKS").map { String(cString: $0) } ?? "").split(separator: ",").map(String.init))
        let actions = actionTable.map { word, name, value in
            ActionSupport(word: word, kernelName: name, value: value, available: !lacking.contains(word) && cordon_action_available(value) == 0)
        }
        let flags = flagTable.map { name, value, since in
            // WAIT_KILLABLE_RECV is valid only with NEW_LISTENER.
            let asked = value == 1 << 5 ? value | 1 << 3 : value
            return FlagSupport(name: name, value: value, since: since, available: cordon_filter_flag_errno(asked) == EFAULT)
        }
        var notif: UInt16 = 0, response: UInt16 = 0, data: UInt16 = 0
        let sizes = cordon_notification_sizes(&notif, &response, &data) == 0 ? (Int(notif), Int(response), Int(data)) : nil
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let machine = withUnsafeBytes(of: name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let version = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        let atLeast511 = version.count == 2 && (version[0] > 5 || (version[0] == 5 && version[1] >= 11))
        return KernelFeatures(release: release, actions: actions, flags: flags, notificationSizes: sizes,
                              actionCache: atLeast511 && ["x86_64", "aarch64", "s390x", "ppc64le", "riscv64", "loongarch64", "i686", "i386"].contains(machine),
                              cacheDebugFile: access("/proc/self/seccomp_cache", F_OK) == 0)
    }

    /// Whether the kernel has the action of return value `value`.
    public func supports(_ action: SeccompReturn) -> Bool {
        let selector = action.rawValue & SeccompReturn.Action.fullMask
        return actions.first { $0.value == selector }?.available ?? false
    }

    /// The report `cordon kernel` prints.
    public var text: String {
        var out = "seccomp on Linux \(release)\n\nactions (SECCOMP_GET_ACTION_AVAIL):\n"
        for action in actions {
            out += "  \(action.word.padding(toLength: 14, withPad: " ", startingAt: 0))\(action.kernelName.padding(toLength: 26, withPad: " ", startingAt: 0))\(action.available ? "yes" : "no")\n"
        }
        out += "\nfilter flags:\n"
        for flag in flags {
            out += "  \(flag.name.padding(toLength: 40, withPad: " ", startingAt: 0))\(flag.available ? "yes" : "no ")  (Linux \(flag.since))\n"
        }
        out += "\nuser notification sizes (SECCOMP_GET_NOTIF_SIZES): "
        out += notificationSizes.map { "seccomp_notif \($0.notif), seccomp_notif_resp \($0.response), seccomp_data \($0.data) bytes\n" } ?? "not supported\n"
        out += "action cache: \(actionCache ? "yes" : "no") (Linux 5.11: syscalls every filter allows skip the filters)"
        out += cacheDebugFile ? "; /proc/PID/seccomp_cache lists them\n" : "\n"
        return out
    }
}
