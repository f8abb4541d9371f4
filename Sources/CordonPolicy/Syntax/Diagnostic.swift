/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable {
    case error
    case warning
    case note
}

/// One message about a policy: data, collected by every stage and printed by
/// the CLI. `id` is stable, for tests and for people searching the docs.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public let severity: Severity
    public let id: DiagnosticID
    public let message: String
    public let location: SourceLocation
    /// Further places that explain this one (`first defined here`).
    public let notes: [Note]

    /// A secondary message at another place.
    public struct Note: Hashable, Sendable {
        public let message: String
        public let location: SourceLocation
    }

    public init(_ severity: Severity, _ id: DiagnosticID, _ message: String, at location: SourceLocation, notes: [Note] = []) {
        self.severity = severity
        self.id = id
        self.message = message
        self.location = location
        self.notes = notes
    }

    /// `FILE:LINE:COL: error: MESSAGE`.
    public var description: String { PolicyText.displayable("\(location): \(severity.rawValue): \(message)") }

    /// The first line, the source line, and a caret under the column, as C
    /// compilers print them; then the notes the same way.
    public var rendered: String {
        var out = Self.render(severity, message, location)
        for note in notes { out += Self.render(.note, note.message, note.location) }
        return out
    }

    private static func render(_ severity: Severity, _ message: String, _ location: SourceLocation) -> String {
        let (line, column) = location.file.lineAndColumn(location.offset)
        let text = location.file.lineText(line)
        // The caret line copies the tabs of the source line, so it lines up.
        // Control characters are shown as <U+XXXX>, so a policy cannot
        // drive the terminal; the caret follows the shown text.
        let prefix = Array(PolicyText.displayable(String(decoding: text.utf8.prefix(column - 1), as: UTF8.self)).utf8)
        let padding = String(decoding: prefix.map { $0 == UInt8(ascii: "\t") ? $0 : UInt8(ascii: " ") }, as: UTF8.self)
        let first = PolicyText.displayable("\(location.file.path):\(line):\(column): \(severity.rawValue): \(message)")
        return "\(first)\n\(PolicyText.displayable(text))\n\(padding)^\n"
    }
}

/// Collects diagnostics, dropping exact repeats (a shared block is checked
/// once per architecture and would otherwise say the same thing twice).
public struct DiagnosticSink: Sendable {
    public private(set) var all: [Diagnostic] = []
    private var seen: Set<Diagnostic> = []

    public init() {}

    public mutating func add(_ diagnostic: Diagnostic) {
        if seen.insert(diagnostic).inserted { all.append(diagnostic) }
    }

    public mutating func error(_ id: DiagnosticID, _ message: String, at location: SourceLocation, notes: [Diagnostic.Note] = []) {
        add(Diagnostic(.error, id, message, at: location, notes: notes))
    }

    public mutating func warning(_ id: DiagnosticID, _ message: String, at location: SourceLocation, notes: [Diagnostic.Note] = []) {
        add(Diagnostic(.warning, id, message, at: location, notes: notes))
    }

    /// Whether any error was reported.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// The diagnostics in file and position order, errors and warnings mixed.
    public var sorted: [Diagnostic] {
        all.enumerated().sorted { a, b in
            a.element.location == b.element.location ? a.offset < b.offset : a.element.location < b.element.location
        }.map(\.element)
    }
}
