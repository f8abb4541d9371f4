import CordonKernel
import Glibc

/// The command table: name, one-line summary, entry point.
let commands: [(name: String, summary: String, run: ([String]) throws -> Int32)] = [
    ("compile", "compile a policy to a C header, raw BPF, gosecco text, Go or a listing", CompileCommand.run),
    ("check", "parse and check a policy; print its diagnostics", CheckCommand.run),
    ("run", "run a command under a policy: cordon run POLICY -- COMMAND [ARG...]", RunCommand.run),
    ("import", "convert a Docker/OCI seccomp profile (JSON) into a policy", ImportCommand.run),
    ("preload", "build a .so that installs the filter when loaded (LD_PRELOAD, bash enable -f)", PreloadCommand.run),
    ("test", "run a policy's expect lines", TestCommand.run),
    ("disasm", "disassemble a raw BPF program (listing or gosecco text)", DisasmCommand.run),
    ("asm", "assemble listing or gosecco text into a raw BPF program", AsmCommand.run),
    ("emulate", "decide one syscall with a policy (or a raw program with --bpf)", EmulateCommand.run),
    ("kernel-probe", "ask the live kernel which return a program reaches", KernelProbeCommand.run),
]

@MainActor func usage() -> String {
    "usage: cordon COMMAND [ARG...]\n\ncommands:\n"
        + commands.map { "  \($0.name.padding(toLength: 14, withPad: " ", startingAt: 0))\($0.summary)" }.joined(separator: "\n")
}

let words = Array(CommandLine.arguments.dropFirst())
guard let name = words.first, name != "--help", name != "-h", name != "help" else {
    IO.print(usage() + "\n")
    exit(words.isEmpty ? 2 : 0)
}
guard let command = commands.first(where: { $0.name == name }) else {
    IO.error("cordon: unknown command '\(name)'\n" + usage())
    exit(2)
}
do {
    exit(try command.run(Array(words.dropFirst())))
} catch let error as UsageError {
    IO.error("cordon \(name): \(error.message)")
    exit(2)
} catch let error as InputError {
    IO.error(error.message)
    exit(1)
} catch let error as KernelProbe.ProbeError {
    IO.error("cordon \(name): \(error)")
    exit(1)
} catch {
    IO.error("cordon \(name): \(error)")
    exit(1)
}
