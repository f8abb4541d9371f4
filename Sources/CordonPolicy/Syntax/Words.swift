/// One Tcl word as written: bare (`allow`, `$nr`), braced (`{...}`, literal,
/// braces nest) or double-quoted (`"socket"`).
public struct Word: Hashable, Sendable {
    /// How the word was written.
    public enum Kind: Hashable, Sendable {
        case bare
        case braced
        case quoted
    }

    public let kind: Kind
    /// The content: without the braces or quotes; quoted words have their
    /// backslash escapes applied.
    public let text: String
    /// The whole word, delimiters included.
    public let range: SourceRange
    /// The content's span (inside the braces or quotes), for re-parsing
    /// a braced body or condition with exact locations.
    public let content: SourceRange

    /// Where the word starts.
    public var location: SourceLocation { range.location }
}

/// A command: its words, in order, and its span.
public struct Command: Hashable, Sendable {
    public let words: [Word]
    public let range: SourceRange

    /// The command's name: its first word's text.
    public var name: String { words[0].text }
    /// Where the command starts.
    public var location: SourceLocation { range.location }
}
