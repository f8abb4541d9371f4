import CordonKernel
import Glibc

// A closed pipe or a full disk is an error message and exit 1, never a signal.
signal(SIGPIPE, SIG_IGN)

let words = Array(CommandLine.arguments.dropFirst())
if words == ["--version"] || words == ["-V"] {
    IO.print(CommandTable.version)
    IO.finish(0)
}
// `cordon help --man [COMMAND]`: the man page, in roff (scripts/install.sh).
if words.first == "help", words.count >= 2, words[1] == "--man" {
    if words.count == 2 { IO.print(ManPage.overview); IO.finish(0) }
    if words.count == 3, let help = CommandHelp.of(words[2]) { IO.print(ManPage.page(help)); IO.finish(0) }
    IO.error("usage: cordon help --man [COMMAND]")
    IO.finish(2)
}
// `cordon help COMMAND` is `cordon COMMAND --help`.
if words.count == 2, words[0] == "help", let entry = CommandTable.all.first(where: { $0.name == words[1] }) {
    IO.print(CommandTable.help(entry))
    IO.finish(0)
}
if words.count == 2, words[0] == "help" {
    IO.error("cordon help: unknown command '\(words[1])'\n" + CommandTable.usage)
    IO.finish(2)
}
guard let name = words.first, name != "--help", name != "-h", name != "help" else {
    IO.print(CommandTable.usage + "\n")
    IO.finish(words.isEmpty ? 2 : 0)
}
guard let command = CommandTable.all.first(where: { $0.name == name }) else {
    IO.error("cordon: unknown command '\(name)'\n" + CommandTable.usage)
    IO.finish(2)
}
if words.count == 2, ["--help", "-h"].contains(words[1]) {
    IO.print(CommandTable.help(command))
    IO.finish(0)
}
var commandWords = Array(words.dropFirst())
if PolicyOptions.commands.contains(name) {
    do { (DiagnosticOutput.options, commandWords) = try PolicyOptions.extract(commandWords) } catch {
        IO.error("cordon \(name): \(error.message)")
        IO.finish(2)
    }
}
let outcome = CommandTable.run(command, commandWords)
if let summary = DiagnosticOutput.summary { IO.errorText(summary + "\n") }
do {
    IO.finish(try outcome.get())
} catch let error as UsageError {
    IO.error("cordon \(name): \(error.message)")
    IO.finish(2)
} catch let error as InputError {
    IO.error(error.message)
    IO.finish(1)
} catch let error as KernelProbe.ProbeError {
    IO.error("cordon \(name): \(error)")
    IO.finish(1)
} catch {
    IO.error("cordon \(name): \(error)")
    IO.finish(1)
}
