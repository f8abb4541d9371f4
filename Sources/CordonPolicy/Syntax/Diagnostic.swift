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

        public init(message: String, location: SourceLocation) {
            self.message = message
            self.location = location
        }
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
    /// compilers print them; then the notes the same way. With `colour`,
    /// ANSI colours as clang uses them (location and message bold, the
    /// severity red, magenta or cyan, the caret green).
    public func rendered(colour: Bool) -> String {
        var out = Self.render(severity, message, location, colour: colour)
        for note in notes { out += Self.render(.note, note.message, note.location, colour: colour) }
        return out
    }

    /// The plain rendering (no colour).
    public var rendered: String { rendered(colour: false) }

    /// One JSON object on one line: file, line, column, severity, id,
    /// message, and the notes with their own places.
    public var json: String {
        func place(_ location: SourceLocation) -> String {
            let (line, column) = location.file.lineAndColumn(location.offset)
            return "\"file\":\(Self.jsonString(location.file.path)),\"line\":\(line),\"column\":\(column)"
        }
        let noteObjects = notes.map { "{\(place($0.location)),\"message\":\(Self.jsonString($0.message))}" }
        return "{\(place(location)),\"severity\":\"\(severity.rawValue)\",\"id\":\"\(id.rawValue)\","
            + "\"message\":\(Self.jsonString(message)),\"notes\":[\(noteObjects.joined(separator: ","))]}"
    }

    /// `text` as a JSON string literal: quotes, backslashes and every
    /// control character escaped, so one object stays on one line.
    static func jsonString(_ text: String) -> String { PolicyText.quoted(text, json: true) }

    private static func render(_ severity: Severity, _ message: String, _ location: SourceLocation, colour: Bool) -> String {
        let (line, column) = location.file.lineAndColumn(location.offset)
        let text = location.file.lineText(line)
        // The caret line copies the tabs of the source line, so it lines up.
        // Control characters are shown as <U+XXXX>, so a policy cannot
        // drive the terminal; the caret follows the shown text.
        let prefix = Array(PolicyText.displayable(String(decoding: text.utf8.prefix(column - 1), as: UTF8.self)).utf8)
        let padding = String(decoding: prefix.map { $0 == UInt8(ascii: "\t") ? $0 : UInt8(ascii: " ") }, as: UTF8.self)
        let place = PolicyText.displayable("\(location.file.path):\(line):\(column):")
        let shownMessage = PolicyText.displayable(message)
        guard colour else {
            return "\(place) \(severity.rawValue): \(shownMessage)\n\(PolicyText.displayable(text))\n\(padding)^\n"
        }
        let hue = severity == .error ? "31" : severity == .warning ? "35" : "36"
        let bold = "\u{1B}[1m", reset = "\u{1B}[0m"
        return "\(bold)\(place) \u{1B}[1;\(hue)m\(severity.rawValue):\(reset)\(bold) \(shownMessage)\(reset)\n"
            + "\(PolicyText.displayable(text))\n\(padding)\u{1B}[1;32m^\(reset)\n"
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
