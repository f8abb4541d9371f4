import CordonCompiler
import CordonKernel
import CordonLinux
import CordonPolicy

/// `cordon run POLICY -- COMMAND [ARG...]`: no_new_privs, load, exec.
enum RunCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, valued: [], flags: [])
        guard args.positional.count == 1, let command = args.rest.first else {
            throw UsageError("usage: cordon run POLICY -- COMMAND [ARG...]")
        }
        let path = args.positional[0]
        let executable: String
        do { executable = try Runner.resolve(command) } catch {
            IO.error("cordon run: \(error)")
            return error.status
        }
        guard let policy = try loadPolicy(path) else { return 1 }
        if let refusal = ExecCheck.refusal(policy, host: .x86_64) {
            throw InputError("\(path): error: the policy refuses execve, so \(command) could not start under it: \(refusal)")
        }
        let compiled: CompiledProgram
        do { compiled = try Compiler.compile(policy, level: .optimizing) } catch { throw InputError("\(path): error: \(error)") }
        let failure = Runner.exec(compiled.program, path: executable, arguments: args.rest)
        IO.error("cordon run: \(failure)")
        return failure.status
    }
}
