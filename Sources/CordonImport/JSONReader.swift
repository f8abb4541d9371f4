/// A JSON document read as Go's encoding/json reads it, with the line and
/// column of every value so errors can point at them. The parser is
/// iterative (an explicit stack), so nesting costs no call stack; nesting
/// deeper than `depthLimit` is refused. Invalid UTF-8 inside strings becomes
/// U+FFFD, as in Go.
public struct JSONNode: Sendable {
    /// A JSON value; objects keep every key in order, duplicates included.
    public enum Value: Sendable {
        case null
        case bool(Bool)
        /// The number as written, for exact conversion by its reader.
        case number(String)
        case string(String)
        case array([JSONNode])
        case object([(key: String, value: JSONNode)])
    }

    public let value: Value
    public let line: Int
    public let column: Int

    /// The kind of value, as Go's errors name it.
    public var kind: String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// Reads JSON text into a `JSONNode` tree.
public enum JSONReader {
    /// How deep arrays and objects may nest.
    public static let depthLimit = 512

    /// A syntax error and where it is.
    public struct SyntaxError: Error, Sendable {
        public let message: String
        public let line: Int
        public let column: Int
    }

    /// An array or object being read.
    private struct Open {
        var isObject: Bool
        var items: [JSONNode] = []
        var members: [(key: String, value: JSONNode)] = []
        var pendingKey: String?
        let line: Int, column: Int
    }

    /// Parses `bytes` as one JSON value followed only by white space.
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONNode {
        var cursor = Cursor(bytes: bytes)
        var stack: [Open] = []
        var finished: JSONNode?
        while finished == nil {
            cursor.skipSpace()
            // Inside an object, a key comes first.
            if var top = stack.last, top.isObject, top.pendingKey == nil {
                if cursor.peek == UInt8(ascii: "}") && top.members.isEmpty {
                    cursor.advance()
                    stack.removeLast()
                    try complete(JSONNode(value: .object(top.members), line: top.line, column: top.column), &stack, &finished, &cursor)
                    continue
                }
                guard cursor.peek == UInt8(ascii: "\"") else { throw cursor.error("expected a string key") }
                top.pendingKey = try cursor.readString()
                cursor.skipSpace()
                guard cursor.peek == UInt8(ascii: ":") else { throw cursor.error("expected ':' after an object key") }
                cursor.advance()
                stack[stack.count - 1] = top
                continue
            }
            let (line, column) = cursor.position
            guard let byte = cursor.peek else { throw cursor.error("unexpected end of input") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard stack.count < depthLimit else { throw cursor.error("nesting deeper than \(depthLimit) levels") }
                cursor.advance()
                let isObject = byte == UInt8(ascii: "{")
                stack.append(Open(isObject: isObject, line: line, column: column))
                if !isObject {
                    cursor.skipSpace()
                    if cursor.peek == UInt8(ascii: "]") {
                        cursor.advance()
                        stack.removeLast()
                        try complete(JSONNode(value: .array([]), line: line, column: column), &stack, &finished, &cursor)
                    }
                }
            case UInt8(ascii: "\""):
                let text = try cursor.readString()
                try complete(JSONNode(value: .string(text), line: line, column: column), &stack, &finished, &cursor)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let text = try cursor.readNumber()
                try complete(JSONNode(value: .number(text), line: line, column: column), &stack, &finished, &cursor)
            default:
                let value: JSONNode.Value
                if cursor.consume("true") { value = .bool(true) }
                else if cursor.consume("false") { value = .bool(false) }
                else if cursor.consume("null") { value = .null }
                else { throw cursor.error("invalid character \(Cursor.describe(byte)) looking for the beginning of a value") }
                try complete(JSONNode(value: value, line: line, column: column), &stack, &finished, &cursor)
            }
        }
        cursor.skipSpace()
        if let byte = cursor.peek { throw cursor.error("invalid character \(Cursor.describe(byte)) after the top-level value") }
        return finished!
    }

    /// Adds a finished value to the innermost open container (closing every
    /// container the following punctuation closes), or ends the document.
    private static func complete(_ node: JSONNode, _ stack: inout [Open], _ finished: inout JSONNode?, _ cursor: inout Cursor) throws(SyntaxError) {
        var node = node
        while true {
            guard !stack.isEmpty else {
                finished = node
                return
            }
            if stack[stack.count - 1].isObject {
                stack[stack.count - 1].members.append((stack[stack.count - 1].pendingKey!, node))
                stack[stack.count - 1].pendingKey = nil
            } else {
                stack[stack.count - 1].items.append(node)
            }
            cursor.skipSpace()
            let top = stack[stack.count - 1]
            let close = UInt8(ascii: top.isObject ? "}" : "]")
            if cursor.peek == UInt8(ascii: ",") {
                cursor.advance()
                return
            }
            guard cursor.peek == close else {
                throw cursor.error(top.isObject ? "expected ',' or '}' after an object value" : "expected ',' or ']' after an array element")
            }
            cursor.advance()
            stack.removeLast()
            node = JSONNode(value: top.isObject ? .object(top.members) : .array(top.items), line: top.line, column: top.column)
        }
    }

    /// A position in the input, with its line and column.
    private struct Cursor {
        let bytes: [UInt8]
        var offset = 0, line = 1, lineStart = 0

        var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }
        var position: (Int, Int) { (line, offset - lineStart + 1) }

        mutating func advance() {
            if bytes[offset] == UInt8(ascii: "\n") {
                line += 1
                lineStart = offset + 1
            }
            offset += 1
        }

        mutating func skipSpace() {
            while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { advance() }
        }

        mutating func consume(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard offset + w.count <= bytes.count, Array(bytes[offset..<offset + w.count]) == w else { return false }
            offset += w.count
            return true
        }

        func error(_ message: String) -> SyntaxError {
            SyntaxError(message: message, line: line, column: offset - lineStart + 1)
        }

        static func describe(_ byte: UInt8) -> String {
            (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16)
        }

        mutating func readNumber() throws(SyntaxError) -> String {
            let start = offset
            if peek == UInt8(ascii: "-") { advance() }
            guard let first = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw error("a number needs a digit") }
            if first == UInt8(ascii: "0") { advance() } else { skipDigits() }
            if peek == UInt8(ascii: ".") {
                advance()
                guard let d = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) else { throw error("a digit must follow the decimal point") }
                skipDigits()
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                advance()
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { advance() }
                guard let d = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) else { throw error("a digit must follow the exponent") }
                skipDigits()
            }
            return String(decoding: bytes[start..<offset], as: UTF8.self)
        }

        private mutating func skipDigits() {
            while let d = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) { advance() }
        }

        /// A string at the cursor (which is on its opening quote).
        mutating func readString() throws(SyntaxError) -> String {
            advance()
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                if !raw.isEmpty {
                    scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                    raw.removeAll()
                }
            }
            while true {
                guard let b = peek else { throw error("unterminated string") }
                if b == UInt8(ascii: "\"") {
                    advance()
                    flush()
                    return String(scalars)
                }
                if b < 0x20 { throw error("invalid character \(Cursor.describe(b)) in a string (control characters must be escaped)") }
                if b != UInt8(ascii: "\\") {
                    raw.append(b)
                    advance()
                    continue
                }
                flush()
                advance()
                guard let e = peek else { throw error("unterminated string") }
                advance()
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try readHex4()
                    if (0xD800..<0xDC00).contains(code), peek == UInt8(ascii: "\\"),
                       offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") {
                        let save = (offset, line, lineStart)
                        advance(); advance()
                        let low = try readHex4()
                        if (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            (offset, line, lineStart) = save
                        }
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default:
                    throw error("invalid escape \\\(Cursor.describe(e)) in a string")
                }
            }
        }

        private mutating func readHex4() throws(SyntaxError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let h = peek, let digit = UInt32(String(Unicode.Scalar(h)), radix: 16) else { throw error("\\u needs four hex digits") }
                value = value * 16 + digit
                advance()
            }
            return value
        }
    }
}
