import CordonBPF

/// `cordon explain POLICY|FILE.bpf`: per architecture, what the filter
/// allows, refuses and checks by argument, grouped by action.
enum ExplainCommand {
    static let usage = "usage: cordon explain POLICY|FILE.bpf"

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "explain")
        guard args.positional.count == 1 else { throw UsageError(usage) }
        let program = try AnalysedProgram.load(args.positional[0])
        do { IO.print(try Explanation.text(program)) } catch { throw InputError("cordon explain: \(args.positional[0]): \(error)") }
        return 0
    }
}
