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
    do { result = try FrontEnd.check(path: path, defines: DiagnosticOutput.options.defines) } catch { throw InputError(error.description) }
    // -Werror can make a policy without errors fail.
    let failed = DiagnosticOutput.show(result.diagnostics)
    return (failed ? nil : result.policy, result.files)
}

/// `cordon check POLICY`
enum CheckCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "check")
        guard args.positional.count == 1 else { throw UsageError("usage: cordon check POLICY [--kernel]") }
        guard let policy = try loadPolicy(args.positional[0]) else { return 1 }
        // --kernel: the actions against the running kernel's, as warnings.
        if args.has("--kernel") {
            let missing = KernelCommand.unsupportedActions(policy, KernelFeatures.probe(), severity: .warning)
            if DiagnosticOutput.show(missing) { return 1 }
        }
        return 0
    }
}

/// `cordon test POLICY... [--kernel]`
enum TestCommand {
    /// One policy's tests, prepared on a large stack: only flat values
    /// (lines, a program, calls) come back to this thread, which forks the
    /// kernel probe and must stay single-threaded.
    struct Prepared: Sendable {
        let expectations: Int
        /// Failures in the interpreter, by expect line.
        let failures: [(location: SourceLocation, text: String)]
        /// For --kernel: the -O2 program and the expectations the host can run.
        let program: Program?
        let checkable: [Expectation]
    }

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "test")
        guard !args.positional.isEmpty else { throw UsageError("usage: cordon test POLICY... [--kernel]") }
        let kernel = args.has("--kernel")
        var passed = 0, failed = 0, broken = false
        for path in args.positional {
            guard let prepared = try LargeStack.run({ Result { try prepare(path, kernel: kernel) } }).get() else {
                broken = true
                continue
            }
            for failure in prepared.failures { IO.print(failure.text + "\n") }
            var failing = Set(prepared.failures.map(\.location))
            if let program = prepared.program {
                for line in try kernelFailures(program, prepared.checkable) {
                    IO.print(line.text + "\n")
                    failing.insert(line.location)
                }
            }
            passed += prepared.expectations - failing.count
            failed += failing.count
        }
        IO.print("\(passed) passed, \(failed) failed\n")
        return failed > 0 || broken ? 1 : 0
    }

    /// Checks the policy, runs its expect lines in the interpreter and, for
    /// --kernel, compiles it; nil when the policy has errors.
    private static func prepare(_ path: String, kernel: Bool) throws -> Prepared? {
        guard let policy = try loadPolicy(path) else { return nil }
        let report = PolicyTests.run(policy)
        let failures = report.failures.map { (location: $0.expectation.location, text: $0.text) }
        guard kernel else { return Prepared(expectations: policy.expectations.count, failures: failures, program: nil, checkable: []) }
        let compiled: CompiledProgram
        do { compiled = try Compiler.compile(policy, level: .optimizing) } catch { throw InputError("\(path): error: \(error)") }
        let checkable = policy.expectations.filter {
            Arch.required.contains($0.arch) && Arch.unfilteredSyscall(auditArch: $0.arch.auditArch, nr: $0.nr) == nil
        }
        for expectation in policy.expectations where !checkable.contains(expectation) {
            IO.error("\(expectation.location): note: not checked in the kernel: this host makes x86_64, i386 and x32 calls only")
        }
        return Prepared(expectations: policy.expectations.count, failures: failures, program: compiled.program, checkable: checkable)
    }

    /// The expect lines the live kernel decides differently, running the -O2
    /// program through the probe (every return rewritten into a tagged errno,
    /// loaded in a forked child; i386 calls through int $0x80).
    private static func kernelFailures(_ program: Program, _ checkable: [Expectation]) throws -> [(location: SourceLocation, text: String)] {
        let calls = checkable.map { KernelProbe.Call(arch: $0.arch, nr: $0.nr, args: $0.args) }
        let answers: [KernelProbe.Answer]
        do { answers = try KernelProbe.decide(program, calls: calls) } catch { throw InputError("cordon test --kernel: \(error)") }
        var failures: [(SourceLocation, String)] = []
        for (expectation, answer) in zip(checkable, answers) {
            let got: String
            switch answer {
            case .returned(let index, _):
                let action = SeccompReturn(rawValue: program.instructions[index].k)
                if action == expectation.action { continue }
                got = action.named
            case .killed(let signal):
                got = "the caller killed (signal \(signal))"
            }
            failures.append((expectation.location,
                             "\(expectation.location): kernel: \(expectation.arch) \(CallText.describe(arch: expectation.arch, nr: expectation.nr, args: expectation.args)): expected \(expectation.action.named), the kernel's filter returned \(got)"))
        }
        return failures
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
        IO.print("\(decision.action.named)  at \(location)\(figures)\n")
        return 0
    }
}
