import CordonPolicy
import Glibc
import Synchronization

/// The options every command that reads a policy takes (cli.md): `-D
/// NAME=VALUE`, `-Werror`, `-w`, `--diagnostics text|json`.
struct PolicyOptions: Sendable {
    /// `-D NAME=VALUE`, in command-line order (a later one of a name wins).
    var defines: [FrontEnd.Define] = []
    /// `-Werror`: warnings are errors.
    var warningsAsErrors = false
    /// `-w`: no warnings at all (it wins over `-Werror`).
    var noWarnings = false
    /// `--diagnostics json`: one JSON object a line on standard error.
    var json = false

    /// The commands that read a policy and so take these options.
    static let commands: Set<String> = ["compile", "check", "test", "emulate", "preload", "run", "learn", "diff", "explain"]

    /// Takes the options out of `words` (up to a `--`, after which words
    /// belong to the command being run), returning them and the rest.
    static func extract(_ words: [String]) throws(UsageError) -> (PolicyOptions, [String]) {
        var options = PolicyOptions()
        var rest: [String] = []
        var i = 0
        while i < words.count {
            let word = words[i]
            if word == "--" {
                rest += words[i...]
                break
            }
            switch word {
            case "-Werror": options.warningsAsErrors = true
            case "-w": options.noWarnings = true
            case "-D", "--diagnostics":
                guard i + 1 < words.count else { throw UsageError("\(word) needs a value") }
                i += 1
                if word == "-D" { options.defines.append(try define(words[i])) } else { options.json = try jsonFormat(words[i]) }
            default:
                if word.hasPrefix("-D") {
                    options.defines.append(try define(String(word.dropFirst(2))))
                } else if word.hasPrefix("--diagnostics=") {
                    options.json = try jsonFormat(String(word.dropFirst("--diagnostics=".count)))
                } else {
                    rest.append(word)
                }
            }
            i += 1
        }
        return (options, rest)
    }

    private static func define(_ text: String) throws(UsageError) -> FrontEnd.Define {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw UsageError("-D \(text): write -D NAME=VALUE (VALUE as a set would take it: -D FAIL='errno EACCES')")
        }
        return FrontEnd.Define(name: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }

    private static func jsonFormat(_ text: String) throws(UsageError) -> Bool {
        switch text {
        case "json": return true
        case "text": return false
        default: throw UsageError("--diagnostics \(text): use text or json")
        }
    }

    /// The usage line of these options, for each command's usage.
    static let usage = "[-D NAME=VALUE]... [-Werror] [-w] [--diagnostics text|json]"
}

/// The diagnostics of one run: shown as the options say, each once however
/// many times a run reads the same file, and counted for the closing line.
enum DiagnosticOutput {
    private struct State {
        var options = PolicyOptions()
        var shown: Set<String> = []
        var errors = 0, warnings = 0
    }

    private static let state = Mutex(State())

    /// The options of this run, set once before the command runs.
    static var options: PolicyOptions {
        get { state.withLock { $0.options } }
        set { state.withLock { $0.options = newValue } }
    }

    /// Colour when standard error is a terminal and `NO_COLOR` is not set
    /// (or `CLICOLOR_FORCE` is, for a terminal that is a pipe).
    static let colour: Bool = {
        if let noColour = getenv("NO_COLOR"), noColour.pointee != 0 { return false }
        if let force = getenv("CLICOLOR_FORCE"), force.pointee != 0, String(cString: force) != "0" { return true }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return isatty(2) == 1
    }()

    /// Prints `diagnostics` (less warnings under `-w`, warnings as errors
    /// under `-Werror`); returns whether any of them is an error.
    @discardableResult
    static func show(_ diagnostics: [Diagnostic]) -> Bool {
        var hasErrors = false
        var text = ""
        state.withLock { state in
            for original in diagnostics {
                var diagnostic = original
                if diagnostic.severity == .warning {
                    if state.options.noWarnings { continue }
                    if state.options.warningsAsErrors {
                        diagnostic = Diagnostic(.error, original.id, original.message + " [-Werror]", at: original.location, notes: original.notes)
                    }
                }
                if diagnostic.severity == .error { hasErrors = true }
                let shown = state.options.json ? diagnostic.json + "\n" : diagnostic.rendered(colour: colour)
                guard state.shown.insert(shown).inserted else { continue }
                if diagnostic.severity == .error { state.errors += 1 } else if diagnostic.severity == .warning { state.warnings += 1 }
                text += shown
            }
        }
        IO.errorText(text)
        return hasErrors
    }

    /// `2 errors, 1 warning`: the closing count, when anything was shown
    /// (never in JSON, where every line is an object).
    static var summary: String? {
        state.withLock { state in
            guard !state.options.json, state.errors + state.warnings > 0 else { return nil }
            let parts = [(state.errors, "error"), (state.warnings, "warning")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
            return parts.joined(separator: ", ")
        }
    }
}
