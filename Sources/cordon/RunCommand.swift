import CordonBPF
import CordonCompiler
import CordonKernel
import CordonLinux
import CordonPolicy

/// `cordon run POLICY [--audit | --report [--report-file F]] -- COMMAND [ARG...]`:
/// no_new_privs, load, exec; or, with --audit/--report, the command under
/// the supervisor, each call the policy does not allow reported with its
/// deciding line.
enum RunCommand {
    static let usage = """
        usage: cordon run POLICY [--audit | --report] [--report-file FILE] -- COMMAND [ARG...]
          --report  enforce the policy and name each refused call with its deciding line
          --audit   name each call the policy would refuse, and let it through: audit enforces nothing
        """

    /// The policy and its program, prepared on a large stack.
    struct Prepared: @unchecked Sendable {
        let policy: IRPolicy
        let program: Program
        let files: [String]
    }

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "run")
        guard args.positional.count == 1, let command = args.rest.first else { throw UsageError(usage) }
        let mode: AuditSession.Mode?
        switch (args.has("--audit"), args.has("--report")) {
        case (true, true): throw UsageError("--audit and --report exclude each other: --audit lets every call through, --report enforces")
        case (true, false): mode = .audit
        case (false, true): mode = .report
        case (false, false): mode = nil
        }
        let reportFile = args.value("--report-file")
        if reportFile != nil && mode == nil { throw UsageError("--report-file needs --audit or --report") }
        let path = args.positional[0]
        let executable: String
        do { executable = try Runner.resolve(command) } catch {
            IO.error("cordon run: \(error)")
            return error.status
        }
        guard let prepared = try LargeStack.run({ Result { try prepare(path, command: command, enforcing: mode != .audit) } }).get() else { return 1 }
        if let reportFile { _ = try OutputFile.destination(reportFile, inputs: prepared.files) }
        guard let mode else {
            let failure = Runner.exec(prepared.program, path: executable, arguments: args.rest)
            IO.error("cordon run: \(failure)")
            return failure.status
        }
        return try supervise(prepared, mode: mode, executable: executable, arguments: args.rest, reportFile: reportFile)
    }

    /// Loads and checks the policy and compiles it at -O2; nil when it has errors.
    private static func prepare(_ path: String, command: String, enforcing: Bool) throws -> Prepared? {
        let (policy, files) = try loadPolicyAndFiles(path)
        guard let policy else { return nil }
        // An action the kernel lacks would kill the process: refuse to start.
        if enforcing, DiagnosticOutput.show(KernelCommand.unsupportedActions(policy, KernelFeatures.probe(), severity: .error)) { return nil }
        if enforcing, let refusal = ExecCheck.refusal(policy, host: .x86_64) {
            throw InputError("\(path): error: the policy refuses execve, so \(command) could not start under it: \(refusal)")
        }
        do { return Prepared(policy: policy, program: try Compiler.compile(policy, level: .optimizing).program, files: files) } catch {
            throw InputError("\(path): error: \(error)")
        }
    }

    /// Runs the command under the supervisor; the report goes to standard
    /// error as calls come, or to `reportFile` at the end.
    private static func supervise(_ prepared: Prepared, mode: AuditSession.Mode, executable: String,
                                  arguments: [String], reportFile: String?) throws -> Int32 {
        let name = mode == .audit ? "cordon audit" : "cordon report"
        var session = AuditSession(policy: prepared.policy, mode: mode, command: arguments[0])
        let outcome: Supervisor.Outcome
        do {
            outcome = try Supervisor.run(AuditSession.filter(prepared.program), path: executable, arguments: arguments) { call in
                let (answer, line) = session.answer(call)
                if let line, reportFile == nil { IO.error("\(name): \(line)") }
                return answer
            }
        } catch {
            IO.error("cordon run: \(error)")
            return error.status
        }
        let report = session.report
        if let reportFile {
            try OutputFile.write(Array(report.lines.map { $0 + "\n" }.joined().utf8), to: reportFile, inputs: prepared.files)
        }
        if !report.entries.isEmpty {
            let verb = mode == .audit ? "let through (audit enforces nothing)" : "given the policy's action"
            var summary = "\(name): \(report.total) call\(report.total == 1 ? "" : "s") the policy does not allow, \(report.entries.count) distinct, \(verb)"
            if let reportFile { summary += "; listed in \(reportFile)" }
            IO.error(summary)
            if reportFile == nil {
                for (i, entry) in report.entries.enumerated() where entry.count > 1 {
                    IO.error("\(name): \(entry.count)x \(report.line(i))")
                }
            }
        }
        if outcome.killedByAnswer { IO.error("\(name): the command was killed by the policy") }
        return outcome.status
    }
}
