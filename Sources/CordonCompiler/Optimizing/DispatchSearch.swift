import CordonBPF

/// The search -O2 built over one architecture value's syscall ranges, and
/// the lower bound it is measured against: the optimal search over the same
/// ranges and weights, from an exact dynamic program. Both count the
/// conditional jumps a call spends finding its range, each weighted by how
/// often its syscalls are expected (the mix); what a range then decides is
/// the same in both, so the difference is all that a better search could save.
public struct DispatchSearch: Sendable {
    /// The `AUDIT_ARCH_*` value whose numbers are searched.
    public let auditArch: UInt32
    /// Each range's weight, in number order.
    public let weights: [Int]
    /// Whether ranges i, i+1, i+2 can be told apart by one JEQ (the middle
    /// one is a single number and the outer two decide alike).
    let oneJumpTriple: [Bool]
    /// The weighted jumps of the search -O2 built.
    public let builtCost: Int

    /// The total weight: the built and optimal costs over it are jumps per call.
    public var totalWeight: Int { weights.reduce(0, +) }

    /// The least weighted jumps any search of `if (A >= k)` splits (and the
    /// one-JEQ triples -O2 uses) can spend: O(n^3) over n ranges, asked for
    /// by the benchmark, never by the compiler.
    public func optimalCost() -> Int {
        let n = weights.count
        guard n > 1 else { return 0 }
        var prefix = [0]
        for w in weights { prefix.append(prefix.last! + w) }
        // cost[i][j]: ranges i..<j, flattened.
        var cost = [Int](repeating: 0, count: (n + 1) * (n + 1))
        for length in 2...n {
            for i in 0...(n - length) {
                let j = i + length
                let weight = prefix[j] - prefix[i]
                var best = Int.max
                if length == 3 && oneJumpTriple[i] { best = weight }
                for k in (i + 1)..<j {
                    best = min(best, cost[i * (n + 1) + k] + cost[k * (n + 1) + j] + weight)
                }
                cost[i * (n + 1) + j] = best
            }
        }
        return cost[n]
    }
}

extension OptimizingBackend {
    /// The figures of the search `searchTree` builds over `ranges`.
    static func searchFigures(_ ranges: [Range], auditArch: UInt32) -> DispatchSearch {
        let triples = ranges.indices.map { i in
            i + 2 < ranges.count && ranges[i].node == ranges[i + 2].node && ranges[i + 1].low == ranges[i + 1].high
        }
        return DispatchSearch(auditArch: auditArch, weights: ranges.map(\.weight), oneJumpTriple: triples, builtCost: searchCost(ranges[...]))
    }

    /// The weighted jumps of `searchTree`'s search, split for split.
    private static func searchCost(_ ranges: ArraySlice<Range>) -> Int {
        if ranges.count == 1 { return 0 }
        let weight = ranges.reduce(0) { $0 + $1.weight }
        if ranges.count == 3 {
            let (a, m, c) = (ranges[ranges.startIndex], ranges[ranges.startIndex + 1], ranges[ranges.startIndex + 2])
            if a.node == c.node && m.low == m.high { return weight }
        }
        let middle = split(ranges)
        return weight + searchCost(ranges[ranges.startIndex..<middle]) + searchCost(ranges[middle...])
    }
}
