/// Parses Tcl `expr` syntax in a span of a source file, with Tcl's
/// precedence: `||`, `&&`, `|`, `^`, `&`, `in ni`, `eq ne`, `== !=`,
/// `< > <= >=`, `<< >>`, `+ -`, `* / %`, then unary `- + ~ !`.
struct ExprParser {
    private enum Token: Equatable {
        case integer(UInt64)
        case name(String)
        case string(String)
        case variable(String)
        case argument(Int, low: Bool)
        case namedArgument(String)
        case list([Word])
        case op(String)
        case open, close
        case end
    }

    private let file: SourceFile
    private var tokens: [(token: Token, range: SourceRange)] = []
    private var index = 0
    /// Parentheses and unary operators nested deeper than this are an error.
    static let maxDepth = 256
    private var depth = 0
    /// The spans of subexpressions written in parentheses (start << 32 | end).
    private var parenthesized: Set<Int> = []
    private static func key(_ range: SourceRange) -> Int { range.start << 32 | range.end }

    /// An ASCII letter.
    private func isLetter(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
    }

    /// Parses `range` as an expression; nil after reporting the errors.
    static func parse(_ range: SourceRange, _ sink: inout DiagnosticSink) -> Expr? {
        var parser = ExprParser(file: range.file)
        var local = DiagnosticSink()
        parser.tokenize(range.start, range.end, &local)
        var expr: Expr?
        if !local.hasErrors {
            if parser.tokens.count == 1 {
                local.report(Msg.emptyExpression(), at: range.location)
            } else {
                expr = parser.expression(0, &local)
                if expr != nil, parser.current != .end {
                    local.report(Msg.unexpectedInExpression(parser.currentText), at: parser.currentRange.location)
                    expr = nil
                }
            }
        }
        for d in local.all { sink.add(d) }
        return local.hasErrors ? nil : expr
    }

    private init(file: SourceFile) {
        self.file = file
    }

    private var current: Token { tokens[index].token }
    private var currentRange: SourceRange { tokens[index].range }
    private var currentText: String {
        current == .end ? "the end of the expression" : "'\(currentRange.text)'"
    }

    // MARK: Grammar

    private mutating func expression(_ minimum: Int, _ sink: inout DiagnosticSink) -> Expr? {
        guard var lhs = unary(&sink) else { return nil }
        while let op = binaryOperator(), op.precedence > minimum {
            let opRange = currentRange
            index += 1
            guard let rhs = expression(op.precedence, &sink) else { return nil }
            warnPrecedence(op, lhs, rhs, opRange, &sink)
            lhs = .binary(op, lhs, rhs, operatorRange: opRange, range: lhs.range.through(rhs.range))
        }
        if case .op(let text) = current, BinaryOperator(rawValue: text) == nil {
            reportUnsupported(text, &sink)
            return nil
        }
        return lhs
    }

    /// `$args(1) & O_ACCMODE == O_WRONLY` is `$args(1) & (O_ACCMODE == O_WRONLY)`,
    /// as in Tcl and C: warn when a bit operator takes an unparenthesized
    /// comparison, saying how it reads and how to write the likely meaning.
    private func warnPrecedence(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, _ opRange: SourceRange, _ sink: inout DiagnosticSink) {
        guard [.bitAnd, .bitOr, .bitXor].contains(op) else { return }
        let text = { (e: Expr) in e.range.text }
        if case .binary(let inner, let a, let b, _, _) = rhs, inner.isComparison, !parenthesized.contains(Self.key(rhs.range)) {
            sink.report(Msg.precedence(op.rawValue, inner.rawValue, "\(text(lhs)) \(op.rawValue) (\(text(rhs)))",
                                       "(\(text(lhs)) \(op.rawValue) \(text(a))) \(inner.rawValue) \(text(b))"), at: opRange.location)
        } else if case .binary(let inner, let a, let b, _, _) = lhs, inner.isComparison, !parenthesized.contains(Self.key(lhs.range)) {
            sink.report(Msg.precedence(op.rawValue, inner.rawValue, "(\(text(lhs))) \(op.rawValue) \(text(rhs))",
                                       "\(text(a)) \(inner.rawValue) (\(text(b)) \(op.rawValue) \(text(rhs)))"), at: opRange.location)
        }
    }

    private func binaryOperator() -> BinaryOperator? {
        switch current {
        case .op(let text): return BinaryOperator(rawValue: text)
        case .name(let text) where ["eq", "ne", "in", "ni"].contains(text): return BinaryOperator(rawValue: text)
        default: return nil
        }
    }

    private mutating func unary(_ sink: inout DiagnosticSink) -> Expr? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            sink.report(Msg.nestingTooDeep("parentheses and unary operators", Self.maxDepth), at: currentRange.location)
            return nil
        }
        if case .op(let text) = current, let op = UnaryOperator(rawValue: text) {
            let range = currentRange
            index += 1
            guard let operand = unary(&sink) else { return nil }
            return .unary(op, operand, operatorRange: range, range: range.through(operand.range))
        }
        return primary(&sink)
    }

    private mutating func primary(_ sink: inout DiagnosticSink) -> Expr? {
        let range = currentRange
        let token = current
        index += 1
        switch token {
        case .integer(let value): return .integer(value, range)
        case .name(let text): return .name(text, range)
        case .string(let text): return .string(text, range)
        case .variable(let name): return .variable(name, range)
        case .argument(let n, let low): return .argument(n, low: low, range)
        case .namedArgument(let name): return .namedArgument(name, range)
        case .list(let words): return .list(words, range)
        case .open:
            guard let inner = expression(0, &sink) else { return nil }
            guard current == .close else {
                sink.report(Msg.missingCloseParen(), at: currentRange.location)
                return nil
            }
            index += 1
            parenthesized.insert(Self.key(inner.range))
            return inner
        case .op(let text):
            if BinaryOperator(rawValue: text) == nil && UnaryOperator(rawValue: text) == nil {
                reportUnsupported(text, &sink)
            } else {
                sink.report(Msg.missingOperand(text), at: range.location)
            }
            return nil
        case .close:
            sink.report(Msg.unexpectedInExpression("')'"), at: range.location)
            return nil
        case .end:
            sink.report(Msg.missingOperandAtEnd(), at: range.location)
            return nil
        }
    }

    private func reportUnsupported(_ text: String, _ sink: inout DiagnosticSink) {
        sink.report(Msg.unsupportedOperator(text), at: currentRange.location)
    }

    // MARK: Tokens

    private static let operators = ["||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "**",
                                    "|", "^", "&", "<", ">", "+", "-", "*", "/", "%", "~", "!", "?", ":", ","]

    private mutating func tokenize(_ start: Int, _ end: Int, _ sink: inout DiagnosticSink) {
        let b = file.bytes
        var i = start
        func range(_ s: Int, _ e: Int) -> SourceRange { SourceRange(file: file, start: s, end: e) }
        func isNameByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_")
        }
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { i += 1; continue }
            if c == UInt8(ascii: "\\") && i + 1 < end && b[i + 1] == UInt8(ascii: "\n") { i += 2; continue }
            let s = i
            if c >= 0x30 && c <= 0x39 {
                while i < end && (isNameByte(b[i]) || b[i] == UInt8(ascii: ".")) { i += 1 }
                let text = file.text(s..<i)
                guard let value = Self.integerLiteral(text, at: SourceLocation(file: file, offset: s), &sink) else { continue }
                tokens.append((.integer(value), range(s, i)))
            } else if isNameByte(c) {
                while i < end && isNameByte(b[i]) { i += 1 }
                tokens.append((.name(file.text(s..<i)), range(s, i)))
            } else if c == UInt8(ascii: "$") {
                i += 1
                while i < end && isNameByte(b[i]) { i += 1 }
                let name = file.text((s + 1)..<i)
                if name.isEmpty {
                    sink.report(Msg.dollarWithoutName(), at: SourceLocation(file: file, offset: s))
                    continue
                }
                if i < end && b[i] == UInt8(ascii: "(") {
                    let open = i
                    while i < end && b[i] != UInt8(ascii: ")") { i += 1 }
                    let indexText = file.text((open + 1)..<min(i, end))
                    i = min(i + 1, end)
                    guard name == "args" || name == "args32" else {
                        sink.report(Msg.unknownArray(name), at: SourceLocation(file: file, offset: s))
                        continue
                    }
                    // `$args(family)`: a parameter's kernel name, resolved where the syscall is known.
                    if name == "args", let first = indexText.utf8.first, first == UInt8(ascii: "_") || isLetter(first),
                       indexText.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                        tokens.append((.namedArgument(indexText), range(s, i)))
                        continue
                    }
                    guard let n = Int(indexText), (0...5).contains(n) else {
                        sink.report(Msg.badArgumentIndex(name, indexText), at: SourceLocation(file: file, offset: open + 1))
                        continue
                    }
                    tokens.append((.argument(n, low: name == "args32"), range(s, i)))
                } else if name == "args" || name == "args32" {
                    sink.report(Msg.argumentsNeedIndex(name), at: SourceLocation(file: file, offset: s))
                } else {
                    tokens.append((.variable(name), range(s, i)))
                }
            } else if c == UInt8(ascii: "\"") {
                i += 1
                while i < end && b[i] != UInt8(ascii: "\"") {
                    if b[i] == UInt8(ascii: "$") || b[i] == UInt8(ascii: "[") {
                        sink.report(Msg.substitutionInQuotes(String(UnicodeScalar(b[i]))), at: SourceLocation(file: file, offset: i))
                    }
                    i += 1
                }
                guard i < end else {
                    sink.report(Msg.unterminatedQuote(), at: SourceLocation(file: file, offset: s))
                    return
                }
                i += 1
                tokens.append((.string(file.text((s + 1)..<(i - 1))), range(s, i)))
            } else if c == UInt8(ascii: "{") {
                var depth = 0
                while i < end {
                    if b[i] == UInt8(ascii: "{") { depth += 1 }
                    if b[i] == UInt8(ascii: "}") { depth -= 1; if depth == 0 { break } }
                    i += 1
                }
                guard i < end else {
                    sink.report(Msg.unterminatedBrace(), at: SourceLocation(file: file, offset: s))
                    return
                }
                i += 1
                let lexer = Lexer(file: file)
                tokens.append((.list(lexer.listElements(s + 1, i - 1, &sink)), range(s, i)))
            } else if c == UInt8(ascii: "(") {
                i += 1
                tokens.append((.open, range(s, i)))
            } else if c == UInt8(ascii: ")") {
                i += 1
                tokens.append((.close, range(s, i)))
            } else if c == UInt8(ascii: "[") {
                sink.report(Msg.commandSubstitution(), at: SourceLocation(file: file, offset: s))
                return
            } else if let op = Self.operators.first(where: { op in
                let u = Array(op.utf8)
                return i + u.count <= end && Array(b[i..<(i + u.count)]) == u
            }) {
                i += op.utf8.count
                tokens.append((.op(op), range(s, i)))
            } else {
                i += 1
                sink.report(Msg.unexpectedCharacter(file.text(s..<i)), at: SourceLocation(file: file, offset: s))
            }
        }
        tokens.append((.end, range(end, end)))
    }

    /// An integer literal: decimal, `0x`, `0o`, `0b`; a decimal with a
    /// leading zero is ambiguous and refused, as are floats.
    static func integerLiteral(_ text: String, at location: SourceLocation, _ sink: inout DiagnosticSink) -> UInt64? {
        let lower = text.lowercased()
        var digits = Substring(lower), radix = 10
        if lower.hasPrefix("0x") { digits = digits.dropFirst(2); radix = 16 }
        else if lower.hasPrefix("0o") { digits = digits.dropFirst(2); radix = 8 }
        else if lower.hasPrefix("0b") { digits = digits.dropFirst(2); radix = 2 }
        else if lower.count > 1 && lower.hasPrefix("0") && lower.allSatisfy(\.isNumber) {
            sink.report(Msg.leadingZero(text), at: location)
            return nil
        }
        if radix == 10 && (lower.contains(".") || lower.contains("e")) && lower.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "-" }) {
            sink.report(Msg.floatLiteral(text), at: location)
            return nil
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit }) else {
            sink.report(Msg.badNumber(text), at: location)
            return nil
        }
        guard let value = UInt64(digits, radix: radix) else {
            if digits.allSatisfy({ Int($0.hexDigitValue ?? 99) < radix }) {
                sink.report(Msg.numberTooLarge(text), at: location)
            } else {
                sink.report(Msg.badNumber(text), at: location)
            }
            return nil
        }
        return value
    }
}
