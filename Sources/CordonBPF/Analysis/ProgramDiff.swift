import CordonLinux

/// Where two programs decide differently, exactly: both programs are built
/// as decision diagrams in one store (`ProgramDiagram`), combined into the
/// diagram of their pair of decisions, and every path of it that leads to
/// two different values is a difference. The diagrams share what the
/// programs' code shares, so programs whose paths number billions compare
/// in the time their code takes.
public enum ProgramDiff {
    /// A class of inputs on which the programs disagree.
    public struct Difference: Sendable {
        public let words: [UInt32: WordSets.WordSet]
        public let a: UInt32
        public let b: UInt32

        public init(words: [UInt32: WordSets.WordSet], a: UInt32, b: UInt32) {
            self.words = words
            self.a = a
            self.b = b
        }
    }

    /// The differences between `a` and `b`, and into how many classes the
    /// two programs together split their inputs (the paths of the pair's
    /// diagram: what the comparison covered). Throws past `limit`
    /// differences.
    public static func differences(_ a: [Instruction], _ b: [Instruction], in store: WordSets,
                                   limit: Int = 1_000_000) throws(ProgramClasses.Refusal) -> (differences: [Difference], classes: Int) {
        let diagrams = DecisionDiagrams(words: store)
        let first = try ProgramDiagram.build(a, in: diagrams), second = try ProgramDiagram.build(b, in: diagrams)
        // The pair of values as one leaf (a value is 32 bits).
        let joint = diagrams.combine(first, second) { x, y in x << 32 | y }
        if diagrams.exhausted { throw .diagramTooLarge }
        let found = try diagrams.paths(joint, limit: limit) { $0 >> 32 != $0 & 0xFFFF_FFFF }
        let classes = Int(clamping: diagrams.pathCount(joint))
        return (found.map { Difference(words: $0.words, a: UInt32($0.value >> 32), b: UInt32(truncatingIfNeeded: $0.value)) }, classes)
    }
}

extension ProgramDiff {
    /// Fewer, larger differences: two with the same pair of values whose
    /// words differ in one word only become one, that word's sets joined.
    /// Exact: the union of two products that differ in one factor is a product.
    public static func merged(_ differences: [Difference], in store: WordSets) -> [Difference] {
        var current = differences
        var changed = true
        while changed {
            changed = false
            let offsets = Set(current.flatMap(\.words.keys)).sorted()
            for offset in offsets {
                struct Key: Hashable { let a: UInt32, b: UInt32, rest: [UInt32: WordSets.WordSet] }
                var order: [Key] = [], joined: [Key: WordSets.WordSet] = [:]
                for d in current {
                    var rest = d.words
                    let own = rest.removeValue(forKey: offset) ?? store.full
                    let key = Key(a: d.a, b: d.b, rest: rest)
                    if let known = joined[key] {
                        joined[key] = store.or(known, own)
                        changed = true
                    } else {
                        joined[key] = own
                        order.append(key)
                    }
                }
                current = order.map { key in
                    var words = key.rest
                    let set = joined[key]!
                    if !set.isFull { words[offset] = set }
                    return Difference(words: words, a: key.a, b: key.b)
                }
            }
        }
        return current
    }
}

extension ProgramDiff {
    /// The high words of the instruction pointer and the arguments on the
    /// 32-bit architectures cordon knows (all little endian): always 0 there.
    public static let narrowHighWords: [UInt32] = [12] + (0..<6).map { UInt32(20 + 8 * $0) }

    /// The part of each difference a kernel can pass: on a 32-bit
    /// architecture (i386, arm) the high words of the arguments and of the
    /// instruction pointer are always 0, so a difference there that needs
    /// another high word is no difference at all.
    public static func realizable(_ differences: [Difference], in store: WordSets) -> [Difference] {
        var narrow = store.empty
        for arch in Arch.allCases where arch.argumentBits == 32 { narrow = store.or(narrow, store.single(arch.auditArch)) }
        var result: [Difference] = []
        for d in differences {
            let arches = d.words[4] ?? store.full
            let wide = store.minus(arches, narrow)
            if !wide.isEmpty {
                var words = d.words
                words[4] = wide
                result.append(Difference(words: words, a: d.a, b: d.b))
            }
            let thin = store.and(arches, narrow)
            guard !thin.isEmpty else { continue }
            var words = d.words
            words[4] = thin
            var possible = true
            for offset in narrowHighWords {
                let set = words[offset] ?? store.full
                if !store.contains(set, 0) { possible = false; break }
                words[offset] = nil
            }
            if possible { result.append(Difference(words: words, a: d.a, b: d.b)) }
        }
        return result
    }
}
