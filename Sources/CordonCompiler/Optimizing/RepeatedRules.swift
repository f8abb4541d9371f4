import CordonPolicy

/// Removes rules a statement list can never reach because an identical
/// test already failed on the way: after `if {C} {... return}`, a later
/// `if {C}` at the same level is false (first match wins). Tests compare by
/// what they test, not where they are written. Path facts find the same
/// thing as they compile; without facts this keeps a policy's repeated
/// rules (generated policies have many) from costing code.
enum RepeatedRules {
    static func removed(_ statements: [Statement]) -> [Statement] {
        var failed: Set<TestShape> = []
        var result: [Statement] = []
        var pending = statements[...]
        while let statement = pending.popFirst() {
            guard case .if(let condition, let then, let otherwise, _) = statement, let shape = TestShape(condition) else {
                result.append(statement)
                if case .return = statement { return result }
                continue
            }
            if failed.contains(shape) {
                // Known false here: only its else branch can run.
                pending = (otherwise + pending)[...]
                continue
            }
            result.append(statement)
            if Specializer.endsInReturn(then) && otherwise.isEmpty { failed.insert(shape) }
        }
        return result
    }

    /// A condition's tests without their source locations.
    private indirect enum TestShape: Hashable {
        case test(Field, UInt64?, Relation, UInt64)
        case and(TestShape, TestShape), or(TestShape, TestShape), not(TestShape)

        /// Nil for a constant, or a condition nested deeper than 16 (a rule
        /// that large is not worth comparing, and recursion stays bounded).
        init?(_ condition: Condition, depth: Int = 0) {
            guard depth < 16 else { return nil }
            switch condition {
            case .test(let t): self = .test(t.field, t.mask, t.relation, t.value)
            case .and(let a, let b):
                guard let x = TestShape(a, depth: depth + 1), let y = TestShape(b, depth: depth + 1) else { return nil }
                self = .and(x, y)
            case .or(let a, let b):
                guard let x = TestShape(a, depth: depth + 1), let y = TestShape(b, depth: depth + 1) else { return nil }
                self = .or(x, y)
            case .not(let a):
                guard let x = TestShape(a, depth: depth + 1) else { return nil }
                self = .not(x)
            case .constant: return nil
            }
        }
    }
}
