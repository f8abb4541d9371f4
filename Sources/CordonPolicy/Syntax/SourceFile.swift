/// A policy file's text with its line table, built once. Offsets are UTF-8
/// byte offsets; lines and columns are 1-based, columns counted in bytes
/// (as clang counts them), so editors can jump to them.
public final class SourceFile: Sendable, Hashable {
    /// The path as the user or the including file named it.
    public let path: String
    /// The text, as UTF-8 bytes.
    public let bytes: [UInt8]
    /// The offset where each line starts.
    private let lineStarts: [Int]

    /// A source file from its path and text.
    public init(path: String, text: String) {
        self.path = path
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    /// The 1-based line and column of `offset`.
    public func lineAndColumn(_ offset: Int) -> (line: Int, column: Int) {
        // Binary search for the last line start <= offset.
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }

    /// The text of 1-based line `line`, without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The text between two offsets.
    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    public static func == (a: SourceFile, b: SourceFile) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A place in a source file.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible, Comparable {
    public let file: SourceFile
    public let offset: Int

    public init(file: SourceFile, offset: Int) {
        self.file = file
        self.offset = offset
    }

    public var line: Int { file.lineAndColumn(offset).line }
    public var column: Int { file.lineAndColumn(offset).column }

    /// `FILE:LINE:COL`.
    public var description: String {
        let (line, column) = file.lineAndColumn(offset)
        return "\(file.path):\(line):\(column)"
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        a.file.path != b.file.path ? a.file.path < b.file.path : a.offset < b.offset
    }
}

/// A span of a source file.
public struct SourceRange: Hashable, Sendable {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = end
    }

    /// Where the span starts.
    public var location: SourceLocation { SourceLocation(file: file, offset: start) }

    /// The spanned text.
    public var text: String { file.text(start..<end) }

    /// The span from this one's start to `other`'s end.
    public func through(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }
}
