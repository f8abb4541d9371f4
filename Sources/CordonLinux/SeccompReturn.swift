/// A seccomp filter's 32-bit return value, decoded as the kernel reads it:
/// the upper 16 bits select the action, the lower 16 carry its data.
public enum SeccompReturn: Hashable, Sendable, CustomStringConvertible {
    case killProcess
    case killThread
    case trap(UInt16)
    case errno(UInt16)
    case userNotif
    case trace(UInt16)
    case log
    case allow
    /// An action value the kernel does not know; it treats it as kill_process.
    case unknown(UInt32)

    /// `SECCOMP_RET_*` action values (`<linux/seccomp.h>`).
    public enum Action {
        public static let killProcess: UInt32 = 0x8000_0000
        public static let killThread: UInt32 = 0x0000_0000
        public static let trap: UInt32 = 0x0003_0000
        public static let errno: UInt32 = 0x0005_0000
        public static let userNotif: UInt32 = 0x7FC0_0000
        public static let trace: UInt32 = 0x7FF0_0000
        public static let log: UInt32 = 0x7FFC_0000
        public static let allow: UInt32 = 0x7FFF_0000
        /// `SECCOMP_RET_ACTION_FULL`: the bits that select the action.
        public static let fullMask: UInt32 = 0xFFFF_0000
        /// `SECCOMP_RET_DATA`: the bits passed along with it.
        public static let dataMask: UInt32 = 0x0000_FFFF
    }

    /// The largest errno the kernel passes on (`MAX_ERRNO`); larger data is capped to it.
    public static let maxErrno: UInt16 = 4095

    /// Decodes a filter's return value.
    public init(rawValue: UInt32) {
        let data = UInt16(rawValue & Action.dataMask)
        switch rawValue & Action.fullMask {
        case Action.killProcess: self = .killProcess
        case Action.killThread: self = .killThread
        case Action.trap: self = .trap(data)
        case Action.errno: self = .errno(data)
        case Action.userNotif: self = .userNotif
        case Action.trace: self = .trace(data)
        case Action.log: self = .log
        case Action.allow: self = .allow
        default: self = .unknown(rawValue)
        }
    }

    /// The 32-bit value that encodes this return (data bits of actions
    /// without data are zero).
    public var rawValue: UInt32 {
        switch self {
        case .killProcess: return Action.killProcess
        case .killThread: return Action.killThread
        case .trap(let n): return Action.trap | UInt32(n)
        case .errno(let n): return Action.errno | UInt32(n)
        case .userNotif: return Action.userNotif
        case .trace(let n): return Action.trace | UInt32(n)
        case .log: return Action.log
        case .allow: return Action.allow
        case .unknown(let raw): return raw
        }
    }

    /// The `SECCOMP_RET_*` macro name of the action part.
    public var macroName: String {
        switch self {
        case .killProcess: return "SECCOMP_RET_KILL_PROCESS"
        case .killThread: return "SECCOMP_RET_KILL_THREAD"
        case .trap: return "SECCOMP_RET_TRAP"
        case .errno: return "SECCOMP_RET_ERRNO"
        case .userNotif: return "SECCOMP_RET_USER_NOTIF"
        case .trace: return "SECCOMP_RET_TRACE"
        case .log: return "SECCOMP_RET_LOG"
        case .allow: return "SECCOMP_RET_ALLOW"
        case .unknown: return "SECCOMP_RET_KILL_PROCESS"
        }
    }

    /// The action as the policy language writes it, with the number of
    /// `errno`, `trap` and `trace` in decimal: `allow`, `errno 22`, `trap 0`.
    public var description: String {
        switch self {
        case .killProcess: return "kill_process"
        case .killThread: return "kill_thread"
        case .trap(let n): return "trap \(n)"
        case .errno(let n): return "errno \(n)"
        case .userNotif: return "notify"
        case .trace(let n): return "trace \(n)"
        case .log: return "log"
        case .allow: return "allow"
        case .unknown(let raw): return "kill_process (unknown action 0x\(String(raw, radix: 16)))"
        }
    }

    /// As `description`, with an errno's name after its number, as cli.md
    /// allows: `errno 13 (EACCES)`. The number stays first for scripts.
    public var named: String {
        if case .errno(let n) = self, let name = ConstantTable.errnoName(of: Int64(n)) { return "errno \(n) (\(name))" }
        return description
    }

    /// The return in the listing's style: `ALLOW`, `ERRNO(22)`, `KILL_PROCESS`.
    public var listingText: String {
        switch self {
        case .killProcess: return "KILL_PROCESS"
        case .killThread: return "KILL_THREAD"
        case .trap(let n): return "TRAP(\(n))"
        case .errno(let n): return "ERRNO(\(n))"
        case .userNotif: return "USER_NOTIF"
        case .trace(let n): return "TRACE(\(n))"
        case .log: return "LOG"
        case .allow: return "ALLOW"
        case .unknown(let raw): return "0x" + hex8(raw)
        }
    }
}

/// `value` as eight lower-case hex digits.
@inlinable
public func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
