/// What a comparison of a run-time 32-bit value says about the argument
/// half it was computed from. gosecco lets a policy compute on `argL`/`argH`
/// at run time (`argL0 + 1 == 2`, `_IOC_TYPE(argL1) == 0x66`); cordon's
/// language compares a field, masked or not, with constants. Each operation
/// is undone, outermost first, turning the set of values the comparison
/// accepts into a set of values of the half: a union of intervals, or a
/// masked equality. An operation whose inverse is no such set (`%`, or `<`
/// through `*`) is refused, never approximated.
enum HalfConstraint: Equatable {
    /// The half lies in one of these closed intervals (sorted, disjoint, within 32 bits).
    case intervals([ClosedRange<UInt64>])
    /// `(half & mask) == value` (or `!=` when negated).
    case masked(mask: UInt64, value: UInt64, negated: Bool)

    static let max: UInt64 = 0xFFFF_FFFF

    /// A 32-bit run-time operation on a value, as gosecco computes it.
    enum Operation: Equatable {
        case add(UInt64), subtract(UInt64), subtractFrom(UInt64), multiply(UInt64), divide(UInt64), modulo(UInt64)
        case and(UInt64), or(UInt64), xor(UInt64), shiftLeft(UInt64), shiftRight(UInt64), complement
    }

    struct Unsupported: Error { let reason: String }

    /// The values of a 32-bit value `relation constant` accepts (`relation`
    /// one of `== != < <= > >=`); the constant is compared exactly, so one
    /// beyond 32 bits is equal to no value.
    static func comparison(_ relation: String, _ constant: UInt64) -> HalfConstraint {
        switch relation {
        case "==": return constant > max ? .intervals([]) : .masked(mask: max, value: constant, negated: false)
        case "!=": return constant > max ? .intervals([0...max]) : .masked(mask: max, value: constant, negated: true)
        case "<": return constant == 0 ? .intervals([]) : .intervals([0...Swift.min(constant - 1, max)])
        case "<=": return .intervals([0...Swift.min(constant, max)])
        case ">": return constant >= max ? .intervals([]) : .intervals([(constant + 1)...max])
        default: return constant > max ? .intervals([]) : .intervals([constant...max])  // >=
        }
    }

    /// Whether it accepts every value, or none.
    var constant: Bool? {
        switch self {
        case .intervals(let list):
            if list.isEmpty { return false }
            if list == [0...Self.max] { return true }
            return nil
        case .masked(let mask, let value, let negated):
            if value & ~mask != 0 { return negated }
            if mask == 0 { return !negated }
            return nil
        }
    }

    /// A single value or all but one as a masked equality; a full mask
    /// with a single value as an interval when intervals are needed.
    private var normalized: HalfConstraint {
        if case .intervals(let list) = self {
            if list.count == 1, list[0].lowerBound == list[0].upperBound { return .masked(mask: Self.max, value: list[0].lowerBound, negated: false) }
            if list.count == 2, list[0].lowerBound == 0, list[1].upperBound == Self.max, list[0].upperBound + 2 == list[1].lowerBound {
                return .masked(mask: Self.max, value: list[0].upperBound + 1, negated: true)
            }
            if list.count == 1, list[0] == 1...Self.max { return .masked(mask: Self.max, value: 0, negated: true) }
        }
        return self
    }

    private var asIntervals: [ClosedRange<UInt64>]? {
        switch self {
        case .intervals(let list): return list
        case .masked(let mask, let value, let negated) where mask == Self.max:
            if !negated { return [value...value] }
            var list: [ClosedRange<UInt64>] = []
            if value > 0 { list.append(0...(value - 1)) }
            if value < Self.max { list.append((value + 1)...Self.max) }
            return list
        default: return nil
        }
    }

    /// Intervals sorted and merged.
    private static func merged(_ list: [ClosedRange<UInt64>]) -> HalfConstraint {
        var result: [ClosedRange<UInt64>] = []
        for range in list.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound &+ 1 {
                result[result.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return HalfConstraint.intervals(result).normalized
    }

    /// Every interval moved by `delta` modulo 2^32, split where it wraps.
    private static func shifted(_ list: [ClosedRange<UInt64>], by delta: UInt64) -> HalfConstraint {
        var out: [ClosedRange<UInt64>] = []
        for range in list {
            let low = (range.lowerBound &+ delta) & max, high = (range.upperBound &+ delta) & max
            if low <= high { out.append(low...high) } else { out.append(low...max); out.append(0...high) }
        }
        return merged(out)
    }

    /// The constraint on `x` when this one is on `operation(x)`.
    func undoing(_ operation: Operation) throws(Unsupported) -> HalfConstraint {
        if constant != nil { return self }
        let m = Self.max
        switch operation {
        case .add(let k): return try Self.shiftedOrThrow(self, by: (0 &- k) & m)
        case .subtract(let k): return try Self.shiftedOrThrow(self, by: k & m)
        case .subtractFrom(let k):
            // v = k - x, so x = k - v: each interval reflected.
            guard let list = asIntervals else { throw Unsupported(reason: "a masked test of \(k) - x") }
            var out: [ClosedRange<UInt64>] = []
            for range in list {
                let low = (k &- range.upperBound) & m, high = (k &- range.lowerBound) & m
                if low <= high { out.append(low...high) } else { out.append(low...m); out.append(0...high) }
            }
            return Self.merged(out)
        case .complement:
            switch self {
            case .masked(let mask, let value, let negated): return .masked(mask: mask, value: ~value & mask, negated: negated)
            case .intervals(let list): return Self.merged(list.map { (~$0.upperBound & m)...(~$0.lowerBound & m) })
            }
        case .xor(let k):
            if case .masked(let mask, let value, let negated) = normalized { return .masked(mask: mask, value: (value ^ k) & mask, negated: negated) }
            guard let list = asIntervals, list.allSatisfy({ $0.lowerBound == $0.upperBound }) else {
                throw Unsupported(reason: "an order test of x ^ \(k)")
            }
            return Self.merged(list.map { ($0.lowerBound ^ k) & m...($0.lowerBound ^ k) & m })
        case .and(let k):
            switch normalized {
            case .masked(let mask, let value, let negated):
                let both = mask & k & m
                if value & ~both != 0 { return .intervals(negated ? [0...m] : []) }
                return .masked(mask: both, value: value, negated: negated)
            case .intervals:
                throw Unsupported(reason: "an order test of x & \(k)")
            }
        case .or(let k):
            guard case .masked(let mask, let value, let negated) = normalized else { throw Unsupported(reason: "an order test of x | \(k)") }
            if k & mask & ~value != 0 { return .intervals(negated ? [0...m] : []) }
            return .masked(mask: mask & ~k & m, value: value & ~k, negated: negated)
        case .shiftLeft(let s):
            if s >= 32 { return .intervals([]) }  // not reached: the caller folds x << 32 to 0
            guard case .masked(let mask, let value, let negated) = normalized else { throw Unsupported(reason: "an order test of x << \(s)") }
            let reachable = mask & (m << s) & m
            if value & ~reachable != 0 { return .intervals(negated ? [0...m] : []) }
            return .masked(mask: reachable >> s, value: value >> s, negated: negated)
        case .shiftRight(let s):
            if s >= 32 { return .intervals([]) }
            switch normalized {
            case .masked(let mask, let value, let negated) where mask != m:
                let reachable = mask & (m >> s)
                if value & ~reachable != 0 { return .intervals(negated ? [0...m] : []) }
                return .masked(mask: (reachable << s) & m, value: (value << s) & m, negated: negated)
            default:
                let list = asIntervals!
                let low = (UInt64(1) << s) - 1
                return Self.merged(list.compactMap { range in
                    let start = range.lowerBound << s
                    return start > m ? nil : start...Swift.min(m, (range.upperBound << s) | low)
                })
            }
        case .divide(let k):
            guard let list = asIntervals else { throw Unsupported(reason: "a masked test of x / \(k)") }
            return Self.merged(list.compactMap { range in
                let (start, overflow) = range.lowerBound.multipliedReportingOverflow(by: k)
                if overflow || start > m { return nil }
                let (end, overflowEnd) = range.upperBound.multipliedReportingOverflow(by: k)
                return start...(overflowEnd ? m : Swift.min(m, end + k - 1))
            })
        case .multiply(let k):
            guard case .masked(let mask, let value, let negated) = normalized, mask == m else {
                throw Unsupported(reason: "an order or masked test of x * \(k)")
            }
            let factor = k & m
            if factor == 0 { return .intervals((value == 0) != negated ? [0...m] : []) }
            // k = 2^t * odd: k*x = v (mod 2^32) needs v's low t bits clear, then
            // fixes the low 32-t bits of x: x = (v >> t) * odd^-1 (mod 2^(32-t)).
            let t = UInt64(factor.trailingZeroBitCount)
            if value & ((1 << t) - 1) != 0 { return .intervals(negated ? [0...m] : []) }
            let odd = factor >> t
            var inverse: UInt64 = 1
            for _ in 0..<5 { inverse = (inverse &* (2 &- odd &* inverse)) & m }
            let low = m >> t
            return .masked(mask: low, value: ((value >> t) &* inverse) & low, negated: negated)
        case .modulo(let k):
            throw Unsupported(reason: "x % \(k): seccomp filters may not compute a remainder (the kernel refuses BPF_MOD)")
        }
    }

    private static func shiftedOrThrow(_ c: HalfConstraint, by delta: UInt64) throws(Unsupported) -> HalfConstraint {
        if case .masked(let mask, let value, let negated) = c.normalized, mask == max {
            return .masked(mask: max, value: (value &+ delta) & max, negated: negated)
        }
        guard let list = c.asIntervals else { throw Unsupported(reason: "a masked test of a sum") }
        return shifted(list, by: delta)
    }
}
