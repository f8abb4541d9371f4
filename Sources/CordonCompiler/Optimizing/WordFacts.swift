import CordonPolicy
/// What a path has learnt of whole 32-bit words of `seccomp_data` from the
/// equality tests it passed or failed: a word's value, or values it is
/// not. A later test those facts decide is not emitted: with first match
/// wins, a repeated test is dead, and after `$args(0) == 3` failed on its
/// high word every other `$args(0) == V` is decided too.
struct WordFacts: Hashable {
    private var equal: [UInt32: UInt32] = [:]
    private var notEqual: [UInt32: Set<UInt32>] = [:]

    /// How many values a word may be known not to be; past it new ones are
    /// not recorded (an `in` list of thousands would make every state unique).
    static let notEqualLimit = 32

    var isEmpty: Bool { equal.isEmpty && notEqual.isEmpty }

    /// Records that word `offset` is (or is not) `value`.
    mutating func learn(_ offset: UInt32, equals: Bool, _ value: UInt32) {
        if equals {
            equal[offset] = value
            notEqual[offset] = nil
        } else if equal[offset] == nil {
            var set = notEqual[offset] ?? []
            guard set.count < Self.notEqualLimit else { return }
            set.insert(value)
            notEqual[offset] = set
        }
    }

    /// The truth of `word relation value` if the facts decide it.
    func truth(_ offset: UInt32, _ relation: Relation, _ value: UInt32) -> Bool? {
        if let known = equal[offset] { return relation.holds(UInt64(known), UInt64(value)) }
        guard let excluded = notEqual[offset], excluded.contains(value) else { return nil }
        switch relation {
        case .equal: return false
        case .notEqual: return true
        default: return nil
        }
    }
}
