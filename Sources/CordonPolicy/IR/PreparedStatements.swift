import CordonLinux

/// Statements prepared for specializing to many syscall numbers: each
/// condition that tests only the unmasked `$nr` carries the numbers where it
/// holds, as sorted intervals, so deciding it for one number is a binary
/// search instead of a walk of its tests (`$nr in {300 names}` folded once
/// per interval of the dispatch was the Docker sample's largest cost).
/// `Specializer.specialize(prepared, nr:)` gives what
/// `Specializer.specialize(statements, nr:)` gives.
public struct PreparedStatements: Sendable {
    indirect enum Node: Sendable {
        case `return`(Statement)
        case `if`(Condition, truth: NumberTruth?, then: [Node], else: [Node], location: SourceLocation)
    }

    let nodes: [Node]

    /// Prepares `statements` (their nesting is the policy's, bounded by the
    /// parser). Without `decidingNumbers`, nothing is precomputed: every
    /// condition is folded when specialized (`Specializer.specialize` of
    /// plain statements, for one number).
    public init(_ statements: [Statement], decidingNumbers: Bool = true) {
        nodes = Self.prepare(statements, decidingNumbers)
    }

    private static func prepare(_ statements: [Statement], _ deciding: Bool) -> [Node] {
        statements.map { statement in
            switch statement {
            case .return: return .return(statement)
            case .if(let condition, let then, let otherwise, let location):
                return .if(condition, truth: deciding ? NumberTruth(condition) : nil, then: prepare(then, deciding),
                           else: prepare(otherwise, deciding), location: location)
            }
        }
    }
}

/// The syscall numbers where a condition of unmasked `$nr` tests only holds:
/// sorted, disjoint, closed intervals of 32-bit numbers.
struct NumberTruth: Sendable {
    private(set) var intervals: [ClosedRange<UInt64>]
    static let max: UInt64 = 0xFFFF_FFFF

    private init(intervals: [ClosedRange<UInt64>]) { self.intervals = intervals }

    /// Nil when the condition tests anything but the unmasked `$nr`.
    init?(_ condition: Condition) {
        switch condition {
        case .constant(let value):
            intervals = value ? [0...Self.max] : []
        case .test(let test):
            guard test.field == .nr, test.mask == nil, test.value <= Self.max else { return nil }
            let v = test.value
            switch test.relation {
            case .equal: intervals = [v...v]
            case .notEqual: intervals = (v > 0 ? [0...(v - 1)] : []) + (v < Self.max ? [(v + 1)...Self.max] : [])
            case .less: intervals = v > 0 ? [0...(v - 1)] : []
            case .lessEqual: intervals = [0...v]
            case .greater: intervals = v < Self.max ? [(v + 1)...Self.max] : []
            case .greaterEqual: intervals = [v...Self.max]
            }
        case .not(let inner):
            guard let truth = NumberTruth(inner) else { return nil }
            self = truth.complement
        case .and, .or:
            // A chain of one operator, flattened without recursion along it.
            var parts: [NumberTruth] = []
            for operand in condition.chainOperands {
                guard let truth = NumberTruth(operand) else { return nil }
                parts.append(truth)
            }
            if condition.isAnd {
                var result = NumberTruth(intervals: [0...Self.max])
                for part in parts { result = result.intersection(part) }
                self = result
            } else {
                self = NumberTruth.merged(parts.flatMap(\.intervals))
            }
        }
    }

    /// Whether the condition holds for `nr`.
    func holds(_ nr: UInt32) -> Bool {
        let value = UInt64(nr)
        var low = 0, high = intervals.count
        while low < high {
            let mid = (low + high) / 2
            if intervals[mid].upperBound < value { low = mid + 1 } else { high = mid }
        }
        return low < intervals.count && intervals[low].contains(value)
    }

    private static func merged(_ list: [ClosedRange<UInt64>]) -> NumberTruth {
        var result: [ClosedRange<UInt64>] = []
        for range in list.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return NumberTruth(intervals: result)
    }

    private var complement: NumberTruth {
        var result: [ClosedRange<UInt64>] = []
        var next: UInt64 = 0
        for range in intervals {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= Self.max { result.append(next...Self.max) }
        return NumberTruth(intervals: result)
    }

    private func intersection(_ other: NumberTruth) -> NumberTruth {
        var result: [ClosedRange<UInt64>] = []
        var i = 0, j = 0
        while i < intervals.count && j < other.intervals.count {
            let a = intervals[i], b = other.intervals[j]
            let low = Swift.max(a.lowerBound, b.lowerBound), high = Swift.min(a.upperBound, b.upperBound)
            if low <= high { result.append(low...high) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return NumberTruth(intervals: result)
    }
}

extension Specializer {
    /// `specialize(statements, nr:, keepMasked:)` for prepared statements.
    public static func specialize(_ prepared: PreparedStatements, nr: UInt32, keepMasked: Bool = false) -> [Statement] {
        specializeReturning(prepared.nodes, nr: nr, keepMasked: keepMasked).statements
    }

    private static func specializeReturning(_ nodes: [PreparedStatements.Node], nr: UInt32, keepMasked: Bool) -> (statements: [Statement], returns: Bool) {
        var result: [Statement] = []
        for node in nodes {
            switch node {
            case .return(let statement):
                result.append(statement)
                return (result, true)
            case .if(let condition, let truth, let then, let otherwise, let location):
                let folded = truth.map { Condition.constant($0.holds(nr)) } ?? fold(condition, nr: nr, keepMasked: keepMasked)
                switch folded {
                case .constant(true):
                    let inner = specializeReturning(then, nr: nr, keepMasked: keepMasked)
                    result += inner.statements
                    if inner.returns { return (result, true) }
                case .constant(false):
                    let inner = specializeReturning(otherwise, nr: nr, keepMasked: keepMasked)
                    result += inner.statements
                    if inner.returns { return (result, true) }
                case let residual:
                    let t = specializeReturning(then, nr: nr, keepMasked: keepMasked)
                    let e = specializeReturning(otherwise, nr: nr, keepMasked: keepMasked)
                    result.append(.if(residual, then: t.statements, else: e.statements, location: location))
                    if t.returns && e.returns { return (result, true) }
                }
            }
        }
        return (result, false)
    }

    /// `reachableActions(block, nr:)` for the block's prepared statements.
    public static func reachableActions(_ prepared: PreparedStatements, nr: UInt32) -> Set<SeccompReturn> {
        reachableActions(in: specialize(prepared, nr: nr))
    }
}
