import CordonLinux

/// What a command-line word completes to: the shells' completion scripts
/// are generated from these, as `--help` and the man pages are.
enum Completion: String, Sendable {
    case none, file, policy, bpf, arch, syscall, command, pid, directory
}

/// One option of a command, for `--help`, the man page and completion.
struct OptionHelp: Sendable {
    /// The spellings (`-o`), the first one shown.
    let names: [String]
    /// The value's placeholder (`OUT`), nil for a flag.
    let value: String?
    /// One line: what it does.
    let summary: String
    /// The fixed values it takes, for completion (`c raw gosecco go listing`).
    var choices: [String] = []
    /// What its value completes to when it has no fixed values.
    var completes: Completion = .none

    /// `-o OUT`, `--check`.
    var shown: String { names.joined(separator: ", ") + (value.map { " " + $0 } ?? "") }
}

/// A command's help: the single source of `cordon NAME --help`, its man
/// page (`cordon help --man NAME`) and its shell completion.
struct CommandHelp: Sendable {
    let name: String
    /// The synopsis lines, without `usage: `.
    let synopsis: [String]
    /// What it does, a few sentences.
    let description: String
    let options: [OptionHelp]
    /// What each positional word completes to, in order; the last repeats.
    let positionals: [Completion]
    /// Whether it takes the policy options (-D, -Werror, -w, --diagnostics).
    var readsPolicy: Bool { PolicyOptions.commands.contains(name) }

    /// The options every policy-reading command takes.
    static let policyOptions: [OptionHelp] = [
        OptionHelp(names: ["-D"], value: "NAME=VALUE", summary: "define or replace the policy's set NAME (actions too: -D FAIL=trap)"),
        OptionHelp(names: ["-Werror"], value: nil, summary: "warnings are errors: exit 1, no output"),
        OptionHelp(names: ["-w"], value: nil, summary: "print no warnings"),
        OptionHelp(names: ["--diagnostics"], value: "FORMAT", summary: "text (default) or json: one JSON object a line on standard error", choices: ["text", "json"]),
    ]

    /// Its options, the policy options included.
    var allOptions: [OptionHelp] { options + (readsPolicy ? Self.policyOptions : []) + [OptionHelp(names: ["-h", "--help"], value: nil, summary: "show this help")] }

    /// `cordon NAME --help`.
    var text: String {
        var out = synopsis.enumerated().map { ($0.offset == 0 ? "usage: " : "       ") + "cordon " + $0.element }.joined(separator: "\n")
        out += "\n\n" + Self.wrap(description, width: 78, indent: "") + "\n"
        let rows = allOptions
        let width = min(26, (rows.map(\.shown.count).max() ?? 0) + 2)
        out += "\noptions:\n"
        for option in rows {
            let head = "  " + option.shown
            let pad = head.count + 2 <= width + 2 ? String(repeating: " ", count: width + 2 - head.count) : "\n" + String(repeating: " ", count: width + 2)
            out += head + pad + option.summary + "\n"
        }
        return out
    }

    /// Wraps text at word boundaries.
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = indent
            for word in paragraph.split(separator: " ") {
                if line.count > indent.count && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = indent
                }
                line += (line.count > indent.count ? " " : "") + word
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

extension CommandHelp {
    private static let out = OptionHelp(names: ["-o"], value: "OUT", summary: "write to OUT (- or none: standard output); never a partial file", completes: .file)
    private static let formats = ["c", "raw", "gosecco", "go", "listing"]
    private static let arches = Arch.allCases.map(\.rawValue)

    /// Every command's help, in the order `cordon --help` lists them.
    static let all: [CommandHelp] = [
        CommandHelp(name: "compile", synopsis: ["compile POLICY [-o OUT] [--format F] [-O0|-O2] [--name NAME] [--go-package PKG] [--weights MIX.tsv] [--check]"],
                    description: "Compiles a policy into a seccomp filter: a commented C header, raw BPF, gosecco text, Go source or a listing. Without --format the format follows OUT's extension (.h c, .bpf raw, .s gosecco, .go go), else c.",
                    options: [out,
                              OptionHelp(names: ["--format"], value: "F", summary: "c, raw, gosecco, go or listing", choices: formats),
                              OptionHelp(names: ["-O2"], value: nil, summary: "the optimizing backend (default)"),
                              OptionHelp(names: ["-O0"], value: nil, summary: "the direct, dropnet-shaped lowering"),
                              OptionHelp(names: ["--name"], value: "NAME", summary: "prefix of the C and Go identifiers (default: the policy's file name)"),
                              OptionHelp(names: ["--go-package"], value: "PKG", summary: "the Go output's package (default: main)"),
                              OptionHelp(names: ["--weights"], value: "MIX.tsv", summary: "a 'name count' table of syscall frequencies that shapes the search", completes: .file),
                              OptionHelp(names: ["--check"], value: nil, summary: "compare with OUT on disk instead of writing it: exit 1 when stale (for CI)")],
                    positionals: [.policy]),
        CommandHelp(name: "check", synopsis: ["check POLICY [--kernel]"],
                    description: "Parses and checks a policy and prints its diagnostics; exit 0 when there is no error.",
                    options: [OptionHelp(names: ["--kernel"], value: nil, summary: "also check the actions against this machine's kernel")],
                    positionals: [.policy]),
        CommandHelp(name: "test", synopsis: ["test POLICY... [--kernel]"],
                    description: "Runs the policies' expect lines on the interpreter and prints a line per failure, then 'N passed, M failed'; exit 1 if any failed.",
                    options: [OptionHelp(names: ["--kernel"], value: nil, summary: "also run them in the live kernel, in a child process")],
                    positionals: [.policy]),
        CommandHelp(name: "emulate", synopsis: ["emulate POLICY ARCH SYSCALL [ARG...] [--ip N]", "emulate --bpf FILE.bpf ARCH SYSCALL [ARG...] [--ip N] [--trace]"],
                    description: "Decides one syscall: the action, the policy line that decided it and the number of BPF instructions executed. SYSCALL is a name of ARCH's table or a number; ARGs are integers or constant names.",
                    options: [OptionHelp(names: ["--bpf"], value: "FILE.bpf", summary: "run a raw program instead of a policy", completes: .bpf),
                              OptionHelp(names: ["--ip"], value: "N", summary: "the instruction pointer of the call"),
                              OptionHelp(names: ["--trace"], value: nil, summary: "with --bpf: print each instruction executed")],
                    positionals: [.policy, .arch, .syscall, .none]),
        CommandHelp(name: "run", synopsis: ["run POLICY [--audit | --report] [--report-file FILE] -- COMMAND [ARG...]"],
                    description: "Runs COMMAND under the policy's filter (no_new_privs set, the filter loaded, then exec).",
                    options: [OptionHelp(names: ["--report"], value: nil, summary: "enforce the policy and name each refused call with its deciding line"),
                              OptionHelp(names: ["--audit"], value: nil, summary: "name each call the policy would refuse, and let it through: audit enforces nothing"),
                              OptionHelp(names: ["--report-file"], value: "FILE", summary: "send the report lines to FILE", completes: .file)],
                    positionals: [.policy, .command]),
        CommandHelp(name: "learn", synopsis: ["learn [-o POLICY] [--default ACTION] [--update POLICY] -- COMMAND [ARG...]"],
                    description: "Runs COMMAND letting every call through, and drafts a policy allowing exactly what it did. Learning watches, it does not enforce; review the draft, then enforce it with cordon run.",
                    options: [OptionHelp(names: ["-o"], value: "POLICY", summary: "write the draft to POLICY (default: standard output)", completes: .file),
                              OptionHelp(names: ["--default"], value: "ACTION", summary: "the action for everything else (default: errno EPERM)"),
                              OptionHelp(names: ["--update"], value: "POLICY", summary: "add rules for what POLICY lacked", completes: .policy)],
                    positionals: [.command]),
        CommandHelp(name: "import", synopsis: ["import PROFILE.json [-o POLICY] [--arch HOST] [--cap CAP]... [--kernel X.Y] [--notice FILE] [--harden]",
                                               "import --from gosecco FILE.policy [-o POLICY]"],
                    description: "Converts a Docker/OCI seccomp profile (JSON) into a policy, as runc loads it; with --from gosecco, a policy in gosecco's language as its documentation defines it, warning where gosecco's own compiler decides otherwise.",
                    options: [OptionHelp(names: ["-o"], value: "POLICY", summary: "write the policy to POLICY (default: standard output)", completes: .file),
                              OptionHelp(names: ["--from"], value: "FORMAT", summary: "docker (default: Docker/OCI JSON) or gosecco", choices: ["docker", "gosecco"]),
                              OptionHelp(names: ["--arch"], value: "HOST", summary: "the host, in Docker's names (default amd64)", choices: ["amd64", "x86", "x32", "arm64", "arm", "riscv64", "ppc64le", "s390x", "loong64"]),
                              OptionHelp(names: ["--cap"], value: "CAP", summary: "a capability the container has (repeats, or a comma list)"),
                              OptionHelp(names: ["--kernel"], value: "X.Y", summary: "the kernel version for minKernel rules"),
                              OptionHelp(names: ["--notice"], value: "FILE", summary: "put FILE's lines (a licence notice) at the top as comments", completes: .file),
                              OptionHelp(names: ["--harden"], value: nil, summary: "read int parameters at 32 bits, closing the high-half holes")],
                    positionals: [.file]),
        CommandHelp(name: "preload", synopsis: ["preload POLICY -o FILE.so [--name NAME] [--template FILE] [-O0|-O2]"],
                    description: "Builds a shared object that installs the filter when loaded (LD_PRELOAD=./FILE.so COMMAND, or bash's enable -f ./FILE.so NAME), with cc or $CC.",
                    options: [OptionHelp(names: ["-o"], value: "FILE.so", summary: "the shared object to write", completes: .file),
                              OptionHelp(names: ["--name"], value: "NAME", summary: "the builtin's name (default: FILE's base name)"),
                              OptionHelp(names: ["--template"], value: "FILE", summary: "a C template instead of the bundled one", completes: .file),
                              OptionHelp(names: ["-O2"], value: nil, summary: "the optimizing backend (default)"),
                              OptionHelp(names: ["-O0"], value: nil, summary: "the direct lowering")],
                    positionals: [.policy]),
        CommandHelp(name: "disasm", synopsis: ["disasm FILE.bpf [--format listing|gosecco]"],
                    description: "Disassembles a raw program: a listing (default) or gosecco text.",
                    options: [OptionHelp(names: ["--format"], value: "F", summary: "listing or gosecco", choices: ["listing", "gosecco"])],
                    positionals: [.bpf]),
        CommandHelp(name: "asm", synopsis: ["asm FILE [-o OUT.bpf] [--format listing|gosecco]"],
                    description: "Assembles listing or gosecco text back into a raw program.",
                    options: [OptionHelp(names: ["-o"], value: "OUT.bpf", summary: "write the program to OUT.bpf", completes: .file),
                              OptionHelp(names: ["--format"], value: "F", summary: "listing or gosecco (default: guessed from the text)", choices: ["listing", "gosecco"])],
                    positionals: [.file]),
        CommandHelp(name: "dump", synopsis: ["dump PID [-o OUT.bpf] [--index N]"],
                    description: "The seccomp filters of a running process, through ptrace (needs CAP_SYS_ADMIN), the most recent first; without -o a listing.",
                    options: [OptionHelp(names: ["-o"], value: "OUT.bpf", summary: "write the raw bytes of a filter", completes: .file),
                              OptionHelp(names: ["--index"], value: "N", summary: "the filter to take, 0 the most recent")],
                    positionals: [.pid]),
        CommandHelp(name: "diff", synopsis: ["diff A B", "diff --from-git REV POLICY"],
                    description: "Every class of inputs on which two filters (policies or raw .bpf programs) decide differently, as ARCH SYSCALLS CONDITION A-action -> B-action; exit 0 when equal, 1 when they differ.",
                    options: [OptionHelp(names: ["--from-git"], value: "REV", summary: "compare POLICY with its committed version at REV")],
                    positionals: [.policy]),
        CommandHelp(name: "explain", synopsis: ["explain POLICY|FILE.bpf"],
                    description: "Per architecture, what a filter allows, refuses and checks by argument, grouped by action.",
                    options: [], positionals: [.policy]),
        CommandHelp(name: "decompile", synopsis: ["decompile FILE.bpf [-o POLICY]"],
                    description: "Lifts any seccomp program into an equivalent, readable policy, and proves the two equal.",
                    options: [OptionHelp(names: ["-o"], value: "POLICY", summary: "write the policy to POLICY", completes: .file)],
                    positionals: [.bpf]),
        CommandHelp(name: "syscalls", synopsis: ["syscalls [ARCH] [NAME|NUMBER...]"],
                    description: "The syscall table: names to numbers and back, with each parameter's kernel name, width and slot. ARCH is one of \(arches.joined(separator: ", ")) (default: this machine's).",
                    options: [], positionals: [.arch, .syscall]),
        CommandHelp(name: "kernel", synopsis: ["kernel"],
                    description: "The seccomp features of the running kernel: each action, each filter flag, the notification sizes and whether the action cache is there.",
                    options: [], positionals: []),
        CommandHelp(name: "completion", synopsis: ["completion bash|zsh|fish"],
                    description: "A completion script for the shell: commands, options, formats, architecture and syscall names. Load it with: source <(cordon completion bash).",
                    options: [], positionals: [.none]),
        CommandHelp(name: "kernel-probe", synopsis: ["kernel-probe FILE.bpf [--load-only] < CALLS"],
                    description: "Asks the live kernel which return a program reaches for each call read from standard input (for tests), in a child process.",
                    options: [OptionHelp(names: ["--load-only"], value: nil, summary: "only say whether the kernel accepts the program")],
                    positionals: [.bpf]),
    ]

    /// The help of `name`.
    static func of(_ name: String) -> CommandHelp? { all.first { $0.name == name } }
}
