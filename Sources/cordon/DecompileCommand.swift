import CordonBPF
import CordonCompiler
import CordonPolicy

/// `cordon decompile FILE.bpf [-o POLICY]`: an equivalent, readable policy
/// for any program the analysis can follow, written only once `cordon
/// diff`'s comparison of its compiled form with the program finds no difference.
enum DecompileCommand {
    static let usage = "usage: cordon decompile FILE.bpf [-o POLICY]"

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, valued: ["-o"], flags: [])
        guard args.positional.count == 1 else { throw UsageError(usage) }
        let path = args.positional[0]
        _ = try OutputFile.destination(args.value("-o"), inputs: [path])
        let program = try AnalysedProgram.load(path)
        let draft: String
        do { draft = try PolicyLifter.lift(program, source: path) } catch { throw InputError("cordon decompile: \(path): \(error)") }
        // The proof: the lifted policy, compiled, decides every input the kernel can pass as the program does.
        let lifted = try AnalysedProgram.load("decompiled.tcl", text: draft)
        let store = WordSets()
        let found: (differences: [ProgramDiff.Difference], classes: Int)
        do { found = try ProgramDiff.differences(program, lifted, in: store) } catch { throw InputError("cordon decompile: \(error)") }
        let differences = ProgramDiff.realizable(found.differences, in: store)
        guard differences.isEmpty else {
            let lines = DiffCommand.render(ProgramDiff.merged(differences, in: store), store: store)
            throw InputError("cordon decompile: \(path): internal error: the lifted policy differs from the program:\n" + lines.joined(separator: "\n"))
        }
        let proof = "cordon diff proved it equal to the program on every input the kernel can pass (\(found.classes) classes compared)."
        let text = try PolicyLifter.lift(program, source: path, proof: proof)
        try OutputFile.write(Array(text.utf8), to: args.value("-o"), inputs: [path])
        return 0
    }
}
