import CordonBPF
import CordonCompiler
import CordonImport
import CordonKernel
import CordonLinux
import CordonPolicy

/// `cordon learn [-o POLICY] [--default ACTION] [--update POLICY] -- COMMAND [ARG...]`:
/// every call of the command and its children goes to the supervisor,
/// which records it and lets it run; then a draft that allows exactly that.
/// With `--update`, only the calls an existing policy does not allow go to
/// the supervisor, and the policy gets rules for them.
enum LearnCommand {
    static let usage = """
        usage: cordon learn [-o POLICY] [--default ACTION] [--update POLICY] -- COMMAND [ARG...]
          runs COMMAND letting every call through, and drafts a policy allowing exactly what it did.
          Learning watches, it does not enforce; review the draft, then enforce it with cordon run.
        """

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "learn")
        guard args.positional.isEmpty, let command = args.rest.first else { throw UsageError(usage) }
        let defaultAction = try parseDefault(args.value("--default") ?? "errno EPERM")
        let executable: String
        do { executable = try Runner.resolve(command) } catch {
            IO.error("cordon learn: \(error)")
            return error.status
        }
        if let updated = args.value("--update") {
            if args.value("--default") != nil { throw UsageError("--default applies to a new draft; --update keeps the policy's own default") }
            return try update(updated, output: args.value("-o") ?? updated, executable: executable, arguments: args.rest)
        }
        let output = args.value("-o")
        _ = try OutputFile.destination(output, inputs: [])
        let notifyAll = try! Validator.validate([.ret(SeccompReturn.Action.userNotif)])
        var learned = LearnedCalls()
        var names = ProgramNames(command: command, cached: true)
        let outcome: Supervisor.Outcome
        do {
            outcome = try Supervisor.run(notifyAll, path: executable, arguments: args.rest) { call in
                learned.add(auditArch: call.data.arch, nr: call.data.nr, args: call.data.args, program: names.name(call))
                return .proceed
            }
        } catch {
            IO.error("cordon learn: \(error)")
            return error.status
        }
        let text = LearnedPolicyWriter.write(learned, command: args.rest, defaultAction: defaultAction)
        try OutputFile.write(Array(text.utf8), to: output)
        let syscalls = learned.syscalls.values.reduce(0) { $0 + $1.count }
        IO.error("cordon learn: \(learned.total) calls of \(syscalls) syscalls seen; the command exited with status \(outcome.status)"
                 + (output.map { "; the draft is in \($0)" } ?? ""))
        return outcome.status
    }

    /// Reads `--default`'s action as a `return` would.
    static func parseDefault(_ text: String) throws -> SeccompReturn {
        guard !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == " " }) else {
            throw UsageError("--default \(PolicyText.displayable(text)): not an action (allow, log, errno EPERM, kill_process, ...)")
        }
        let result = FrontEnd.check(SourceFile(path: "--default", text: "x86_64 { return \(text) }"), read: { _ in nil })
        guard let block = result.policy?.block(for: .x86_64), case .return(let action, _)? = block.statements.first else {
            let reason = result.diagnostics.first.map { $0.message } ?? "not an action"
            throw UsageError("--default \(text): \(reason)")
        }
        return action
    }

    /// Runs the command in audit mode under `path`'s policy, records the calls
    /// it does not allow, and writes the policy with rules for them.
    private static func update(_ path: String, output: String, executable: String, arguments: [String]) throws -> Int32 {
        let command = arguments[0]
        guard let prepared = try LargeStack.run({ Result { try prepareUpdate(path) } }).get() else { return 1 }
        _ = try OutputFile.destination(output, inputs: output == path ? [] : prepared.files)
        var lacking = LearnedCalls()
        var names = ProgramNames(command: command, cached: false)
        let policy = prepared.policy
        let outcome: Supervisor.Outcome
        do {
            outcome = try Supervisor.run(AuditSession.filter(prepared.program), path: executable, arguments: arguments) { call in
                if Interpreter.decide(policy, call.data).action != .allow {
                    lacking.add(auditArch: call.data.arch, nr: call.data.nr, args: call.data.args, program: names.name(call))
                }
                return .proceed
            }
        } catch {
            IO.error("cordon learn: \(error)")
            return error.status
        }
        guard lacking.total > 0 else {
            IO.error("cordon learn: the policy allowed all the command did; \(path) is unchanged (the command exited with status \(outcome.status))")
            return outcome.status
        }
        let text = try PolicyUpdate.apply(lacking, to: prepared.text, path: path, policy: policy, command: arguments)
        try OutputFile.write(Array(text.utf8), to: output)
        let syscalls = lacking.syscalls.values.reduce(0) { $0 + $1.count }
        IO.error("cordon learn: added rules for \(syscalls) syscalls (\(lacking.total) calls the policy did not allow) to \(output); the command exited with status \(outcome.status)")
        return outcome.status
    }

    /// The policy to update, its -O2 program and its text.
    struct PreparedUpdate: @unchecked Sendable {
        let policy: IRPolicy
        let program: Program
        let text: String
        let files: [String]
    }

    private static func prepareUpdate(_ path: String) throws -> PreparedUpdate? {
        let (policy, files) = try loadPolicyAndFiles(path)
        guard let policy else { return nil }
        let text = try IO.readText(path)
        do {
            return PreparedUpdate(policy: policy, program: try Compiler.compile(policy, level: .optimizing).program, text: text, files: files)
        } catch { throw InputError("\(path): error: \(error)") }
    }
}

/// Program names by thread, read from /proc once per thread and again after
/// it execs: a thread keeps the name it had when first seen.
