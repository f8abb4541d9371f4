import CordonLinux

/// A field of `seccomp_data` a test reads.
public enum Field: Hashable, Sendable {
    /// The syscall number, 32 bits.
    case nr
    /// The instruction pointer, 64 bits.
    case instructionPointer
    /// Argument N, all 64 bits.
    case argument(Int)
    /// The low 32 bits of argument N (`$args32(N)`, and `$args(N)` on 32-bit ABIs).
    case argumentLow(Int)

    /// The field's width in bits.
    public var bits: Int {
        switch self {
        case .nr, .argumentLow: 32
        case .instructionPointer, .argument: 64
        }
    }

    /// The largest value the field holds.
    public var maxValue: UInt64 { bits == 64 ? .max : 0xFFFF_FFFF }

    /// The field's value in `data`.
    public func value(in data: SeccompData) -> UInt64 {
        switch self {
        case .nr: UInt64(data.nr)
        case .instructionPointer: data.instructionPointer
        case .argument(let n): data.args[n]
        case .argumentLow(let n): data.args[n] & 0xFFFF_FFFF
        }
    }

    /// As the language writes it: `$nr`, `$ip`, `$args(1)`, `$args32(1)`.
    public var description: String {
        switch self {
        case .nr: "$nr"
        case .instructionPointer: "$ip"
        case .argument(let n): "$args(\(n))"
        case .argumentLow(let n): "$args32(\(n))"
        }
    }
}

/// How a test compares (unsigned).
public enum Relation: String, Hashable, Sendable, CaseIterable {
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="

    /// The relation with its operands swapped (`c < f` is `f > c`).
    public var swapped: Relation {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        }
    }

    /// The relation that holds exactly when this one does not.
    public var negated: Relation {
        switch self {
        case .equal: .notEqual
        case .notEqual: .equal
        case .less: .greaterEqual
        case .lessEqual: .greater
        case .greater: .lessEqual
        case .greaterEqual: .less
        }
    }

    /// Whether `a relation b`.
    public func holds(_ a: UInt64, _ b: UInt64) -> Bool {
        switch self {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessEqual: a <= b
        case .greater: a > b
        case .greaterEqual: a >= b
        }
    }
}

/// One normalized comparison: `(field & mask) relation value`, unsigned, with
/// mask and value already cut to the field's width. No mask means all ones.
public struct Test: Hashable, Sendable {
    public let field: Field
    public let mask: UInt64?
    public let relation: Relation
    public let value: UInt64
    /// The source of the comparison.
    public let location: SourceLocation

    public init(field: Field, mask: UInt64?, relation: Relation, value: UInt64, location: SourceLocation) {
        self.field = field
        self.mask = mask
        self.relation = relation
        self.value = value
        self.location = location
    }

    /// Whether the test holds for `data`.
    public func holds(_ data: SeccompData) -> Bool {
        let v = field.value(in: data) & (mask ?? field.maxValue)
        return relation.holds(v, value)
    }

    /// The test's truth when it does not depend on the field's value, or nil.
    /// `field & mask` ranges over the values whose bits lie within the mask,
    /// from 0 to the mask itself.
    public var constantTruth: Bool? {
        Test.constantTruth(relation, mask: mask ?? field.maxValue, value: value)
    }

    /// Whether `(x & mask) relation value` has one answer for every x.
    public static func constantTruth(_ relation: Relation, mask top: UInt64, value: UInt64) -> Bool? {
        if top == 0 { return relation.holds(0, value) }
        switch relation {
        case .equal: return value & ~top != 0 ? false : nil
        case .notEqual: return value & ~top != 0 ? true : nil
        case .less: return value == 0 ? false : (value > top ? true : nil)
        case .lessEqual: return value >= top ? true : nil
        case .greater: return value >= top ? false : nil
        case .greaterEqual: return value == 0 ? true : (value > top ? false : nil)
        }
    }
}

/// A condition: tests combined with and, or, not.
public indirect enum Condition: Hashable, Sendable {
    case test(Test)
    case and(Condition, Condition)
    case or(Condition, Condition)
    case not(Condition)
    case constant(Bool)

    /// Whether the condition holds for `data`. Chains of `&&` and `||` (an
    /// `in` list of thousands) are walked in a loop, not by recursion.
    public func holds(_ data: SeccompData) -> Bool {
        switch self {
        case .test(let t): return t.holds(data)
        case .not(let c): return !c.holds(data)
        case .constant(let value): return value
        case .and, .or:
            let isAnd: Bool = { if case .and = self { return true }; return false }()
            var operands: [Condition] = []
            var node = self
            while true {
                switch node {
                case .and(let l, let r) where isAnd: operands.append(r); node = l; continue
                case .or(let l, let r) where !isAnd: operands.append(r); node = l; continue
                default: break
                }
                break
            }
            operands.append(node)
            for operand in operands.reversed() where operand.holds(data) != isAnd { return !isAnd }
            return isAnd
        }
    }
}

extension Condition {
    /// Whether the node is an `&&`.
    public var isAnd: Bool { if case .and = self { return true }; return false }

    /// The operands of the `&&` chain (or `||` chain) rooted here, left to
    /// right, walked with a stack so chains of thousands (`in` lists) need no
    /// recursion: `a && (b && c)` gives a, b, c. Any other node is a chain of one.
    public var chainOperands: [Condition] {
        guard case .and = self else {
            guard case .or = self else { return [self] }
            return Self.flatten(self, and: false)
        }
        return Self.flatten(self, and: true)
    }

    private static func flatten(_ root: Condition, and: Bool) -> [Condition] {
        var result: [Condition] = []
        var stack = [root]
        while let node = stack.popLast() {
            switch node {
            case .and(let l, let r) where and: stack.append(r); stack.append(l)
            case .or(let l, let r) where !and: stack.append(r); stack.append(l)
            default: result.append(node)
            }
        }
        return result
    }
}

/// A statement of a block's decision logic.
public indirect enum Statement: Hashable, Sendable {
    /// `if` with both branches (an absent `else` is an empty list).
    case `if`(Condition, then: [Statement], else: [Statement], location: SourceLocation)
    /// `return ACTION`, and where it is written.
    case `return`(SeccompReturn, location: SourceLocation)
}

/// One architecture's decision logic.
public struct IRBlock: Hashable, Sendable {
    public let arch: Arch
    /// The block's name as written (`x86_64`, `arch {x86_64 i386}`).
    public let name: String
    public let statements: [Statement]
    public let location: SourceLocation
}

/// A decision and where it was made.
public struct Decision: Hashable, Sendable {
    public let action: SeccompReturn
    /// The `return` (or `badarch`) that decided; nil for the default badarch.
    public let location: SourceLocation?
}

/// An `expect` line, resolved.
public struct Expectation: Hashable, Sendable {
    public let arch: Arch
    public let nr: UInt32
    public let args: [UInt64]
    /// The syscall as written, for messages.
    public let call: String
    public let action: SeccompReturn
    public let location: SourceLocation
}

/// A checked policy: one block per architecture, the badarch action, the tests.
public struct IRPolicy: Sendable {
    /// The blocks, in source order.
    public let blocks: [IRBlock]
    /// What syscalls of architectures without a block get.
    public let badarch: Decision
    public let expectations: [Expectation]

    /// The block for `arch`, if any.
    public func block(for arch: Arch) -> IRBlock? { blocks.first { $0.arch == arch } }

    /// Every `return` of every block and the badarch decision, with where
    /// each is written, in source order within a block (walked without
    /// recursion: a policy's nesting is unbounded).
    public var returns: [(action: SeccompReturn, location: SourceLocation?)] {
        var result: [(action: SeccompReturn, location: SourceLocation?)] = []
        for block in blocks {
            var stack: [ArraySlice<Statement>] = [block.statements[...]]
            while var statements = stack.popLast() {
                guard let first = statements.popFirst() else { continue }
                stack.append(statements)
                switch first {
                case .return(let action, let location): result.append((action, location))
                case .if(_, let then, let otherwise, _):
                    stack.append(otherwise[...])
                    stack.append(then[...])
                }
            }
        }
        result.append((badarch.action, badarch.location))
        return result
    }
}

extension Statement {
    /// Every test in `statements`, in order, without recursion on long chains.
    public static func tests(in statements: [Statement]) -> [Test] {
        var result: [Test] = []
        var stack: [Statement] = statements.reversed()
        while let statement = stack.popLast() {
            guard case .if(let condition, let then, let otherwise, _) = statement else { continue }
            var conditions = [condition]
            while let c = conditions.popLast() {
                switch c {
                case .test(let t): result.append(t)
                case .and(let a, let b), .or(let a, let b): conditions.append(b); conditions.append(a)
                case .not(let inner): conditions.append(inner)
                case .constant: break
                }
            }
            stack += otherwise.reversed()
            stack += then.reversed()
        }
        return result
    }
}
