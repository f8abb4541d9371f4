import CSeccomp
import CordonBPF
import CordonLinux
import CordonPolicy
import Foundation
import Glibc

/// `cordon run`: load a filter into this process and replace it with a command.
public enum Runner {
    /// Why the command could not be started under the filter.
    public struct RunError: Error, CustomStringConvertible {
        public let description: String
        /// The exit status, as a shell would give it (127: not found, 126: cannot run).
        public let status: Int32
    }

    /// The command's path: as given when it has a `/`, else the first
    /// executable of that name on PATH.
    public static func resolve(_ command: String) throws(RunError) -> String {
        if command.contains("/") {
            guard access(command, X_OK) == 0 else {
                throw RunError(description: "\(PolicyText.displayable(command)): \(String(cString: strerror(errno)))", status: errno == ENOENT ? 127 : 126)
            }
            return command
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + command
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        throw RunError(description: "\(PolicyText.displayable(command)): command not found", status: 127)
    }

    /// Sets no_new_privs, loads `program` and execs `path` with `arguments`
    /// (arguments[0] is the command's name). Returns only on failure.
    public static func exec(_ program: Program, path: String, arguments: [String]) -> RunError {
        let filter = program.instructions.map { cordon_insn(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) }
        var cArguments = arguments.map { strdup($0) } + [nil]
        var step: Int32 = 0
        let code = cordon_exec_filtered(filter, UInt16(filter.count), path, &cArguments, &step)
        for pointer in cArguments { free(pointer) }
        let reason = String(cString: strerror(code))
        switch step {
        case 1: return RunError(description: "cannot set no_new_privs: \(reason)", status: 126)
        case 2: return RunError(description: "the kernel refused the filter: \(reason)", status: 126)
        default: return RunError(description: "\(path): cannot run it under the filter: \(reason)", status: code == ENOENT ? 127 : 126)
        }
    }
}
