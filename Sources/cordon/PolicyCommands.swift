import CordonBPF
import CordonCompiler
import CordonKernel
import CordonLinux
import CordonPolicy

/// Loads and checks a policy, printing its diagnostics on standard error.
/// Returns the IR when there is no error.
func loadPolicy(_ path: String) throws -> IRPolicy? {
    try loadPolicyAndFiles(path).policy
}

/// Loads and checks a policy as `loadPolicy` does; also returns every file
/// it read (the policy and the files it sources), which an output may not
/// overwrite.
func loadPolicyAndFiles(_ path: String) throws -> (policy: IRPolicy?, files: [String]) {
    let result: FrontEnd.Result
    do { result = try FrontEnd.check(path: path) } catch { throw InputError(error.description) }
    for diagnostic in result.diagnostics { IO.errorText(diagnostic.rendered) }
    return (result.policy, result.files)
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
        var passed = 0, failed = 0, broken = false
        for path in args.positional {
            guard let policy = try loadPolicy(path) else {
                broken = true
                continue
            }
            let report = PolicyTests.run(policy)
            for failure in report.failures { IO.print(failure.text + "\n") }
            var failing = Set(report.failures.map(\.expectation.location))
            if args.has("--kernel") {
                for line in try kernelFailures(policy, path: path) {
                    IO.print(line.text + "\n")
                    failing.insert(line.location)
                }
            }
            passed += policy.expectations.count - failing.count
            failed += failing.count
        }
        IO.print("\(passed) passed, \(failed) failed\n")
        return failed > 0 || broken ? 1 : 0
    }
}

/// The expect lines the live kernel decides differently, running the -O2
/// program through the probe (every return rewritten into a tagged errno,
/// loaded in a forked child; i386 calls through int $0x80).
private func kernelFailures(_ policy: IRPolicy, path: String) throws -> [(location: SourceLocation, text: String)] {
    let compiled: CompiledProgram
    do { compiled = try Compiler.compile(policy, level: .optimizing) } catch { throw InputError("\(path): error: \(error)") }
    let checkable = policy.expectations.filter {
        Arch.required.contains($0.arch) && Arch.unfilteredSyscall(auditArch: $0.arch.auditArch, nr: $0.nr) == nil
    }
    for expectation in policy.expectations where !checkable.contains(expectation) {
        IO.error("\(expectation.location): note: not checked in the kernel: this host makes x86_64, i386 and x32 calls only")
    }
    let calls = checkable.map { KernelProbe.Call(arch: $0.arch, nr: $0.nr, args: $0.args) }
    let answers: [KernelProbe.Answer]
    do { answers = try KernelProbe.decide(compiled.program, calls: calls) } catch { throw InputError("cordon test --kernel: \(error)") }
    var failures: [(SourceLocation, String)] = []
    for (expectation, answer) in zip(checkable, answers) {
        let got: String
        switch answer {
        case .returned(let index, _):
            let action = SeccompReturn(rawValue: compiled.program.instructions[index].k)
            if action == expectation.action { continue }
            got = "\(action)"
        case .killed(let signal):
            got = "the caller killed (signal \(signal))"
        }
        failures.append((expectation.location,
                         "\(expectation.location): kernel: \(expectation.arch) \(expectation.call): expected \(expectation.action), the kernel's filter returned \(got)"))
    }
    return failures
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
