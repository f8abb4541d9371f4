import CordonBPF
import CordonCompiler
import CordonPolicy

/// `cordon compile POLICY [-o OUT] [--format F] [-O0|-O2] [--name NAME] [--go-package P] [--weights MIX.tsv]`
enum CompileCommand {
    static let usage = "usage: cordon compile POLICY [-o OUT] [--format c|raw|gosecco|go|listing] [-O0|-O2] [--name NAME] [--weights MIX.tsv] [--check]"

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "compile")
        guard args.positional.count == 1 else {
            throw UsageError(usage)
        }
        let path = args.positional[0]
        let output = args.value("-o")
        let format: OutputFormat
        if let name = args.value("--format") {
            guard let chosen = OutputFormat(rawValue: name) else {
                throw UsageError("unknown format '\(name)': use c, raw, gosecco, go or listing")
            }
            format = chosen
        } else {
            format = OutputFormat.forPath(output)
        }
        if args.has("-O0") && args.has("-O2") { throw UsageError("choose one of -O0 and -O2") }
        let level: OptimizationLevel = args.has("-O0") ? .direct : .optimizing
        let name = args.value("--name") ?? EmitContext.identifier(fromPath: path)
        guard EmitContext.identifier(fromPath: name) == name else {
            throw UsageError("--name '\(name)' is not a valid C identifier")
        }
        // Refuse a bad -o before doing any work.
        _ = try OutputFile.destination(output, inputs: [path] + [args.value("--weights")].compactMap { $0 })
        var mix = SyscallMix.builtIn
        if let weights = args.value("--weights") {
            let text = try IO.readText(weights)
            do { mix = try SyscallMix.parse(text) } catch { throw InputError("\(weights):\(error.line): error: \(error.message)") }
        }
        let (loaded, files) = try loadPolicyAndFiles(path)
        guard let policy = loaded else { return 1 }
        let compiled: CompiledProgram
        do { compiled = try Compiler.compile(policy, level: level, mix: mix) }
        catch { throw InputError("\(path): error: \(error)") }
        let goPackage = args.value("--go-package") ?? "main"
        if let problem = EmitContext.goPackageProblem(goPackage) { throw UsageError("--go-package '\(goPackage)': \(problem)") }
        // Go: the exported form of the default name; a --name as given.
        let context = EmitContext(name: name, policyPath: path, goPackage: goPackage, goName: args.value("--name"))
        let bytes = Emitter.emit(compiled, as: format, context)
        if args.has("--check") {
            // CI: exit 1 when the output on disk is not what the policy compiles to today.
            guard let output, output != "-" else { throw UsageError("--check needs -o FILE: the file to compare") }
            let command = (["cordon"] + CommandLine.arguments.dropFirst().filter { $0 != "--check" }).joined(separator: " ")
            if let message = StaleCheck.compare(existing: try? IO.readBytes(output), fresh: bytes, output: output, command: command) {
                IO.errorText(message)
                return 1
            }
            return 0
        }
        try OutputFile.write(bytes, to: output, inputs: files)
        return 0
    }
}
