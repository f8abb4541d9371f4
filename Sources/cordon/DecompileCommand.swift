import CordonBPF
import CordonCompiler
import CordonPolicy

/// `cordon decompile FILE.bpf [-o POLICY]`: an equivalent, readable policy
/// for any program the analysis can follow, written only once `cordon
/// diff`'s comparison of its compiled form with the program finds no difference.
enum DecompileCommand {
    static let usage = "usage: cordon decompile FILE.bpf [-o POLICY]"

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "decompile")
        guard args.positional.count == 1 else { throw UsageError(usage) }
        let path = args.positional[0]
        _ = try OutputFile.destination(args.value("-o"), inputs: [path])
        let program = try AnalysedProgram.load(path)
        let proved: Decompiler.Proved
        do { proved = try Decompiler.decompile(program, source: path) } catch {
            if case .differs(let found, let store) = error {
                let lines = DiffCommand.render(ProgramDiff.merged(found, in: store), store: store)
                throw InputError("cordon decompile: \(path): internal error: the lifted policy differs from the program:\n" + lines.joined(separator: "\n"))
            }
            throw InputError("cordon decompile: \(path): \(error)")
        }
        let text = proved.text
        try OutputFile.write(Array(text.utf8), to: args.value("-o"), inputs: [path])
        return 0
    }
}
