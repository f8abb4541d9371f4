import CordonBPF

/// A set of one word written as a Boolean formula over the comparisons the
/// program itself made of that word (`WordTests`): where a set mixes ranges
/// with masked tests (`$nr >= 237 && ($nr & 0xff) != 0x29`), its ranges and
/// bit patterns are too many to list, yet a few of the program's tests
/// decide it. A decision over those tests, each side written only as far
/// as it matters (a care set: values outside it may be decided either way).
struct TestFormula {
    let store: WordSets
    let tests: [WordTests.Test]
    /// The field as the policy reads the word (`$nr`, `$args32(1)`, `$args(2)` for a high word).
    let field: String
    /// 0 for a low word, 32 for a high word compared through the 64-bit field.
    let shift: UInt64
    /// How many tests the formula may use before it gives up.
    var budget = 48

    /// A formula true on every value of `set` inside `care` and false on
    /// every other value inside `care`; nil when the tests cannot say it
    /// within the budget.
    mutating func write(_ set: WordSets.WordSet, care: WordSets.WordSet) -> String? {
        let lower = store.and(set, care)
        if lower.isEmpty { return "0" }
        let upper = store.or(set, store.not(care))
        if upper.isFull { return "1" }
        if let simple = simpleForm(lower) ?? simpleForm(upper) { return simple }
        // The test that decides the most: both sides settled, else one.
        var best: (test: WordTests.Test, settled: Int)?
        for test in tests {
            let yes = store.and(care, test.set), no = store.minus(care, test.set)
            if yes.isEmpty || no.isEmpty { continue }
            let settled = [yes, no].filter { side in store.and(lower, side).isEmpty || store.minus(side, set).isEmpty }.count
            if best == nil || settled > best!.settled { best = (test, settled) }
            if settled == 2 { break }
        }
        guard let (test, _) = best, budget > 0 else { return nil }
        budget -= 1
        guard let inside = write(set, care: store.and(care, test.set)),
              let outside = write(set, care: store.minus(care, test.set)) else { return nil }
        let atom = text(test)
        switch (inside, outside) {
        case ("1", "0"): return atom
        case ("0", "1"): return "!\(atom)"
        case ("1", _): return "(\(atom) || \(outside))"
        case ("0", _): return "(!\(atom) && \(outside))"
        case (_, "0"): return "(\(atom) && \(inside))"
        case (_, "1"): return "(!\(atom) || \(inside))"
        default: return "((\(atom) && \(inside)) || (!\(atom) && \(outside)))"
        }
    }

    /// One or two ranges of the set or of its complement.
    private func simpleForm(_ set: WordSets.WordSet) -> String? {
        if let ranges = store.ranges(set, limit: 2) { return or(ranges.map(range)) }
        if let ranges = store.ranges(store.not(set), limit: 2) { return "!" + or(ranges.map(range), parens: true) }
        return nil
    }

    private func or(_ parts: [String], parens: Bool = false) -> String {
        parts.count == 1 && !parens ? parts[0] : "(" + parts.joined(separator: " || ") + ")"
    }

    private func range(_ r: ClosedRange<UInt32>) -> String {
        let low = UInt64(r.lowerBound) << shift, high = UInt64(r.upperBound) << shift | (shift == 32 ? 0xFFFF_FFFF : 0)
        if r.count == 1 { return shift == 0 ? "\(field) == \(hex(low))" : "(\(field) & 0xffffffff00000000) == \(hex(low))" }
        if r.lowerBound == 0 { return "\(field) <= \(hex(high))" }
        if r.upperBound == .max { return "\(field) >= \(hex(low))" }
        return "(\(field) >= \(hex(low)) && \(field) <= \(hex(high)))"
    }

    /// A test as the program made it, in parentheses where it combines.
    func text(_ test: WordTests.Test) -> String {
        let mask = UInt64(test.mask) << shift, operand = UInt64(test.operand) << shift
        let subject = test.mask == .max && shift == 0 ? field : "(\(field) & \(hex(mask)))"
        switch test.relation {
        case nil: return "(\(subject) != 0)"
        case .equal?: return "(\(subject) == \(hex(operand)))"
        case .greater?: return "(\(subject) > \(hex(operand)))"
        case .greaterOrEqual?: return "(\(subject) >= \(hex(operand)))"
        }
    }

    private func hex(_ v: UInt64) -> String { v < 10 ? String(v) : "0x" + String(v, radix: 16) }
}
