import CordonTestSupport
import Foundation
import XCTest

/// Help, man pages, completion, the install script and `cordon kernel`
/// (issue 13): all from one source, all through the built binary.
final class HelpAndCompletionTests: XCTestCase {
    let root = TestEnvironment.packageRoot
    private var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("help-completion")
    }

    /// Every command's name, from `cordon --help`.
    private func commands() throws -> [String] {
        let help = try runCordon(["--help"]).stdout
        let listed = help.components(separatedBy: "commands:\n")[1].components(separatedBy: "\n\n")[0]
        return listed.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
    }

    func testEveryCommandHasHelpAndTheTopLevelFitsAScreen() throws {
        let top = try runCordon(["--help"])
        XCTAssertEqual(top.status, 0)
        XCTAssertLessThanOrEqual(top.stdout.split(separator: "\n", omittingEmptySubsequences: false).count, 24, top.stdout)
        XCTAssertLessThanOrEqual(top.stdout.split(separator: "\n").map(\.count).max() ?? 0, 120)
        let names = try commands()
        XCTAssertEqual(names.count, 18, "\(names)")
        for name in names {
            let help = try runCordon([name, "--help"])
            XCTAssertEqual(help.status, 0, name)
            XCTAssertTrue(help.stdout.hasPrefix("usage: cordon \(name)"), help.stdout)
            XCTAssertTrue(help.stdout.contains("\noptions:\n"), help.stdout)
            XCTAssertEqual(try runCordon([name, "-h"]).stdout, help.stdout)
            XCTAssertEqual(try runCordon(["help", name]).stdout, help.stdout)
        }
    }

    /// The options the docs and README show for a command are in its help,
    /// and every option its help lists is one its parser takes.
    func testHelpListsEveryOptionTheDocsMention() throws {
        var texts = [try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)]
        for doc in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path) where doc.hasSuffix(".md") {
            texts.append(try String(contentsOf: root.appendingPathComponent("docs/\(doc)"), encoding: .utf8))
        }
        let names = Set(try commands())
        var checked = 0
        // Each command's help once: the docs mention some commands hundreds of times.
        var helps: [String: String] = [:]
        for text in texts {
            for line in text.split(separator: "\n") {
                for match in line.matches(of: /cordon ([a-z-]+)((?: +[^`|#;&]*)?)/) {
                    let command = String(match.1)
                    guard names.contains(command) else { continue }
                    if helps[command] == nil { helps[command] = try runCordon([command, "--help"]).stdout }
                    let help = helps[command]!
                    // Options as words: -o, --format, -O2, -Werror; not values like -1.
                    // Words after `--` are the command cordon runs.
                    let own = String(match.2).components(separatedBy: " -- ")[0]
                    for option in own.matches(of: /(?:^|\s|\[)(--?[A-Za-z][A-Za-z0-9-]*)/) {
                        let name = String(option.1)
                        XCTAssertTrue(help.contains("  \(name) ") || help.contains("  \(name)\n") || help.contains(" \(name),") || help.contains(", \(name) ")
                                      || help.contains(", \(name)\n") || help.contains("  \(name),"),
                                      "cordon \(command) --help does not list \(name), which the docs show: \(line)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }

    func testManPagesRenderWithoutWarnings() throws {
        let pages = [["help", "--man"]] + (try commands()).map { ["help", "--man", $0] }
        for arguments in pages {
            let page = try runCordon(arguments)
            XCTAssertEqual(page.status, 0)
            XCTAssertTrue(page.stdout.hasPrefix(".TH CORDON"), page.stdout)
            let file = dir.appendingPathComponent("page.1")
            try Data(page.stdout.utf8).write(to: file)
            let rendered = try runShell("MANWIDTH=80 man --warnings -l page.1", currentDirectory: dir)
            XCTAssertEqual(rendered.status, 0, rendered.stderr)
            XCTAssertEqual(rendered.stderr, "", "\(arguments): roff warnings")
            XCTAssertTrue(rendered.stdout.contains("NAME"), rendered.stdout)
        }
        let compile = try runShell("\(TestEnvironment.cordon.path) help --man compile | MANWIDTH=100 man -l -", currentDirectory: dir)
        XCTAssertTrue(compile.stdout.contains("--weights MIX.tsv"), compile.stdout)
        XCTAssertTrue(compile.stdout.contains("--diagnostics FORMAT"), compile.stdout)
        XCTAssertEqual(try runCordon(["help", "--man", "frob"]).status, 2)
    }

    /// Runs the bash completion on `words` (the last is the one completed).
    private func bash(_ words: [String]) throws -> [String] {
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let script = "source <(\(TestEnvironment.cordon.path) completion bash)\nCOMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1)\n_cordon 2>/dev/null\nprintf '%s\\n' \"${COMPREPLY[@]}\""
        let result = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", script], currentDirectory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    func testBashCompletion() throws {
        try Data("x86_64 { return allow }\n".utf8).write(to: dir.appendingPathComponent("policy.tcl"))
        XCTAssertEqual(try bash(["cordon", "comp"]), ["compile", "completion"])
        XCTAssertEqual(try bash(["cordon", "compile", "--format", ""]), ["c", "raw", "gosecco", "go", "listing"])
        XCTAssertEqual(try bash(["cordon", "compile", "--we"]), ["--weights"])
        XCTAssertTrue(try bash(["cordon", "check", "-"]).contains("-Werror"))
        XCTAssertEqual(try bash(["cordon", "compile", "pol"]), ["policy.tcl"])
        XCTAssertEqual(try bash(["cordon", "syscalls", "x86"]), ["x86_64"])
        XCTAssertEqual(try bash(["cordon", "syscalls", "x86_64", "socketp"]), ["socketpair"])
        XCTAssertEqual(try bash(["cordon", "emulate", "policy.tcl", "i3"]), ["i386"])
        XCTAssertEqual(try bash(["cordon", "emulate", "-w", "policy.tcl", "x86_64", "ptra"]), ["ptrace"], "an option does not count as a positional word")
        XCTAssertEqual(try bash(["cordon", "compile", "-o", "x.h", "--name", "n", "pol"]), ["policy.tcl"], "nor does an option's value")
        XCTAssertEqual(try bash(["cordon", "import", "--arch", "arm"]), ["arm64", "arm"])
        XCTAssertTrue(try bash(["cordon", "run", "policy.tcl", "--", "bas"]).contains("bash"))
        XCTAssertEqual(try bash(["cordon", "help", "dec"]), ["decompile"])
        XCTAssertEqual(try bash(["cordon", "completion", "z"]), [], "completion takes a shell name, not a file")
    }

    func testZshCompletion() throws {
        // zsh's completion functions stubbed to print what they are given.
        let script = """
            compadd() { print -r -- "compadd $*" }
            _describe() { print -r -- "_describe ${(P)4}" }
            _files() { print -r -- "_files $*" }
            _pids() { print _pids }
            _command_names() { print _command_names }
            compdef() { print -r -- "compdef $*" }
            source <(\(TestEnvironment.cordon.path) completion zsh)
            t() { words=("$@"); CURRENT=${#words}; _cordon }
            t cordon compile --format ''
            t cordon syscalls x86_64 ''
            t cordon emulate -w p.tcl ''
            t cordon compile -o x.h ''
            t cordon run p.tcl -- ''
            t cordon dump ''
            """
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/zsh"), ["-f", "-c", script], currentDirectory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "compdef _cordon cordon")
        XCTAssertEqual(lines[1], "compadd -- c raw gosecco go listing")
        XCTAssertTrue(lines[2].hasPrefix("compadd -- _llseek ") && lines[2].contains(" socketpair "), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("compadd -- x86_64 i386 x32"), lines[3])
        XCTAssertEqual(Array(lines.dropFirst(4)), ["_files ", "_command_names", "_pids"])
        XCTAssertEqual(try runShell("zsh -n <(\(TestEnvironment.cordon.path) completion zsh)").status, 0)
    }

    func testFishCompletion() throws {
        try Data("x86_64 { return allow }\n".utf8).write(to: dir.appendingPathComponent("policy.tcl"))
        func fish(_ line: String) throws -> [String] {
            let script = "source (\(TestEnvironment.cordon.path) completion fish | psub); complete -C '\(line)'"
            let result = try runProcess(URL(fileURLWithPath: "/usr/bin/fish"), ["--no-config", "-c", script], currentDirectory: dir)
            XCTAssertEqual(result.status, 0, result.stderr)
            return result.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        }
        XCTAssertEqual(try fish("cordon compile --format ").sorted(), ["c", "go", "gosecco", "listing", "raw"])
        XCTAssertTrue(try fish("cordon comp").contains("completion"))
        XCTAssertEqual(try fish("cordon compile pol"), ["policy.tcl"])
        XCTAssertTrue(try fish("cordon syscalls x86_64 ptr").contains("ptrace"))
        XCTAssertTrue(try fish("cordon check -").contains("-Werror"))
    }

    /// The README's install line, into a temporary prefix, with the binary
    /// `scripts/test.sh` built.
    func testTheInstallScript() throws {
        let prefix = dir.appendingPathComponent("prefix").path
        let result = try runShell("CORDON_INSTALL_PREBUILT=1 scripts/install.sh \(prefix)", currentDirectory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        let files = FileManager.default
        XCTAssertTrue(files.isExecutableFile(atPath: prefix + "/bin/cordon"))
        let pages = try files.contentsOfDirectory(atPath: prefix + "/share/man/man1")
        XCTAssertEqual(pages.count, try commands().count + 1, "\(pages)")
        XCTAssertTrue(pages.contains("cordon.1") && pages.contains("cordon-compile.1"))
        for script in ["/share/bash-completion/completions/cordon", "/share/zsh/site-functions/_cordon", "/share/fish/vendor_completions.d/cordon.fish"] {
            XCTAssertTrue(files.fileExists(atPath: prefix + script), script)
        }
        let man = try runShell("MANPATH=\(prefix)/share/man man -P cat cordon-diff | head -3")
        XCTAssertTrue(man.stdout.contains("CORDON-DIFF(1)"), man.stdout + man.stderr)
    }

    /// `cordon kernel` names every action and flag; a policy using an action
    /// the kernel lacks is a warning for `check --kernel` and refused by `run`.
    func testKernelFeaturesAndTheChecksThatUseThem() throws {
        let report = try runCordon(["kernel"])
        XCTAssertEqual(report.status, 0, report.stderr)
        for word in ["kill_process", "kill_thread", "trap", "errno", "notify", "trace", "log", "allow",
                     "SECCOMP_FILTER_FLAG_TSYNC ", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_NEW_LISTENER",
                     "SECCOMP_FILTER_FLAG_TSYNC_ESRCH", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_GET_NOTIF_SIZES", "action cache:"] {
            XCTAssertTrue(report.stdout.contains(word), "\(word)\n\(report.stdout)")
        }
        // Present since Linux 3.5 and 4.14: any kernel running these tests has them.
        for action in ["kill_process", "errno", "allow", "log"] {
            XCTAssertTrue(report.stdout.contains(where: { _ in true }) && report.stdout.split(separator: "\n").contains { $0.hasPrefix("  \(action) ") && $0.hasSuffix("yes") }, action)
        }
        XCTAssertTrue(report.stdout.contains("seccomp_data 64 bytes"), report.stdout)

        try Data("x86_64 {\n    if {$nr eq \"ptrace\"} { return notify }\n    return allow\n}\n".utf8).write(to: dir.appendingPathComponent("n.tcl"))
        XCTAssertEqual(try runCordon(["check", "--kernel", "n.tcl"], currentDirectory: dir).stderr, "", "this kernel has notify")
        let older = ["CORDON_TEST_KERNEL_LACKS": "notify", "PATH": "/usr/bin:/bin"]
        let warned = try runProcess(TestEnvironment.cordon, ["check", "--kernel", "n.tcl"], currentDirectory: dir, environment: older)
        XCTAssertEqual(warned.status, 0)
        XCTAssertTrue(warned.stderr.hasPrefix("n.tcl:2:28: warning: this kernel (Linux "), warned.stderr)
        XCTAssertTrue(warned.stderr.contains("does not have the action notify: it would kill the process instead"), warned.stderr)
        XCTAssertEqual(try runProcess(TestEnvironment.cordon, ["check", "--kernel", "-Werror", "n.tcl"], currentDirectory: dir, environment: older).status, 1)
        let refused = try runProcess(TestEnvironment.cordon, ["run", "n.tcl", "--", "/bin/true"], currentDirectory: dir, environment: older)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.hasPrefix("n.tcl:2:28: error: this kernel"), refused.stderr)
        XCTAssertEqual(try runCordon(["run", "n.tcl", "--", "/bin/true"], currentDirectory: dir).status, 0, "with notify it runs")
    }
}
