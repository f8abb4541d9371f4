/// Splits Tcl text into commands and words, following Tcl's rules for the
/// subset the language uses: commands end at a newline or `;`; words are
/// separated by spaces or tabs; `#` at a command's start comments to the end
/// of the line; a backslash-newline joins lines; braces nest and suppress
/// everything inside; `[...]` substitution is refused.
///
/// Braced words are not parsed further here: a body or condition is parsed
/// when its command is understood, from the word's content range, so every
/// location stays exact.
struct Lexer {
    let file: SourceFile
    private var bytes: [UInt8] { file.bytes }

    init(file: SourceFile) {
        self.file = file
    }

    // MARK: Characters

    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r"), semicolon = UInt8(ascii: ";"), backslash = UInt8(ascii: "\\")
    private static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}"), quote = UInt8(ascii: "\"")
    private static let hash = UInt8(ascii: "#"), openBracket = UInt8(ascii: "["), dollar = UInt8(ascii: "$")

    private func isBlank(_ c: UInt8) -> Bool { c == Self.space || c == Self.tab || c == Self.carriageReturn }

    /// Whether a backslash-newline starts at `i`.
    private func isContinuation(_ i: Int, _ end: Int) -> Bool {
        i + 1 < end && bytes[i] == Self.backslash && bytes[i + 1] == Self.newline
    }

    private func location(_ offset: Int) -> SourceLocation { SourceLocation(file: file, offset: offset) }

    // MARK: Scripts

    /// The commands of the script in `start..<end`.
    func commands(_ start: Int, _ end: Int, _ sink: inout DiagnosticSink) -> [Command] {
        var result: [Command] = []
        var i = start
        while i < end {
            let c = bytes[i]
            if isBlank(c) || c == Self.newline || c == Self.semicolon { i += 1; continue }
            if isContinuation(i, end) { i += 2; continue }
            if c == Self.hash {
                // A comment runs to the end of the line; a backslash-newline continues it.
                while i < end && bytes[i] != Self.newline {
                    i += bytes[i] == Self.backslash ? 2 : 1
                }
                continue
            }
            let commandStart = i
            var words: [Word] = []
            while true {
                while i < end && (isBlank(bytes[i]) || isContinuation(i, end)) {
                    i += isContinuation(i, end) ? 2 : 1
                }
                if i >= end || bytes[i] == Self.newline || bytes[i] == Self.semicolon { break }
                guard let (word, next) = word(at: i, end, inList: false, &sink) else {
                    // An unterminated brace or quote swallows the rest of
                    // the script, as in Tcl: nothing after it can be read.
                    return result
                }
                words.append(word)
                i = next
            }
            if !words.isEmpty {
                result.append(Command(words: words, range: SourceRange(file: file, start: commandStart, end: words.last!.range.end)))
            }
        }
        return result
    }

    /// The elements of a Tcl list in `start..<end`: words separated by any
    /// white space, newlines included; `;` and `#` are ordinary characters.
    func listElements(_ start: Int, _ end: Int, _ sink: inout DiagnosticSink) -> [Word] {
        var result: [Word] = []
        var i = start
        while i < end {
            let c = bytes[i]
            if isBlank(c) || c == Self.newline || isContinuation(i, end) {
                i += isContinuation(i, end) ? 2 : 1
                continue
            }
            guard let (word, next) = word(at: i, end, inList: true, &sink) else { return result }
            result.append(word)
            i = next
        }
        return result
    }

    // MARK: Words

    private func isSeparator(_ i: Int, _ end: Int, inList: Bool) -> Bool {
        if i >= end { return true }
        let c = bytes[i]
        return isBlank(c) || c == Self.newline || (!inList && c == Self.semicolon) || isContinuation(i, end)
    }

    /// The word starting at `i`, and the offset after it; nil after an
    /// error that ends the script (an unterminated brace or quote).
    private func word(at i: Int, _ end: Int, inList: Bool, _ sink: inout DiagnosticSink) -> (Word, Int)? {
        switch bytes[i] {
        case Self.openBrace: return braced(at: i, end, inList: inList, &sink)
        case Self.quote: return quoted(at: i, end, inList: inList, &sink)
        default: return bare(at: i, end, inList: inList, &sink)
        }
    }

    private func braced(at start: Int, _ end: Int, inList: Bool, _ sink: inout DiagnosticSink) -> (Word, Int)? {
        var depth = 0
        var j = start
        while j < end {
            let c = bytes[j]
            if c == Self.backslash { j += 2; continue }
            if c == Self.openBrace { depth += 1 }
            if c == Self.closeBrace {
                depth -= 1
                if depth == 0 { break }
            }
            j += 1
        }
        guard j < end else {
            // Point at the inner brace that most likely lacks its '}', and
            // at the outer one the missing brace made run to the end.
            if let inner = likelyUnclosed(from: start, end) {
                sink.report(Msg.unterminatedBrace(), at: location(inner),
                            notes: [Diagnostic.Note(message: Msg.outerBraceRunsOn(), location: location(start))])
            } else {
                sink.report(Msg.unterminatedBrace(), at: location(start))
            }
            return nil
        }
        let content = SourceRange(file: file, start: start + 1, end: j)
        let word = Word(kind: .braced, text: content.text, range: SourceRange(file: file, start: start, end: j + 1), content: content)
        return (word, afterClose(j + 1, end, inList: inList, Msg.extraAfterCloseBrace(), &sink))
    }

    /// The `{` after `start` that most likely lacks its `}`, judged by the
    /// indentation people write: a `}` that begins a line closes the
    /// innermost open brace, and when it is indented less than the line that
    /// opened that brace, that brace is the one left open. Nil when nothing
    /// says so (then the outer brace is reported).
    private func likelyUnclosed(from start: Int, _ end: Int) -> Int? {
        var open: [(offset: Int, indent: Int)] = []
        var j = start
        while j < end {
            let c = bytes[j]
            if c == Self.backslash { j += 2; continue }
            if c == Self.openBrace {
                open.append((j, indentation(ofLineAt: j).width))
            } else if c == Self.closeBrace, let innermost = open.last {
                let (width, first) = indentation(ofLineAt: j)
                if first == j && width < innermost.indent && open.count > 1 { return innermost.offset }
                open.removeLast()
            }
            j += 1
        }
        return nil
    }

    /// The width of the leading blanks of the line holding `offset` (a tab
    /// to the next multiple of 8), and the offset of its first other byte.
    private func indentation(ofLineAt offset: Int) -> (width: Int, first: Int) {
        var lineStart = offset
        while lineStart > 0 && bytes[lineStart - 1] != Self.newline { lineStart -= 1 }
        var width = 0, k = lineStart
        while k < bytes.count && (bytes[k] == Self.space || bytes[k] == Self.tab) {
            width = bytes[k] == Self.tab ? (width / 8 + 1) * 8 : width + 1
            k += 1
        }
        return (width, k)
    }

    private func quoted(at start: Int, _ end: Int, inList: Bool, _ sink: inout DiagnosticSink) -> (Word, Int)? {
        var j = start + 1
        var text: [UInt8] = []
        while j < end && bytes[j] != Self.quote {
            let c = bytes[j]
            if c == Self.backslash && j + 1 < end {
                text.append(bytes[j + 1] == Self.newline ? Self.space : bytes[j + 1])
                j += 2
                continue
            }
            if c == Self.dollar || c == Self.openBracket {
                sink.report(Msg.substitutionInQuotes(String(UnicodeScalar(c))), at: location(j))
            }
            text.append(c)
            j += 1
        }
        guard j < end else {
            sink.report(Msg.unterminatedQuote(), at: location(start))
            return nil
        }
        let content = SourceRange(file: file, start: start + 1, end: j)
        let word = Word(kind: .quoted, text: String(decoding: text, as: UTF8.self), range: SourceRange(file: file, start: start, end: j + 1), content: content)
        return (word, afterClose(j + 1, end, inList: inList, Msg.extraAfterCloseQuote(), &sink))
    }

    /// After a closing brace or quote a separator must follow; otherwise
    /// `message` is reported and the extra characters are skipped.
    private func afterClose(_ next: Int, _ end: Int, inList: Bool, _ message: Message, _ sink: inout DiagnosticSink) -> Int {
        var next = next
        if !isSeparator(next, end, inList: inList) {
            sink.report(message, at: location(next))
            while !isSeparator(next, end, inList: inList) { next += 1 }
        }
        return next
    }

    private func bare(at start: Int, _ end: Int, inList: Bool, _ sink: inout DiagnosticSink) -> (Word, Int)? {
        var j = start
        var reported = false
        while !isSeparator(j, end, inList: inList) {
            if bytes[j] == Self.backslash { j += 2; continue }
            if bytes[j] == Self.openBracket && !reported && !inList {
                sink.report(Msg.commandSubstitution(), at: location(j))
                reported = true
            }
            j += 1
        }
        j = min(j, end)
        let range = SourceRange(file: file, start: start, end: j)
        return (Word(kind: .bare, text: range.text, range: range, content: range), j)
    }
}
