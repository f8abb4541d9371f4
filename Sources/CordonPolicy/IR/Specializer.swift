import CordonLinux

/// Specializes a block for one syscall number: every test of `$nr` is
/// decided, constants are folded, and what remains depends only on the
/// arguments and the instruction pointer. The optimizing backend compiles one
/// residual per distinct decision; the lints ask what a syscall can reach.
public enum Specializer {
    /// `statements` with every `$nr` test decided for `nr`, dead branches removed.
    public static func specialize(_ statements: [Statement], nr: UInt32) -> [Statement] {
        var result: [Statement] = []
        for statement in statements {
            switch statement {
            case .return:
                result.append(statement)
                return result
            case .if(let condition, let then, let otherwise, let location):
                switch fold(condition, nr: nr) {
                case .constant(true):
                    let inner = specialize(then, nr: nr)
                    result += inner
                    if endsInReturn(inner) { return result }
                case .constant(false):
                    let inner = specialize(otherwise, nr: nr)
                    result += inner
                    if endsInReturn(inner) { return result }
                case let residual:
                    let t = specialize(then, nr: nr), e = specialize(otherwise, nr: nr)
                    result.append(.if(residual, then: t, else: e, location: location))
                    if endsInReturn(t) && endsInReturn(e) { return result }
                }
            }
        }
        return result
    }

    /// The condition with `$nr` tests decided and constants folded.
    public static func fold(_ condition: Condition, nr: UInt32) -> Condition {
        switch condition {
        case .test(let test) where test.field == .nr:
            return .constant(test.holds(SeccompData(nr: nr, arch: 0)))
        case .test, .constant:
            return condition
        case .not(let inner):
            if case .constant(let value) = fold(inner, nr: nr) { return .constant(!value) }
            return .not(fold(inner, nr: nr))
        case .and(let a, let b):
            let fa = fold(a, nr: nr), fb = fold(b, nr: nr)
            if fa == .constant(false) || fb == .constant(false) { return .constant(false) }
            if fa == .constant(true) { return fb }
            if fb == .constant(true) { return fa }
            return .and(fa, fb)
        case .or(let a, let b):
            let fa = fold(a, nr: nr), fb = fold(b, nr: nr)
            if fa == .constant(true) || fb == .constant(true) { return .constant(true) }
            if fa == .constant(false) { return fb }
            if fb == .constant(false) { return fa }
            return .or(fa, fb)
        }
    }

    /// Whether every path through `statements` ends in a return.
    public static func endsInReturn(_ statements: [Statement]) -> Bool {
        for statement in statements {
            switch statement {
            case .return: return true
            case .if(_, let t, let e, _): if endsInReturn(t) && endsInReturn(e) { return true }
            }
        }
        return false
    }

    /// The actions syscall `nr` can reach in `block`, whatever its arguments
    /// (an over-approximation: argument tests are taken both ways).
    public static func reachableActions(_ block: IRBlock, nr: UInt32) -> Set<SeccompReturn> {
        var actions: Set<SeccompReturn> = []
        func walk(_ statements: [Statement]) -> Bool {  // returns whether all paths returned
            for statement in statements {
                switch statement {
                case .return(let action, _):
                    actions.insert(action)
                    return true
                case .if(let condition, let t, let e, _):
                    switch condition {
                    case .constant(true): if walk(t) { return true }
                    case .constant(false): if walk(e) { return true }
                    default:
                        let a = walk(t), b = walk(e)
                        if a && b { return true }
                    }
                }
            }
            return false
        }
        _ = walk(specialize(block.statements, nr: nr))
        return actions
    }
}
