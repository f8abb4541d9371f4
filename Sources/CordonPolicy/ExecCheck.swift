import CordonLinux

/// Whether a policy lets a process start a program: `cordon run` loads the
/// filter and then calls execve, so a policy that refuses execve on the host
/// ABI whatever its arguments would leave nothing running.
public enum ExecCheck {
    /// nil when execve can be allowed on `host`; else what refuses it and where.
    public static func refusal(_ policy: IRPolicy, host: Arch) -> String? {
        guard let nr = SyscallTable.forArch(host).number(of: "execve") else { return nil }
        guard let block = policy.block(for: host) else {
            let at = policy.badarch.location.map { " (\($0))" } ?? " (the default)"
            return "\(host) has no block, so badarch decides: \(policy.badarch.action)\(at)"
        }
        let actions = Specializer.reachableActions(block, nr: nr)
        if actions.contains(.allow) || actions.contains(.log) { return nil }
        let decision = Interpreter.decide(policy, SeccompData(arch: host, nr: nr))
        let at = decision.location.map { " at \($0)" } ?? ""
        return "\(decision.action)\(at)"
    }
}
