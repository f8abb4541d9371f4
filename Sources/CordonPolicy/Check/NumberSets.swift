/// What a condition says about `$nr`: the syscall numbers it lets through
/// when it holds (or when it fails). nil means "any number" (the condition
/// does not pin the syscall down). Used to resolve `$args(NAME)` where the
/// path fixes the syscall, and by the width lint.
enum NumberSets {
    /// The numbers `c` allows when its truth is `holding`, if it pins them
    /// down: `$nr == N` holding, `$nr != N` failing, `in` lists, and `&&`/`||`
    /// of those. Long chains are walked in a loop.
    static func implied(by c: Condition, holding: Bool) -> Set<UInt32>? {
        switch c {
        case .test(let t):
            guard t.field == .nr, t.mask == nil || t.mask == 0xFFFF_FFFF else { return nil }
            switch (t.relation, holding) {
            case (.equal, true), (.notEqual, false): return [UInt32(truncatingIfNeeded: t.value)]
            default: return nil
            }
        case .constant(let value):
            return value == holding ? nil : []
        case .not(let inner):
            return implied(by: inner, holding: !holding)
        case .and, .or:
            let isAnd = c.isAnd, operands = c.chainOperands
            // a && b holding, or a || b failing: every operand does (intersection);
            // a && b failing, or a || b holding: some operand does (union).
            if isAnd == holding {
                var result: Set<UInt32>?
                for operand in operands { result = intersect(result, implied(by: operand, holding: holding)) }
                return result
            }
            var result: Set<UInt32> = []
            for operand in operands {
                guard let set = implied(by: operand, holding: holding) else { return nil }
                result.formUnion(set)
            }
            return result
        }
    }

    /// Both constraints (nil is "any").
    static func intersect(_ a: Set<UInt32>?, _ b: Set<UInt32>?) -> Set<UInt32>? {
        guard let a else { return b }
        guard let b else { return a }
        return a.intersection(b)
    }

    /// The numbers after a branching statement: the union of the paths of
    /// the branches that go on past it, or `allReturn` when none does.
    static func join(_ continuing: [Set<UInt32>?], allReturn: Set<UInt32>?) -> Set<UInt32>? {
        guard let first = continuing.first else { return allReturn }
        return continuing.dropFirst().reduce(first, union)
    }

    /// Either constraint (nil is "any").
    static func union(_ a: Set<UInt32>?, _ b: Set<UInt32>?) -> Set<UInt32>? {
        guard let a, let b else { return nil }
        return a.union(b)
    }
}
