/// Exact sets of 32-bit words, as reduced ordered binary decision diagrams
/// over the word's bits (bit 31 first): every set a seccomp program can
/// carve out of one `seccomp_data` word with `JEQ`/`JGT`/`JGE`/`JSET` against
/// constants after an optional `AND`, and every intersection, union and
/// complement of them, in a size that grows with the tests, not the values.
///
/// A `WordSets` store owns the nodes; a set is a `WordSet` handle into it.
/// Handles from one store are not to be mixed with another's.
public final class WordSets {
    /// A set of words: a node of the store.
    public struct WordSet: Hashable, Sendable {
        fileprivate let node: Int32
        /// Whether the set has no value.
        public var isEmpty: Bool { node == 0 }
        /// Whether the set has every value.
        public var isFull: Bool { node == 1 }
    }

    private struct Node: Hashable {
        let bit: Int8      // 31 ... 0; -1 for the two terminals
        let low: Int32     // the bit is 0
        let high: Int32    // the bit is 1
    }

    private var nodes: [Node] = [Node(bit: -1, low: 0, high: 0), Node(bit: -1, low: 1, high: 1)]
    private var unique: [Node: Int32] = [:]
    private var andMemo: [Pair: Int32] = [:]
    private var orMemo: [Pair: Int32] = [:]
    private var notMemo: [Int32: Int32] = [:]

    private struct Pair: Hashable {
        let a: Int32
        let b: Int32
    }

    public init() {}

    /// The empty set and the set of every word.
    public let empty = WordSet(node: 0)
    public let full = WordSet(node: 1)

    /// How many nodes the store holds (a measure of the analysis's work).
    public var size: Int { nodes.count }

    private func make(_ bit: Int8, _ low: Int32, _ high: Int32) -> Int32 {
        if low == high { return low }
        let node = Node(bit: bit, low: low, high: high)
        if let known = unique[node] { return known }
        let index = Int32(nodes.count)
        nodes.append(node)
        unique[node] = index
        return index
    }

    // MARK: - Sets the tests make

    /// The words `w` with `(w & mask) REL value`, REL one of ==, >, >=.
    public func compare(mask: UInt32, _ relation: Relation, _ value: UInt32) -> WordSet {
        // Built from bit 0 up: `tail` is the outcome when the higher bits
        // are all equal to value's.
        var tail: Int32 = relation == .greater ? 0 : 1
        for bit in 0..<32 {
            let m = mask >> bit & 1, k = value >> bit & 1
            let more: Int32 = relation == .equal ? 0 : 1  // this bit of (w & mask) above value's
            if m == 0 {
                // The bit of (w & mask) is 0.
                if k == 1 { tail = 0 }  // below value whatever comes lower
            } else if k == 0 {
                tail = make(Int8(bit), tail, more)
            } else {
                tail = make(Int8(bit), 0, tail)
            }
        }
        return WordSet(node: tail)
    }

    /// The relations a comparison tests.
    public enum Relation: Sendable {
        case equal, greater, greaterOrEqual
    }

    /// The words with at least one bit of `bits` set (`JSET`).
    public func anyBit(_ bits: UInt32) -> WordSet {
        var tail: Int32 = 0
        for bit in 0..<32 where bits >> bit & 1 == 1 { tail = make(Int8(bit), tail, 1) }
        return WordSet(node: tail)
    }

    /// The single word `value`.
    public func single(_ value: UInt32) -> WordSet { compare(mask: .max, .equal, value) }

    /// The words from `low` to `high`, both included.
    public func range(_ low: UInt32, _ high: UInt32) -> WordSet {
        guard low <= high else { return empty }
        return and(compare(mask: .max, .greaterOrEqual, low), not(compare(mask: .max, .greater, high)))
    }

    // MARK: - Set operations

    public func and(_ a: WordSet, _ b: WordSet) -> WordSet { WordSet(node: and(a.node, b.node)) }
    public func or(_ a: WordSet, _ b: WordSet) -> WordSet { WordSet(node: or(a.node, b.node)) }
    public func not(_ a: WordSet) -> WordSet { WordSet(node: not(a.node)) }
    public func minus(_ a: WordSet, _ b: WordSet) -> WordSet { and(a, not(b)) }

    /// Whether `value` is in `set`.
    public func contains(_ set: WordSet, _ value: UInt32) -> Bool {
        var node = set.node
        while node > 1 {
            let n = nodes[Int(node)]
            node = value >> UInt32(n.bit) & 1 == 1 ? n.high : n.low
        }
        return node == 1
    }

    // The operations walk the diagrams with their own stacks: a diagram is at
    // most 32 deep, so recursion is bounded; these recurse for clarity.
    private func and(_ a: Int32, _ b: Int32) -> Int32 {
        if a == 0 || b == 0 { return 0 }
        if a == 1 { return b }
        if b == 1 || a == b { return a }
        let key = a < b ? Pair(a: a, b: b) : Pair(a: b, b: a)
        if let known = andMemo[key] { return known }
        let (bit, a0, a1, b0, b1) = split(a, b)
        let result = make(bit, and(a0, b0), and(a1, b1))
        andMemo[key] = result
        return result
    }

    private func or(_ a: Int32, _ b: Int32) -> Int32 {
        if a == 1 || b == 1 { return 1 }
        if a == 0 { return b }
        if b == 0 || a == b { return a }
        let key = a < b ? Pair(a: a, b: b) : Pair(a: b, b: a)
        if let known = orMemo[key] { return known }
        let (bit, a0, a1, b0, b1) = split(a, b)
        let result = make(bit, or(a0, b0), or(a1, b1))
        orMemo[key] = result
        return result
    }

    private func not(_ a: Int32) -> Int32 {
        if a < 2 { return 1 - a }
        if let known = notMemo[a] { return known }
        let n = nodes[Int(a)]
        let result = make(n.bit, not(n.low), not(n.high))
        notMemo[a] = result
        return result
    }

    /// The top bit of two diagrams and their two halves under it.
    private func split(_ a: Int32, _ b: Int32) -> (Int8, Int32, Int32, Int32, Int32) {
        let na = nodes[Int(a)], nb = nodes[Int(b)]
        let bit = max(na.bit, nb.bit)
        let (a0, a1) = na.bit == bit ? (na.low, na.high) : (a, a)
        let (b0, b1) = nb.bit == bit ? (nb.low, nb.high) : (b, b)
        return (bit, a0, a1, b0, b1)
    }

    // MARK: - Reading a set

    /// How many words the set holds.
    public func count(_ set: WordSet) -> UInt64 {
        var memo: [Int32: UInt64] = [:]
        func paths(_ node: Int32, above: Int) -> UInt64 {
            // Words below bit `above` that reach 1 from `node`.
            if node == 0 { return 0 }
            let bit = node == 1 ? -1 : Int(nodes[Int(node)].bit)
            let skipped = UInt64(1) << UInt64(above - 1 - bit)
            if node == 1 { return skipped }
            let below: UInt64
            if let known = memo[node] { below = known } else {
                let n = nodes[Int(node)]
                below = paths(n.low, above: bit) + paths(n.high, above: bit)
                memo[node] = below
            }
            return skipped * below
        }
        return paths(set.node, above: 32)
    }

    /// The smallest word of a non-empty set.
    public func smallest(_ set: WordSet) -> UInt32? {
        guard !set.isEmpty else { return nil }
        var node = set.node, value: UInt32 = 0
        while node > 1 {
            let n = nodes[Int(node)]
            if n.low != 0 { node = n.low } else {
                value |= 1 << UInt32(n.bit)
                node = n.high
            }
        }
        return value
    }

    /// A word of the set chosen by `next` (a source of random bits), for sampling.
    public func sample(_ set: WordSet, _ next: () -> UInt32) -> UInt32? {
        guard !set.isEmpty else { return nil }
        var node = set.node, value: UInt32 = 0, free = next()
        var bit = 31
        while bit >= 0 {
            let n = nodes[Int(node)]
            if node > 1 && Int(n.bit) == bit {
                let takeHigh = n.low == 0 || (n.high != 0 && free >> UInt32(bit) & 1 == 1)
                if takeHigh { value |= 1 << UInt32(bit) }
                node = takeHigh ? n.high : n.low
            } else if free >> UInt32(bit) & 1 == 1 {
                value |= 1 << UInt32(bit)
            }
            bit -= 1
        }
        return value
    }

    /// The set as sorted, disjoint ranges, or nil when it needs more than `limit`.
    public func ranges(_ set: WordSet, limit: Int) -> [ClosedRange<UInt32>]? {
        var result: [ClosedRange<UInt32>] = []
        // Walk the diagram in order of values (low branch first); a full
        // subtree below bit b is one range of 2^(b+1) values.
        var stack: [(node: Int32, prefix: UInt64, bits: Int)] = [(set.node, 0, 32)]
        while let (node, prefix, bits) = stack.popLast() {
            if node == 0 { continue }
            let bit = node == 1 ? -1 : Int(nodes[Int(node)].bit)
            if node == 1 || bit < bits - 1 {
                // Bits between the last decided one and this node are free.
                if node == 1 {
                    let low = prefix << UInt64(bits), high = low + (UInt64(1) << UInt64(bits)) - 1
                    if let last = result.last, UInt64(last.upperBound) + 1 == low {
                        result[result.count - 1] = last.lowerBound...UInt32(high)
                    } else {
                        result.append(UInt32(low)...UInt32(high))
                        if result.count > limit { return nil }
                    }
                    continue
                }
                // Expand one free bit, high half pushed first so the low half comes first.
                stack.append((node, prefix << 1 | 1, bits - 1))
                stack.append((node, prefix << 1, bits - 1))
                continue
            }
            let n = nodes[Int(node)]
            stack.append((n.high, prefix << 1 | 1, bits - 1))
            stack.append((n.low, prefix << 1, bits - 1))
        }
        return result
    }

    /// The set as masked patterns `(w & mask) == value` (the diagram's
    /// paths), or nil when it needs more than `limit`.
    public func patterns(_ set: WordSet, limit: Int) -> [(mask: UInt32, value: UInt32)]? {
        var result: [(mask: UInt32, value: UInt32)] = []
        var stack: [(node: Int32, mask: UInt32, value: UInt32)] = [(set.node, 0, 0)]
        while let (node, mask, value) = stack.popLast() {
            if node == 0 { continue }
            if node == 1 {
                result.append((mask, value))
                if result.count > limit { return nil }
                continue
            }
            let n = nodes[Int(node)]
            let bit = UInt32(1) << UInt32(n.bit)
            stack.append((n.high, mask | bit, value | bit))
            stack.append((n.low, mask | bit, value))
        }
        return result
    }
}
