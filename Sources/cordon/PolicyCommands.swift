import CordonBPF
import CordonCompiler
import CordonLinux
import CordonPolicy

/// Loads and checks a policy, printing its diagnostics on standard error.
/// Returns the IR when there is no error.
func loadPolicy(_ path: String) throws -> IRPolicy? {
    let result: FrontEnd.Result
    do { result = try FrontEnd.check(path: path) } catch { throw InputError(error.description) }
    for diagnostic in result.diagnostics { IO.errorText(diagnostic.rendered) }
    return result.policy
}

/// `cordon check POLICY`
enum CheckCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, valued: [], flags: [])
        guard args.positional.count == 1 else { throw UsageError("usage: cordon check POLICY") }
        return try loadPolicy(args.positional[0]) == nil ? 1 : 0
    }
}

/// `cordon test POLICY... [--kernel]`
enum TestCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, valued: [], flags: ["--kernel"])
        guard !args.positional.isEmpty else { throw UsageError("usage: cordon test POLICY... [--kernel]") }
        if args.has("--kernel") { throw UsageError("--kernel is not available yet: this build checks expect lines with the IR interpreter") }
        var passed = 0, failed = 0, broken = false
        for path in args.positional {
            guard let policy = try loadPolicy(path) else {
                broken = true
                continue
            }
            let report = PolicyTests.run(policy)
            for failure in report.failures { IO.print(failure.text + "\n") }
            passed += report.passed
            failed += report.failures.count
        }
        IO.print("\(passed) passed, \(failed) failed\n")
        return failed > 0 || broken ? 1 : 0
    }
}

/// `cordon emulate POLICY ARCH SYSCALL [ARG...] [--ip N]`
enum PolicyEmulation {
    static func run(_ args: Arguments) throws -> Int32 {
        let positional = args.positional
        guard positional.count >= 3, positional.count <= 9 else {
            throw UsageError("usage: cordon emulate POLICY ARCH SYSCALL [ARG...]")
        }
        let call = try EmulateCommand.parseCall(Array(positional.dropFirst()), ip: args.value("--ip"))
        guard let policy = try loadPolicy(positional[0]) else { return 1 }
        let decision = Interpreter.decide(policy, call)
        let location = decision.location.map { "\($0)" } ?? "default badarch"
        // The figure of the -O2 program, which must agree with the interpreter.
        var figures = ""
        if let compiled = try? Compiler.compile(policy, level: .optimizing) {
            let outcome = Emulator(compiled.program).run(call)
            figures = "  \(outcome.executed) BPF instructions executed"
            if outcome.value != decision.action.rawValue {
                IO.error("cordon emulate: internal error: the -O2 program returns \(SeccompReturn(rawValue: outcome.value)), the policy \(decision.action)")
                return 1
            }
        }
        IO.print("\(decision.action)  at \(location)\(figures)\n")
        return 0
    }
}
