import CordonLinux

/// Specializes a block for one syscall number: every test of `$nr` is
/// decided, constants are folded, and what remains depends only on the
/// arguments and the instruction pointer. The optimizing backend compiles one
/// residual per distinct decision; the lints ask what a syscall can reach.
public enum Specializer {
    /// `statements` with every `$nr` test decided for `nr`, dead branches
    /// removed. With `keepMasked`, tests of a masked `$nr` stay (their truth
    /// is not constant over a range of numbers).
    public static func specialize(_ statements: [Statement], nr: UInt32, keepMasked: Bool = false) -> [Statement] {
        // One walk for both: unprepared, every condition is folded.
        specialize(PreparedStatements(statements, decidingNumbers: false), nr: nr, keepMasked: keepMasked)
    }

    /// The condition with `$nr` tests decided and constants folded.
    public static func fold(_ condition: Condition, nr: UInt32, keepMasked: Bool = false) -> Condition {
        switch condition {
        case .test(let test) where test.field == .nr && !(keepMasked && test.mask != nil):
            // As test.holds would decide it, without building a SeccompData per test.
            return .constant(test.relation.holds(UInt64(nr) & (test.mask ?? 0xFFFF_FFFF), test.value))
        case .test, .constant:
            return condition
        case .not(let inner):
            let folded = fold(inner, nr: nr, keepMasked: keepMasked)
            if case .constant(let value) = folded { return .constant(!value) }
            return .not(folded)
        case .and(let a, let b):
            // Pattern matches, not `==` against `.constant(false)`: comparing
            // with an indirect enum literal allocates it, per node.
            let fa = fold(a, nr: nr, keepMasked: keepMasked)
            if case .constant(let value) = fa { return value ? fold(b, nr: nr, keepMasked: keepMasked) : .constant(false) }
            let fb = fold(b, nr: nr, keepMasked: keepMasked)
            if case .constant(let value) = fb { return value ? fa : .constant(false) }
            return .and(fa, fb)
        case .or(let a, let b):
            let fa = fold(a, nr: nr, keepMasked: keepMasked)
            if case .constant(let value) = fa { return value ? .constant(true) : fold(b, nr: nr, keepMasked: keepMasked) }
            let fb = fold(b, nr: nr, keepMasked: keepMasked)
            if case .constant(let value) = fb { return value ? .constant(true) : fa }
            return .or(fa, fb)
        }
    }

    /// The numbers where the truth of some unmasked `$nr` test of
    /// `statements` can change: every interval between two neighbouring
    /// breakpoints decides those tests one way. Values up to 2^32.
    public static func breakpoints(_ statements: [Statement]) -> Set<UInt64> {
        var result: Set<UInt64> = [0]
        func visit(_ c: Condition) {
            switch c {
            case .test(let t) where t.field == .nr && t.mask == nil:
                switch t.relation {
                case .equal, .notEqual: result.insert(t.value); result.insert(t.value + 1)
                case .less, .greaterEqual: result.insert(t.value)
                case .lessEqual, .greater: result.insert(t.value + 1)
                }
            case .and(let a, let b), .or(let a, let b): visit(a); visit(b)
            case .not(let inner): visit(inner)
            case .test, .constant: break
            }
        }
        func walk(_ list: [Statement]) {
            for statement in list {
                if case .if(let c, let t, let e, _) = statement {
                    visit(c)
                    walk(t)
                    walk(e)
                }
            }
        }
        walk(statements)
        return result.filter { $0 < 1 << 32 }
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
        reachableActions(in: specialize(block.statements, nr: nr))
    }

    /// The actions specialized statements can reach, argument tests taken both ways.
    static func reachableActions(in specialized: [Statement]) -> Set<SeccompReturn> {
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
        _ = walk(specialized)
        return actions
    }
}
