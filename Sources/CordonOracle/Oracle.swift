import CordonBPF
import CordonCompiler
import CordonKernel
import CordonLinux
import CordonPolicy
import Glibc

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
        /// Every how many policies the C headers of both programs are compiled
        /// with `cc -std=c99 -Wall -Wextra -Werror` and dumped (0: never).
        public var headerEvery: Int

        public init(seed: UInt64, policies: Int, inputs: Int, kernelInputs: Int, headerEvery: Int = 0) {
            self.seed = seed
            self.policies = policies
            self.inputs = inputs
            self.kernelInputs = kernelInputs
            self.headerEvery = headerEvery
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
        /// C headers compiled and dumped, equal to the raw programs.
        public var headers = 0
        public var disagreements: [String] = []
        /// The policy texts of the disagreements, for reproducing them.
        public var failingPolicies: [String] = []

        /// One line of counts.
        public var summary: String {
            "oracle: \(policies) policies, \(inputs) inputs (interpreter = -O0 = -O2 = -O2 with random weights), \(kernelCalls) kernel calls, "
                + "\(programs) programs validated and loaded, \(headers) C headers compiled and dumped, \(tooLargeAtO0) too large at -O0, \(disagreements.count) disagreements"
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
        var headers: [(name: String, compiled: CompiledProgram)] = []
        for index in 0..<settings.policies {
            let text = generator.policy()
            let compiled = check(text, index: index, &report)
            if settings.headerEvery > 0 && index % settings.headerEvery == 0 {
                headers += compiled.map { ("p\(index)_\($0.level.rawValue)", $0) }
            }
            progress(report)
        }
        if !headers.isEmpty { checkHeaders(headers, &report) }
        return report
    }

    /// Compiles the headers of `programs` in one translation unit, runs a
    /// program that dumps every filter, and compares with the raw bytes.
    /// Uses system(3) after every kernel check is done.
    private func checkHeaders(_ programs: [(name: String, compiled: CompiledProgram)], _ report: inout Report) {
        var template = Array("/tmp/cordon-oracle-XXXXXX".utf8CString)
        guard let dir = mkdtemp(&template).map({ String(cString: $0) }) else {
            report.disagreements.append("headers: cannot make a temporary folder")
            return
        }
        defer { _ = system("rm -rf '\(dir)'") }
        var source = "#include <stdio.h>\n"
        var expected: [UInt8] = []
        for (name, compiled) in programs {
            let header = Emitter.emit(compiled, as: .c, EmitContext(name: name, policyPath: name))
            guard write(header, to: "\(dir)/\(name).h") else { continue }
            source += "#include \"\(name).h\"\n"
            expected += RawCodec.encode(compiled.program.instructions)
        }
        source += "int main(void) {\n"
        for (name, _) in programs { source += "    fwrite(\(name)_filter, sizeof \(name)_filter, 1, stdout);\n" }
        source += "    return 0;\n}\n"
        guard write(Array(source.utf8), to: "\(dir)/dump.c"),
              system("cd '\(dir)' && cc -std=c99 -Wall -Wextra -Werror -o dump dump.c 2> cc.log && ./dump > dumped.bin") == 0 else {
            report.disagreements.append("headers: cc failed for \(programs.count) headers (kept nothing: see cc -std=c99 -Wall -Wextra -Werror)")
            return
        }
        guard let file = fopen("\(dir)/dumped.bin", "r") else { return }
        var dumped: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            dumped += buffer[0..<n]
        }
        fclose(file)
        if dumped != expected {
            report.disagreements.append("headers: the dumped filters differ from the raw programs")
        } else {
            report.headers += programs.count
        }
    }

    private func write(_ bytes: [UInt8], to path: String) -> Bool {
        guard let file = fopen(path, "w") else { return false }
        defer { fclose(file) }
        return fwrite(bytes, 1, bytes.count, file) == bytes.count
    }

    /// Checks one policy text; returns its compiled programs.
    @discardableResult
    public func check(_ text: String, index: Int, _ report: inout Report) -> [CompiledProgram] {
        report.policies += 1
        func fail(_ message: String) {
            report.disagreements.append("policy \(index): \(message)")
            report.failingPolicies.append(text)
        }
        let result = FrontEnd.check(SourceFile(path: "oracle-\(index).tcl", text: text), read: { _ in nil })
        guard let policy = result.policy else {
            fail("the generator wrote a policy with errors: \(result.diagnostics.filter { $0.severity == .error }.map(\.description))")
            return []
        }
        let o2: CompiledProgram
        do {
            o2 = try Compiler.compile(policy, level: .optimizing)
        } catch {
            fail("-O2 compile error: \(error)")
            return []
        }
        // Weights shape the search, never a decision: -O2 again under a random mix.
        let weighted: CompiledProgram
        do {
            weighted = try Compiler.compile(policy, level: .optimizing, mix: Self.randomMix(seed: settings.seed &+ UInt64(index)))
        } catch {
            fail("-O2 with weights: compile error: \(error)")
            return []
        }
        let ew = Emulator(weighted.program)
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
            let r0 = e0.run(data), r2 = e2.run(data), rw = ew.run(data)
            report.executedO0 += r0.executed
            report.executedO2 += r2.executed
            if r0.value != expected || r2.value != expected || rw.value != expected {
                fail("\(describe(arch, data)): interpreter \(SeccompReturn(rawValue: expected)), -O0 \(SeccompReturn(rawValue: r0.value)), "
                     + "-O2 \(SeccompReturn(rawValue: r2.value)), -O2 with weights \(SeccompReturn(rawValue: rw.value))")
                return []
            }
            if kernelInputs.count < settings.kernelInputs && Arch.required.contains(arch)
                && Arch.unfilteredSyscall(auditArch: data.arch, nr: data.nr) == nil {
                kernelInputs.append((arch, data))
            }
        }
        let programs = [o0, o2].compactMap { $0 }
        guard settings.kernelInputs > 0 else { return programs }
        for compiled in [o0, o2].compactMap({ $0 }) {
            report.programs += 1
            let calls = kernelInputs.map { KernelProbe.Call(arch: $0.0, nr: $0.1.nr, args: $0.1.args) }
            let answers: [KernelProbe.Answer]
            do {
                answers = try KernelProbe.decide(compiled.program, calls: calls)
            } catch {
                fail("-\(compiled.level.rawValue): the kernel probe failed: \(error)")
                return programs
            }
            for ((arch, data), answer) in zip(kernelInputs, answers) {
                report.kernelCalls += 1
                guard case .returned(let index, let ip) = answer else {
                    fail("-\(compiled.level.rawValue) \(describe(arch, data)): the kernel killed the caller")
                    return programs
                }
                // The kernel's instruction pointer is the probe's own.
                var seen = data
                seen.instructionPointer = ip
                let expected = Interpreter.decide(policy, seen).action.rawValue
                let kernel = compiled.program.instructions[index].k
                if kernel != expected {
                    fail("-\(compiled.level.rawValue) \(describe(arch, seen)): kernel \(SeccompReturn(rawValue: kernel)), interpreter \(SeccompReturn(rawValue: expected))")
                    return programs
                }
            }
        }
        return programs
    }

    private func describe(_ arch: Arch, _ data: SeccompData) -> String {
        "\(arch) nr=0x\(String(data.nr, radix: 16)) args=[\(data.args.map { "0x" + String($0, radix: 16) }.joined(separator: ", "))] ip=0x\(String(data.instructionPointer, radix: 16))"
    }
}

extension Oracle {
    /// A mix of 1 to 40 syscall names (of every architecture's table) with
    /// counts from 1 to 10^6, from `seed`: the weights the oracle compiles
    /// with a second time.
    static func randomMix(seed: UInt64) -> SyscallMix {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let names = Arch.allCases.flatMap { SyscallTable.forArch($0).entries.map(\.name) }
        var counts: [String: Int] = [:]
        for _ in 0..<(1 + Int(next() % 40)) {
            counts[names[Int(next() % UInt64(names.count))]] = 1 + Int(next() % 1_000_000)
        }
        return SyscallMix(counts: counts)
    }
}
