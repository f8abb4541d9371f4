/// An `if` condition or `set` value as written: Tcl `expr` syntax.
public indirect enum Expr: Hashable, Sendable {
    /// An integer literal, as a 64-bit two's-complement pattern.
    case integer(UInt64, SourceRange)
    /// A bare word: a constant, syscall or architecture name, decided by context.
    case name(String, SourceRange)
    /// A double-quoted string: a syscall or architecture name.
    case string(String, SourceRange)
    /// `$nr`, `$arch`, `$ip` or a `set` name.
    case variable(String, SourceRange)
    /// `$args(N)` or, with `low`, `$args32(N)`.
    case argument(Int, low: Bool, SourceRange)
    /// `$args(NAME)`: the parameter the kernel names NAME, for the syscall the path fixes.
    case namedArgument(String, SourceRange)
    /// A braced list, `{read write}`, right of `in`/`ni`.
    case list([Word], SourceRange)
    /// A unary operator and its operand; `range` spans both, stored so that
    /// asking for it costs nothing however deep the expression is.
    case unary(UnaryOperator, Expr, operatorRange: SourceRange, range: SourceRange)
    /// A binary operator and its operands, with the span of the whole.
    case binary(BinaryOperator, Expr, Expr, operatorRange: SourceRange, range: SourceRange)

    /// The span of the whole expression.
    public var range: SourceRange {
        switch self {
        case .integer(_, let r), .name(_, let r), .string(_, let r), .variable(_, let r), .argument(_, _, let r), .namedArgument(_, let r), .list(_, let r):
            return r
        case .unary(_, _, _, let r), .binary(_, _, _, _, let r): return r
        }
    }

    /// Where the expression starts.
    public var location: SourceLocation { range.location }
}

/// `- + ~ !`
public enum UnaryOperator: String, Hashable, Sendable {
    case minus = "-", plus = "+", bitNot = "~", not = "!"
}

/// The binary operators, with Tcl's precedence.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case or = "||", and = "&&", bitOr = "|", bitXor = "^", bitAnd = "&"
    case `in` = "in", ni = "ni", eq = "eq", ne = "ne", equal = "==", notEqual = "!="
    case less = "<", greater = ">", lessEqual = "<=", greaterEqual = ">="
    case shiftLeft = "<<", shiftRight = ">>", plus = "+", minus = "-", times = "*", divide = "/", modulo = "%"

    /// Binding strength, loosest 1.
    var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .bitOr: 3
        case .bitXor: 4
        case .bitAnd: 5
        case .in, .ni: 6
        case .eq, .ne: 7
        case .equal, .notEqual: 8
        case .less, .greater, .lessEqual, .greaterEqual: 9
        case .shiftLeft, .shiftRight: 10
        case .plus, .minus: 11
        case .times, .divide, .modulo: 12
        }
    }

    /// Whether the operator compares (its result is true or false).
    var isComparison: Bool {
        switch self {
        case .in, .ni, .eq, .ne, .equal, .notEqual, .less, .greater, .lessEqual, .greaterEqual: true
        default: false
        }
    }
}

extension Expr {
    /// Whether `$args(NAME)` occurs in the expression (walked with a stack).
    var namesAParameter: Bool {
        var stack = [self]
        while let e = stack.popLast() {
            switch e {
            case .namedArgument: return true
            case .variable(let name, _) where !["nr", "arch", "ip"].contains(name): return true  // a set expression may hold one
            case .unary(_, let inner, _, _): stack.append(inner)
            case .binary(_, let l, let r, _, _): stack.append(l); stack.append(r)
            default: break
            }
        }
        return false
    }
}
