import CordonLinux

/// One command of the CLI: its name, a one-line summary, its entry point.
struct CommandEntry: Sendable {
    let name: String
    let summary: String
    let run: @Sendable ([String]) throws -> Int32
    /// Whether it forks a kernel-probe child, which needs a single-threaded
    /// process: it then runs on the main thread.
    var forksProbes = false
}

/// The command table.
enum CommandTable {
    static let all: [CommandEntry] = [
        CommandEntry(name: "compile", summary: "compile a policy to a C header, raw BPF, gosecco text, Go or a listing", run: CompileCommand.run),
        CommandEntry(name: "check", summary: "parse and check a policy; print its diagnostics", run: CheckCommand.run),
        CommandEntry(name: "run", summary: "run a command under a policy (--report: name each refused call; --audit: name them, enforce nothing)", run: RunCommand.run, forksProbes: true),
        CommandEntry(name: "learn", summary: "record a command's syscalls and draft a policy allowing them (it watches, it does not enforce)", run: LearnCommand.run, forksProbes: true),
        CommandEntry(name: "import", summary: "convert a Docker/OCI seccomp profile (JSON) into a policy", run: ImportCommand.run),
        CommandEntry(name: "preload", summary: "build a .so that installs the filter when loaded (LD_PRELOAD, bash enable -f)", run: PreloadCommand.run),
        CommandEntry(name: "test", summary: "run a policy's expect lines", run: TestCommand.run, forksProbes: true),
        CommandEntry(name: "disasm", summary: "disassemble a raw BPF program (listing or gosecco text)", run: DisasmCommand.run),
        CommandEntry(name: "asm", summary: "assemble listing or gosecco text into a raw BPF program", run: AsmCommand.run),
        CommandEntry(name: "emulate", summary: "decide one syscall with a policy (or a raw program with --bpf)", run: EmulateCommand.run),
        CommandEntry(name: "dump", summary: "the seccomp filters of a running process (ptrace; needs CAP_SYS_ADMIN)", run: DumpCommand.run, forksProbes: true),
        CommandEntry(name: "diff", summary: "every class of inputs on which two filters (policies or .bpf) decide differently; exit 1 when any", run: DiffCommand.run),
        CommandEntry(name: "explain", summary: "per architecture, what a filter (policy or .bpf) allows, refuses and checks by argument", run: ExplainCommand.run),
        CommandEntry(name: "decompile", summary: "lift any seccomp program (.bpf) into an equivalent policy, proved equal", run: DecompileCommand.run),
        CommandEntry(name: "syscalls", summary: "the syscall table: name to number and back, with parameter names and widths", run: SyscallsCommand.run),
        CommandEntry(name: "kernel", summary: "the running kernel's seccomp features: actions, filter flags, notification sizes, action cache", run: KernelCommand.run),
        CommandEntry(name: "completion", summary: "a completion script for bash, zsh or fish", run: CompletionScript.run),
        CommandEntry(name: "kernel-probe", summary: "ask the live kernel which return a program reaches", run: KernelProbeCommand.run, forksProbes: true),
    ]

    /// Runs `entry` with `arguments`. Commands that fork a probe child run
    /// on this thread, single-threaded, and keep their deep values on a large
    /// stack themselves; the others run on a large stack whole, so that
    /// building and freeing a huge policy's tree never overflows.
    nonisolated static func run(_ entry: CommandEntry, _ arguments: [String]) -> Result<Int32, any Error> {
        if entry.forksProbes { return Result { try entry.run(arguments) } }
        return LargeStack.run { Result { try entry.run(arguments) } }
    }

    /// `cordon NAME --help`: from the command's help, the one source of its
    /// usage, man page and completion.
    static func help(_ entry: CommandEntry) -> String {
        CommandHelp.of(entry.name)?.text ?? "cordon \(entry.name): \(entry.summary)\n"
    }

    /// The usage text listing every command.
    static var usage: String {
        "usage: cordon COMMAND [ARG...]\n\ncommands:\n"
            + all.map { "  \($0.name.padding(toLength: 14, withPad: " ", startingAt: 0))\($0.summary)" }.joined(separator: "\n")
            + "\n\ncordon help COMMAND (or cordon COMMAND --help) shows a command's usage; cordon --version its version."
    }

    /// cordon's version. Raised by hand with each release.
    static let versionNumber = "0.5.0"

    /// `cordon --version`: the version and what its tables were made from.
    static var version: String {
        "cordon \(versionNumber)\ncommit: \(buildCommit)\nsyscall tables: Linux \(SyscallTable.linuxVersion) (\(Arch.allCases.count) architectures), "
            + "constants and parameters from the kernel's headers and declarations\n"
    }
}
