import CordonLinux

/// The reference semantics of a checked policy: given what the kernel
/// passes for a syscall, the action and the `return` that decides it.
/// Every compiled program is checked against it.
public enum Interpreter {
    /// The decision for `data`. A syscall on x86_64's audit value with bit
    /// 30 set belongs to x32 (except nr -1, which stays x86_64); a syscall of
    /// an architecture without a block gets `badarch`.
    public static func decide(_ policy: IRPolicy, _ data: SeccompData) -> Decision {
        guard let arch = Arch.of(auditArch: data.arch, nr: data.nr), let block = policy.block(for: arch) else {
            return policy.badarch
        }
        return run(block.statements, data) ?? Decision(action: .killProcess, location: nil)
    }

    /// The decision of `statements`, or nil when they fall through (a checked
    /// block never does).
    static func run(_ statements: [Statement], _ data: SeccompData) -> Decision? {
        for statement in statements {
            switch statement {
            case .return(let action, let location):
                return Decision(action: action, location: location)
            case .if(let condition, let then, let otherwise, _):
                if let decision = run(condition.holds(data) ? then : otherwise, data) { return decision }
            }
        }
        return nil
    }
}
