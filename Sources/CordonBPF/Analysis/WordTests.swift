/// The comparisons a program makes of each `seccomp_data` word, gathered
/// while `ProgramClasses` walks it: the vocabulary a lifted policy can use
/// to write a set the program carved out of a word, since every such set is
/// a Boolean combination of them.
public final class WordTests {
    /// One comparison: `(word & mask) REL operand`, or `(word & mask) != 0` for `JSET`.
    public struct Test: Hashable, Sendable {
        /// The bits compared (all for a plain load).
        public let mask: UInt32
        /// The relation, nil for `JSET` (some bit of `mask` set).
        public let relation: WordSets.Relation?
        /// The constant compared with (unused by `JSET`).
        public let operand: UInt32
        /// The words that pass.
        public let set: WordSets.WordSet
    }

    /// The distinct tests of each word offset, in the order first met.
    public private(set) var byOffset: [UInt32: [Test]] = [:]
    private var seen: Set<Seen> = []

    /// A test of one word: the same comparison of two words is two tests.
    private struct Seen: Hashable {
        let offset: UInt32
        let test: Test
    }

    public init() {}

    func record(_ offset: UInt32, _ test: Test) {
        guard !test.set.isEmpty, !test.set.isFull, seen.insert(Seen(offset: offset, test: test)).inserted else { return }
        byOffset[offset, default: []].append(test)
    }
}
