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

extension Interpreter {
    /// The decision for `data`, with the value of every field that the
    /// conditions on the deciding path read: another call with the same
    /// values takes the same path to the same `return`. That is what makes
    /// two calls "the same" in a supervisor's report, whatever their pointers.
    public static func decideReading(_ policy: IRPolicy, _ data: SeccompData) -> (decision: Decision, read: [Field: UInt64]) {
        guard let arch = Arch.of(auditArch: data.arch, nr: data.nr), let block = policy.block(for: arch) else {
            return (policy.badarch, [:])
        }
        var read: [Field: UInt64] = [:]
        let decision = run(block.statements, data, reading: &read) ?? Decision(action: .killProcess, location: nil)
        return (decision, read)
    }

    static func run(_ statements: [Statement], _ data: SeccompData, reading read: inout [Field: UInt64]) -> Decision? {
        for statement in statements {
            switch statement {
            case .return(let action, let location):
                return Decision(action: action, location: location)
            case .if(let condition, let then, let otherwise, _):
                if let decision = run(holds(condition, data, reading: &read) ? then : otherwise, data, reading: &read) { return decision }
            }
        }
        return nil
    }
}

extension Interpreter {
    /// Whether `condition` holds, as `Condition.holds` decides it (the same
    /// operands in the same order, stopping as soon as the outcome is
    /// known), noting the field of each test it evaluates.
    static func holds(_ condition: Condition, _ data: SeccompData, reading read: inout [Field: UInt64]) -> Bool {
        switch condition {
        case .test(let t):
            read[t.field] = t.field.value(in: data)
            return t.holds(data)
        case .not(let c): return !holds(c, data, reading: &read)
        case .constant(let value): return value
        case .and, .or:
            let isAnd = condition.isAnd
            for operand in condition.chainOperands where holds(operand, data, reading: &read) != isAnd { return !isAnd }
            return isAnd
        }
    }
}
