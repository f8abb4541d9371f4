/// gosecco's policy language, as its documentation defines it
/// (docs/seccomp-policy-language.md, gosecco 06b8323): one unit a line —
/// a comment (`#` in column 0), an assignment (`NAME = EXPR`, a macro
/// `NAME(P, ...) = EXPR`, or `DEFAULT_POSITIVE|NEGATIVE|POLICY = ACTION`),
/// or a rule (`NAME[+ACTION, -ACTION]: BODY`).
public enum GoseccoSyntax {
    /// A gosecco expression, with the column where it starts (1-based).
    public indirect enum Expr: Sendable {
        case number(UInt64, column: Int)
        /// A variable, macro without parameters, constant, `true`/`false`.
        case name(String, column: Int)
        /// `arg0`..`arg5` (full), `argL0`.., `argH0`..
        case argument(Int, Half, column: Int)
        case call(String, [Expr], column: Int)
        /// `in(V, A, B, ...)` or `notIn(...)`.
        case inclusion(Expr, [Expr], negated: Bool, column: Int)
        case unary(String, Expr, column: Int)
        /// `parenthesized`: the node was written in parentheses, which
        /// matters for the associativity warning.
        case binary(String, Expr, Expr, column: Int, parenthesized: Bool)

        public var column: Int {
            switch self {
            case .number(_, let c), .name(_, let c), .argument(_, _, let c), .call(_, _, let c), .inclusion(_, _, _, let c),
                 .unary(_, _, let c), .binary(_, _, _, let c, _): return c
            }
        }

        func parenthesized() -> Expr {
            if case .binary(let op, let l, let r, let c, _) = self { return .binary(op, l, r, column: c, parenthesized: true) }
            return self
        }
    }

    /// Which part of an argument: all 64 bits, the low or the high 32.
    public enum Half: Sendable { case full, low, high }

    /// A rule's body.
    public enum Body: Sendable {
        /// `EXPR`
        case expression(Expr)
        /// `return N`
        case returns(UInt64)
        /// `EXPR; return N`
        case expressionThenReturn(Expr, UInt64)
    }

    /// One line that means something.
    public enum Line: Sendable {
        case assignment(name: String, parameters: [String]?, body: Expr, line: Int)
        /// `DEFAULT_*` = an action's words.
        case defaultAction(which: String, action: String, line: Int)
        case rule(syscall: String, positive: String?, negative: String?, body: Body, line: Int, text: String)
    }

    /// A mistake, at a 1-based line and column.
    public struct Failure: Error, Sendable {
        public let line: Int
        public let column: Int
        public let message: String
    }

    /// Parses a whole policy.
    public static func parse(_ text: String) throws(Failure) -> [Line] {
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.hasPrefix("#") || line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            lines.append(try parseLine(line, lineNumber))
        }
        return lines
    }

    private static func parseLine(_ line: String, _ number: Int) throws(Failure) -> Line {
        var tokens = try Tokenizer.tokens(line, line: number)
        guard case .identifier(let name)? = tokens.first?.token else {
            throw Failure(line: number, column: tokens.first?.column ?? 1, message: "a line is a rule (NAME: EXPR), an assignment (NAME = EXPR) or a comment (# in column 0)")
        }
        var i = 1
        // A rule: NAME [ACTIONS] : BODY
        var positive: String?, negative: String?
        if i < tokens.count, tokens[i].token == .symbol("[") {
            i += 1
            while i < tokens.count, tokens[i].token != .symbol("]") {
                guard case .symbol(let sign) = tokens[i].token, sign == "+" || sign == "-", i + 1 < tokens.count else {
                    throw Failure(line: number, column: tokens[i].column, message: "an action in brackets is +ACTION or -ACTION")
                }
                let action = tokens[i + 1].text
                if sign == "+" { positive = action } else { negative = action }
                i += 2
                if i < tokens.count, tokens[i].token == .symbol(",") { i += 1 }
            }
            guard i < tokens.count else { throw Failure(line: number, column: line.count + 1, message: "missing ']'") }
            i += 1
        }
        if i < tokens.count, tokens[i].token == .symbol(":") {
            let bodyTokens = Array(tokens[(i + 1)...])
            guard !bodyTokens.isEmpty else { throw Failure(line: number, column: tokens[i].column, message: "no expression for the rule of \(name)") }
            return .rule(syscall: name, positive: positive, negative: negative, body: try body(bodyTokens, number, line), line: number, text: line)
        }
        guard positive == nil && negative == nil else {
            throw Failure(line: number, column: tokens[i < tokens.count ? i : tokens.count - 1].column, message: "expected ':' after the actions")
        }
        // An assignment: NAME = EXPR, or NAME(P, ...) = EXPR.
        var parameters: [String]?
        if i < tokens.count, tokens[i].token == .symbol("(") {
            var names: [String] = []
            i += 1
            while i < tokens.count, tokens[i].token != .symbol(")") {
                guard case .identifier(let parameter) = tokens[i].token else {
                    throw Failure(line: number, column: tokens[i].column, message: "a macro parameter is a name")
                }
                names.append(parameter)
                i += 1
                if i < tokens.count, tokens[i].token == .symbol(",") { i += 1 }
            }
            i += 1
            parameters = names
        }
        guard i < tokens.count, tokens[i].token == .symbol("=") else {
            throw Failure(line: number, column: i < tokens.count ? tokens[i].column : line.count + 1,
                          message: "expected ':' (a rule) or '=' (an assignment) after '\(name)'")
        }
        let rest = Array(tokens[(i + 1)...])
        guard !rest.isEmpty else { throw Failure(line: number, column: tokens[i].column, message: "nothing after '='") }
        if ["DEFAULT_POSITIVE", "DEFAULT_NEGATIVE", "DEFAULT_POLICY"].contains(name.uppercased()) && parameters == nil {
            guard rest.count == 1 else { throw Failure(line: number, column: rest[0].column, message: "\(name) takes one action") }
            return .defaultAction(which: name.uppercased(), action: rest[0].text, line: number)
        }
        tokens = rest
        var parser = ExprParser(tokens: tokens, line: number)
        let expr = try parser.expression()
        try parser.expectEnd()
        return .assignment(name: name, parameters: parameters, body: expr, line: number)
    }

    private static func body(_ tokens: [Tokenizer.Located], _ number: Int, _ line: String) throws(Failure) -> Body {
        if case .identifier(let word) = tokens[0].token, word.lowercased() == "return" {
            return .returns(try returnValue(Array(tokens.dropFirst()), number, tokens[0].column))
        }
        var parser = ExprParser(tokens: tokens, line: number)
        let expr = try parser.expression()
        if parser.atSymbol(";") {
            let rest = Array(parser.remaining)
            guard case .identifier(let word)? = rest.dropFirst().first?.token, word.lowercased() == "return" else {
                throw Failure(line: number, column: rest[0].column, message: "after ';' a rule says return N")
            }
            return .expressionThenReturn(expr, try returnValue(Array(rest.dropFirst(2)), number, rest[1].column))
        }
        try parser.expectEnd()
        return .expression(expr)
    }

    private static func returnValue(_ tokens: [Tokenizer.Located], _ number: Int, _ column: Int) throws(Failure) -> UInt64 {
        guard tokens.count == 1, case .number(let value) = tokens[0].token else {
            throw Failure(line: number, column: tokens.first?.column ?? column, message: "return takes an error number")
        }
        return value
    }

    /// The doc's precedence, loosest first: `||`, `&&`, `== != &?`,
    /// `< <= > >=`, `|`, `^`, `&`, `<< >>`, `+ -`, `* / %`; all left to right.
    static let levels: [[String]] = [["||"], ["&&"], ["==", "!=", "&?"], ["<", "<=", ">", ">="], ["|"], ["^"], ["&"], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]]

    /// A recursive-descent parser over one line's tokens (a line is short:
    /// its nesting is bounded by its length, which the tokenizer caps).
    struct ExprParser {
        let tokens: [Tokenizer.Located]
        let line: Int
        var index = 0
        /// Parentheses, calls and unary operators nested so far.
        private var depth = 0
        static let maxDepth = 256

        init(tokens: [Tokenizer.Located], line: Int) {
            self.tokens = tokens
            self.line = line
        }

        var remaining: ArraySlice<Tokenizer.Located> { tokens[index...] }
        func atSymbol(_ s: String) -> Bool { index < tokens.count && tokens[index].token == .symbol(s) }

        private var column: Int { index < tokens.count ? tokens[index].column : (tokens.last.map { $0.column + $0.text.count } ?? 1) }

        func expectEnd() throws(Failure) {
            guard index == tokens.count else {
                throw Failure(line: line, column: tokens[index].column, message: "unexpected '\(tokens[index].text)'")
            }
        }

        mutating func expression() throws(Failure) -> Expr { try binary(0) }

        private mutating func binary(_ level: Int) throws(Failure) -> Expr {
            guard level < GoseccoSyntax.levels.count else { return try unary() }
            var lhs = try binary(level + 1)
            while index < tokens.count, case .symbol(let op) = tokens[index].token, GoseccoSyntax.levels[level].contains(op) {
                let opColumn = tokens[index].column
                index += 1
                let rhs = try binary(level + 1)
                lhs = .binary(op, lhs, rhs, column: opColumn, parenthesized: false)
            }
            return lhs
        }

        private mutating func unary() throws(Failure) -> Expr {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw Failure(line: line, column: column, message: "the expression nests deeper than \(Self.maxDepth)") }
            if index < tokens.count, case .symbol(let op) = tokens[index].token, op == "!" || op == "~" {
                let c = tokens[index].column
                index += 1
                return .unary(op, try unary(), column: c)
            }
            return try primary()
        }

        private mutating func primary() throws(Failure) -> Expr {
            guard index < tokens.count else { throw Failure(line: line, column: column, message: "the expression ends where a value is expected") }
            let token = tokens[index]
            index += 1
            switch token.token {
            case .number(let value): return .number(value, column: token.column)
            case .symbol("("):
                let inner = try expression()
                guard atSymbol(")") else { throw Failure(line: line, column: column, message: "missing ')'") }
                index += 1
                return inner.parenthesized()
            case .identifier(let name):
                if let argument = Self.argument(name) { return .argument(argument.0, argument.1, column: token.column) }
                guard atSymbol("(") else { return .name(name, column: token.column) }
                index += 1
                var arguments: [Expr] = []
                while !atSymbol(")") {
                    arguments.append(try expression())
                    if atSymbol(",") { index += 1 } else if !atSymbol(")") {
                        throw Failure(line: line, column: column, message: "expected ',' or ')' in the call of \(name)")
                    }
                }
                index += 1
                let lower = name.lowercased()
                if lower == "in" || lower == "notin" {
                    guard arguments.count >= 2 else {
                        throw Failure(line: line, column: token.column, message: "\(name)(VALUE, A, ...) needs a value and at least one element")
                    }
                    return .inclusion(arguments[0], Array(arguments.dropFirst()), negated: lower == "notin", column: token.column)
                }
                return .call(name, arguments, column: token.column)
            default:
                throw Failure(line: line, column: token.column, message: "unexpected '\(token.text)' where a value is expected")
            }
        }

        /// `arg3` is (3, full), `argL3` (3, low), `argH3` (3, high).
        static func argument(_ name: String) -> (Int, Half)? {
            let kinds: [(String, Half)] = [("argL", .low), ("argH", .high), ("arg", .full)]
            for (prefix, half) in kinds where name.hasPrefix(prefix) {
                let rest = name.dropFirst(prefix.count)
                if rest.count == 1, let n = Int(rest), (0...5).contains(n) { return (n, half) }
            }
            return nil
        }
    }

    /// Splits a line into tokens.
    enum Tokenizer {
        enum Token: Equatable {
            case number(UInt64)
            case identifier(String)
            case symbol(String)
        }

        struct Located {
            let token: Token
            let column: Int
            let text: String
        }

        /// The longest lines gosecco's fixtures have are short; this bounds
        /// the parser's recursion on hostile input.
        static let maxLineLength = 10_000

        static func tokens(_ line: String, line number: Int) throws(Failure) -> [Located] {
            let bytes = Array(line.utf8)
            guard bytes.count <= maxLineLength else {
                throw Failure(line: number, column: 1, message: "the line is longer than \(maxLineLength) bytes")
            }
            var result: [Located] = []
            var i = 0
            let symbols = ["||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "&?", "<", ">", "|", "^", "&", "+", "-", "*", "/", "%", "!", "~",
                           "(", ")", ",", ";", ":", "=", "[", "]"]
            while i < bytes.count {
                let c = bytes[i]
                if c == 0x20 || c == 0x09 { i += 1; continue }
                let start = i
                if c == UInt8(ascii: "#") {
                    throw Failure(line: number, column: i + 1, message: "a comment starts with '#' in column 0: it cannot follow a rule on its line")
                }
                if (0x30...0x39).contains(c) {
                    while i < bytes.count, isWordByte(bytes[i]) { i += 1 }
                    let text = String(decoding: bytes[start..<i], as: UTF8.self)
                    guard let value = Self.number(text) else { throw Failure(line: number, column: start + 1, message: "'\(text)' is not a number") }
                    result.append(Located(token: .number(value), column: start + 1, text: text))
                    continue
                }
                if isWordByte(c) {
                    while i < bytes.count, isWordByte(bytes[i]) { i += 1 }
                    let text = String(decoding: bytes[start..<i], as: UTF8.self)
                    result.append(Located(token: .identifier(text), column: start + 1, text: text))
                    continue
                }
                guard let symbol = symbols.first(where: { bytes[i...].starts(with: Array($0.utf8)) }) else {
                    let shown = String(decoding: bytes[i..<min(bytes.count, i + 1)], as: UTF8.self)
                    throw Failure(line: number, column: i + 1, message: "unexpected character '\(shown.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } ? shown : "?")'")
                }
                i += symbol.utf8.count
                result.append(Located(token: .symbol(symbol), column: start + 1, text: symbol))
            }
            return result
        }

        private static func isWordByte(_ c: UInt8) -> Bool {
            (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == UInt8(ascii: "_")
        }

        /// Decimal, octal with a leading 0, `0x`/`0X` hex, `0b`/`0B` binary;
        /// 64-bit unsigned.
        static func number(_ text: String) -> UInt64? {
            let lower = text.lowercased()
            if lower.hasPrefix("0x") { return UInt64(lower.dropFirst(2), radix: 16) }
            if lower.hasPrefix("0b") { return UInt64(lower.dropFirst(2), radix: 2) }
            if lower.count > 1 && lower.hasPrefix("0") { return UInt64(lower.dropFirst(), radix: 8) }
            return UInt64(lower, radix: 10)
        }
    }
}
