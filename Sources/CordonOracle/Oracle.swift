import CordonBPF
import CordonCompiler
import CordonKernel
import CordonLinux
import CordonPolicy

/// Holds both code generators to the IR: for random policies and inputs,
/// the interpreter, the emulator running the `-O0` and `-O2` programs, and
/// the live kernel running both must all decide alike. Every generated
/// program must pass the validator and be accepted by the kernel.
/// It forks for the kernel checks: run it in its own single-threaded
/// process (`cordon-oracle`), never inside a test runner.
public struct Oracle {
    /// What to run.
    public struct Settings: Sendable {
        public var seed: UInt64
        public var policies: Int
        /// Inputs per policy for the interpreter and the emulator.
        public var inputs: Int
        /// Inputs per policy also asked of the kernel (x86_64, i386, x32 only).
        public var kernelInputs: Int

        public init(seed: UInt64, policies: Int, inputs: Int, kernelInputs: Int) {
            self.seed = seed
            self.policies = policies
            self.inputs = inputs
            self.kernelInputs = kernelInputs
        }
    }

    /// What a run found.
    public struct Report: Sendable {
        public var policies = 0
        public var inputs = 0
        public var kernelCalls = 0
        public var programs = 0
        public var instructionsO0 = 0
        public var instructionsO2 = 0
        public var executedO0 = 0
        public var executedO2 = 0
        /// Policies whose -O0 program is over the kernel's limit (-O2 still checked).
        public var tooLargeAtO0 = 0
        public var disagreements: [String] = []
        /// The policy texts of the disagreements, for reproducing them.
        public var failingPolicies: [String] = []

        /// One line of counts.
        public var summary: String {
            "oracle: \(policies) policies, \(inputs) inputs (interpreter = -O0 = -O2), \(kernelCalls) kernel calls, "
                + "\(programs) programs validated and loaded, \(tooLargeAtO0) too large at -O0, \(disagreements.count) disagreements"
        }
    }

    public let settings: Settings

    public init(_ settings: Settings) {
        self.settings = settings
    }

    /// Runs the whole oracle; `progress` is called after each policy.
    public func run(progress: (Report) -> Void = { _ in }) -> Report {
        var report = Report()
        var generator = PolicyGenerator(seed: settings.seed)
        for index in 0..<settings.policies {
            let text = generator.policy()
            check(text, index: index, &report)
            progress(report)
        }
        return report
    }

    /// Checks one policy text.
    public func check(_ text: String, index: Int, _ report: inout Report) {
        report.policies += 1
        func fail(_ message: String) {
            report.disagreements.append("policy \(index): \(message)")
            report.failingPolicies.append(text)
        }
        let result = FrontEnd.check(SourceFile(path: "oracle-\(index).tcl", text: text), read: { _ in nil })
        guard let policy = result.policy else {
            fail("the generator wrote a policy with errors: \(result.diagnostics.filter { $0.severity == .error }.map(\.description))")
            return
        }
        let o2: CompiledProgram
        do {
            o2 = try Compiler.compile(policy, level: .optimizing)
        } catch {
            fail("-O2 compile error: \(error)")
            return
        }
        // -O0 may be refused as too large (a clear error, not a wrong program).
        let o0 = try? Compiler.compile(policy, level: .direct)
        if o0 == nil { report.tooLargeAtO0 += 1 }
        report.instructionsO0 += o0?.program.count ?? 0
        report.instructionsO2 += o2.program.count
        let e2 = Emulator(o2.program)
        let e0 = o0.map { Emulator($0.program) } ?? e2
        var inputs = InputGenerator(policy: policy, seed: settings.seed &+ UInt64(index) &* 7919)
        var kernelInputs: [(Arch, SeccompData)] = []
        for _ in 0..<settings.inputs {
            let (arch, data) = inputs.next()
            report.inputs += 1
            let expected = Interpreter.decide(policy, data).action.rawValue
            let r0 = e0.run(data), r2 = e2.run(data)
            report.executedO0 += r0.executed
            report.executedO2 += r2.executed
            if r0.value != expected || r2.value != expected {
                fail("\(describe(arch, data)): interpreter \(SeccompReturn(rawValue: expected)), -O0 \(SeccompReturn(rawValue: r0.value)), -O2 \(SeccompReturn(rawValue: r2.value))")
                return
            }
            if kernelInputs.count < settings.kernelInputs && Arch.required.contains(arch)
                && Arch.unfilteredSyscall(auditArch: data.arch, nr: data.nr) == nil {
                kernelInputs.append((arch, data))
            }
        }
        guard settings.kernelInputs > 0 else { return }
        for compiled in [o0, o2].compactMap({ $0 }) {
            report.programs += 1
            let calls = kernelInputs.map { KernelProbe.Call(arch: $0.0, nr: $0.1.nr, args: $0.1.args) }
            let answers: [KernelProbe.Answer]
            do {
                answers = try KernelProbe.decide(compiled.program, calls: calls)
            } catch {
                fail("-\(compiled.level.rawValue): the kernel probe failed: \(error)")
                return
            }
            for ((arch, data), answer) in zip(kernelInputs, answers) {
                report.kernelCalls += 1
                guard case .returned(let index, let ip) = answer else {
                    fail("-\(compiled.level.rawValue) \(describe(arch, data)): the kernel killed the caller")
                    return
                }
                // The kernel's instruction pointer is the probe's own.
                var seen = data
                seen.instructionPointer = ip
                let expected = Interpreter.decide(policy, seen).action.rawValue
                let kernel = compiled.program.instructions[index].k
                if kernel != expected {
                    fail("-\(compiled.level.rawValue) \(describe(arch, seen)): kernel \(SeccompReturn(rawValue: kernel)), interpreter \(SeccompReturn(rawValue: expected))")
                    return
                }
            }
        }
    }

    private func describe(_ arch: Arch, _ data: SeccompData) -> String {
        "\(arch) nr=0x\(String(data.nr, radix: 16)) args=[\(data.args.map { "0x" + String($0, radix: 16) }.joined(separator: ", "))] ip=0x\(String(data.instructionPointer, radix: 16))"
    }
}
