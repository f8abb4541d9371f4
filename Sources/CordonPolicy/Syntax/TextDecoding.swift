/// Input text as cordon reads it: UTF-8 without NUL bytes. A file that is
/// not is refused at the line and column (in bytes, as for every
/// diagnostic) of the first offending byte, so the user can find it.
public enum TextDecoding {
    /// Why bytes are not acceptable text, and where.
    public struct Failure: Error, Equatable {
        public let line: Int
        public let column: Int
        public let message: String
        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }
    }

    /// The text of `bytes`, or where and why it is not text.
    public static func decode(_ bytes: [UInt8]) -> Result<String, Failure> {
        if let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) { return .success(text) }
        let offset = firstInvalidOffset(bytes)
        var line = 1, lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let message = bytes[offset] == 0
            ? "a NUL byte: this is not a text file"
            : "byte 0x\(String(bytes[offset], radix: 16)) is not UTF-8: the file must be UTF-8 text"
        return .failure(Failure(line: line, column: offset - lineStart + 1, message: message))
    }

    /// The offset of the first NUL byte or byte that is not part of a valid
    /// UTF-8 sequence (overlong forms and surrogates included).
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0 { return i }
            if b < 0x80 { i += 1; continue }
            let length: Int, low: UInt8, high: UInt8
            switch b {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xE1...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            default: return i
            }
            guard i + length <= bytes.count, (low...high).contains(bytes[i + 1]) else { return i }
            for k in 2..<length where !(0x80...0xBF).contains(bytes[i + k]) { return i }
            i += length
        }
        return bytes.count
    }
}
