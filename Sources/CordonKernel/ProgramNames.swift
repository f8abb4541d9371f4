import CordonLinux

/// The program name (`comm`) of each supervised thread. With `cached`
/// (when every call is seen, execs included: `cordon learn`) it is read from
/// /proc once per thread and again after the thread execs, so a thread keeps
/// the name it had when first seen; else it is read at every call, since an
/// exec the supervisor does not see changes it. The command's own execve is made while its process still
/// bears cordon's name: it is given the command's name instead.
public struct ProgramNames {
    private var byPid: [Int32: String] = [:]
    private var command: String?
    private let cached: Bool

    /// Names for the run of `command` (its first word).
    public init(command: String, cached: Bool) {
        self.cached = cached
        // As the kernel keeps it: the file name, at most 15 bytes.
        let base = String(command.split(separator: "/").last ?? Substring(command))
        self.command = String(decoding: base.utf8.prefix(15), as: UTF8.self)
    }

    /// The name of the program that made `call`.
    public mutating func name(_ call: Supervisor.Call) -> String {
        let syscall = Arch.of(auditArch: call.data.arch, nr: call.data.nr).flatMap { SyscallTable.forArch($0).name(of: call.data.nr) }
        let execs = syscall == "execve" || syscall == "execveat"
        if let command {
            self.command = nil
            if execs { return command }
        }
        if execs {
            // The name changes once the exec succeeds: read it at the next call.
            let current = byPid[call.pid] ?? ProcFiles.programName(of: call.pid) ?? "?"
            byPid[call.pid] = nil
            return current
        }
        if let known = byPid[call.pid] { return known }
        let name = ProcFiles.programName(of: call.pid) ?? "?"
        if cached { byPid[call.pid] = name }
        return name
    }
}
