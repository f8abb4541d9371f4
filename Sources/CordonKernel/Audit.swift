import CordonBPF
import CordonLinux
import CordonPolicy

/// `cordon run --audit` and `--report`: the command runs under its policy's
/// program with every return other than `allow` turned into `USER_NOTIF`, so
/// the calls the policy simply allows never leave the kernel; the supervisor
/// decides each notified call with the IR interpreter, which names the
/// `return` that decided it, and reports it.
public struct AuditSession {
    /// What happens to a call the policy does not allow.
    public enum Mode: Sendable {
        /// Reported, then let through: nothing is enforced.
        case audit
        /// Reported, then given the policy's action.
        case report
    }

    public let policy: IRPolicy
    public let mode: Mode
    /// The calls reported, repeats counted.
    public private(set) var report = AuditReport()

    private var names: ProgramNames

    /// A session for the command named `command` (its first word).
    public init(policy: IRPolicy, mode: Mode, command: String) {
        self.policy = policy
        self.mode = mode
        names = ProgramNames(command: command, cached: false)
    }

    /// The program the command runs under: `program` (the policy's) with
    /// every return that is not `allow` sending the call to the supervisor.
    public static func filter(_ program: Program) -> Program {
        program.mappingReturns { SeccompReturn(rawValue: $0) == .allow ? $0 : SeccompReturn.Action.userNotif }
    }

    /// Decides `call`, records it, and returns the answer with the report's
    /// line when this is the first call of its kind (else nil).
    public mutating func answer(_ call: Supervisor.Call) -> (answer: Supervisor.Answer, firstLine: String?) {
        let (decision, read) = Interpreter.decideReading(policy, call.data)
        let first = report.add(program: names.name(call), pid: call.pid, data: call.data, read: read, decision: decision)
        let answer: Supervisor.Answer
        switch mode {
        case .audit: answer = .proceed
        case .report: answer = Self.enforce(decision.action)
        }
        return (answer, first.map { report.line($0) })
    }

    /// How the supervisor carries out an action: an errno exactly as the
    /// kernel would return it; `log` lets the call run; `trace` without a
    /// tracer fails with ENOSYS, as in the kernel. A kill is a SIGKILL of the
    /// process (the kernel's kill_thread ends only the thread; SIGKILL ends
    /// them all) and a trap a SIGSYS without the kernel's siginfo: the
    /// nearest a supervisor can come.
    public static func enforce(_ action: SeccompReturn) -> Supervisor.Answer {
        switch action {
        case .allow, .log: return .proceed
        case .errno(let n): return .fail(errno: min(n, SeccompReturn.maxErrno))
        case .trace, .userNotif: return .fail(errno: UInt16(38))  // ENOSYS
        case .killProcess, .killThread, .unknown: return .killProcess
        case .trap: return .signalThread
        }
    }
}

/// The calls a supervised run reported, in the order first seen, with how
/// often each came. A repeat is a call of the same program and syscall that
/// the same `return` decided with the same values in every field the policy
/// read on the way (pointers the policy never looks at do not make a call
/// new): it is counted, not printed again. A line shows the first call.
public struct AuditReport: Sendable {
    /// One kind of call.
    public struct Entry: Sendable {
        public let program: String
        /// The pid of the first call of this kind.
        public let pid: Int32
        public let call: String
        public let action: SeccompReturn
        /// `FILE:LINE:COL` of the deciding `return`; nil for the default badarch.
        public let location: String?
        public fileprivate(set) var count: Int
    }

    private struct Key: Hashable {
        let program: String
        let arch: UInt32
        let nr: UInt32
        let read: [Field: UInt64]
        let decision: Decision
    }

    public private(set) var entries: [Entry] = []
    private var index: [Key: Int] = [:]

    public init() {}

    /// Counts a call, decided as `decision` after reading `read`; returns
    /// its entry's index when it is new.
    public mutating func add(program: String, pid: Int32, data: SeccompData, read: [Field: UInt64], decision: Decision) -> Int? {
        let key = Key(program: program, arch: data.arch, nr: data.nr, read: read, decision: decision)
        if let i = index[key] {
            entries[i].count += 1
            return nil
        }
        index[key] = entries.count
        entries.append(Entry(program: program, pid: pid, call: Self.describe(data), action: decision.action,
                             location: decision.location.map { "\($0)" }, count: 1))
        return entries.count - 1
    }

    /// Calls counted in all.
    public var total: Int { entries.reduce(0) { $0 + $1.count } }

    /// `python3[4242] socket(family=AF_INET, ...) -> errno 13 (EACCES) at nonet.tcl:10:56`
    public func line(_ i: Int) -> String {
        let e = entries[i]
        return "\(e.program)[\(e.pid)] \(e.call) -> \(e.action.named) at \(e.location ?? "the default badarch")"
    }

    /// Every entry's line with its count when it came more than once.
    public var lines: [String] {
        entries.indices.map { line($0) + (entries[$0].count > 1 ? "  (\(entries[$0].count) calls)" : "") }
    }

    /// A call as people read it, for any architecture the kernel reports.
    public static func describe(_ data: SeccompData) -> String {
        guard let arch = Arch.of(auditArch: data.arch, nr: data.nr) else {
            return "syscall \(data.nr) of unknown architecture 0x\(String(data.arch, radix: 16))"
        }
        let text = CallText.describe(arch: arch, nr: data.nr, args: data.args)
        return arch == .x86_64 ? text : "\(arch.rawValue) \(text)"
    }
}
