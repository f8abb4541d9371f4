/// The man pages, in roff, from the same help as `--help`: `cordon(1)` and
/// one `cordon-NAME(1)` per command. `cordon help --man [COMMAND]` prints
/// one; scripts/install.sh writes them all.
enum ManPage {
    /// The date on the pages: the version's, so a rebuild changes nothing.
    static let date = "2026-11-27"

    /// Text for roff: backslashes escaped, minus signs as `\-`, and a line
    /// that starts with `.` or `'` protected.
    static func escape(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        return escaped.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line)
        }.joined(separator: "\n")
    }

    private static func header(_ name: String) -> String {
        ".TH \(name.uppercased().replacingOccurrences(of: "-", with: "\\-")) 1 \"\(date)\" \"cordon \(CommandTable.versionNumber)\" \"User Commands\"\n"
    }

    /// `cordon(1)`: what cordon is, every command, exit status, environment.
    static var overview: String {
        var out = header("cordon")
        out += ".SH NAME\ncordon \\- a seccomp policy compiler\n"
        out += ".SH SYNOPSIS\n.B cordon\n.I COMMAND\n[\\fIARG\\fR...]\n.br\n.B cordon \\-\\-version\n.br\n.B cordon help\n[\\fICOMMAND\\fR]\n"
        out += ".SH DESCRIPTION\n" + escape("cordon compiles seccomp policies, small Tcl-like rule files with one block per architecture, into classic BPF filters: a commented C header, raw BPF, gosecco text, Go source or a preload shared object. It also runs programs under a policy, learns a policy from a run, and reads any filter back: dump, decompile, diff and explain.") + "\n"
        out += ".SH COMMANDS\n"
        for entry in CommandTable.all {
            out += ".TP\n.B \(escape(entry.name))\n\(escape(entry.summary)); see\n.BR cordon\\-\(escape(entry.name)) (1).\n"
        }
        out += ".SH EXIT STATUS\n" + escape("0 success; 1 the policy or input is wrong (diagnostics on standard error); 2 a usage error. A failure to write is an error message and exit 1.") + "\n"
        out += ".SH ENVIRONMENT\n"
        out += ".TP\n.B NO_COLOR\n" + escape("when set, diagnostics are not coloured (they are on a terminal otherwise).") + "\n"
        out += ".TP\n.B CLICOLOR_FORCE\n" + escape("when 1, diagnostics are coloured even when standard error is not a terminal.") + "\n"
        out += ".TP\n.B CC\n" + escape("the C compiler cordon preload uses (default cc).") + "\n"
        out += ".SH SEE ALSO\n" + CommandTable.all.map { ".BR cordon\\-\(escape($0.name)) (1)" }.joined(separator: ",\n") + ",\n.BR seccomp (2)\n"
        return out
    }

    /// `cordon-NAME(1)`.
    static func page(_ help: CommandHelp) -> String {
        var out = header("cordon-\(help.name)")
        let summary = CommandTable.all.first { $0.name == help.name }?.summary ?? ""
        out += ".SH NAME\ncordon\\-\(escape(help.name)) \\- \(escape(summary))\n"
        out += ".SH SYNOPSIS\n" + help.synopsis.map { ".B cordon\n\(escape($0))" }.joined(separator: "\n.br\n") + "\n"
        out += ".SH DESCRIPTION\n\(escape(help.description))\n"
        out += ".SH OPTIONS\n"
        for option in help.allOptions {
            let names = option.names.map { "\\fB\(escape($0))\\fR" }.joined(separator: ", ")
            out += ".TP\n\(names)\(option.value.map { " \\fI\(escape($0))\\fR" } ?? "")\n\(escape(option.summary))\n"
        }
        out += ".SH SEE ALSO\n.BR cordon (1)\n"
        return out
    }
}
