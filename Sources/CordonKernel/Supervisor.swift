import CSeccomp
import CordonBPF
import CordonLinux
import CordonPolicy
import Glibc

/// Runs a command under a filter whose `USER_NOTIF` returns this process
/// answers: the kernel stops each such call and hands its pid and
/// `seccomp_data` to the supervisor, which lets it run or makes it fail.
///
/// The child loads the filter (this process never does) and execs; the
/// filter is inherited by every thread and child of the command, so all of
/// them are supervised. Signals sent to cordon (SIGINT, SIGTERM, SIGHUP,
/// SIGQUIT) are passed on to the command. When the command's first process
/// exits, whatever it left running is killed and reaped. If the supervisor
/// dies, the kernel closes the listener and every call the filter would
/// have notified fails with ENOSYS: the command never runs on unfiltered.
///
/// Letting a notified call continue is not a security boundary: a pointer
/// argument's memory can change between the supervisor's look and the
/// kernel's use. The supervisor reports and learns; the filter enforces.
public enum Supervisor {
    /// One notified call.
    public struct Call: Sendable {
        /// The calling thread, in this process's pid namespace.
        public let pid: Int32
        public let data: SeccompData
    }

    /// How the supervisor answers a call.
    public enum Answer: Sendable, Equatable {
        /// The kernel runs the call (`SECCOMP_USER_NOTIF_FLAG_CONTINUE`).
        case proceed
        /// The call returns -errno without running (errno 0: returns 0).
        case fail(errno: UInt16)
        /// The caller's process is killed (SIGKILL) before the call runs.
        case killProcess
        /// The calling thread gets SIGSYS (as a trap would send, without the
        /// kernel's siginfo) and the call fails with ENOSYS.
        case signalThread
    }

    /// How the command ended.
    public struct Outcome: Sendable, Equatable {
        /// The wait status of the command's first process.
        public let waitStatus: Int32
        /// Whether the supervisor killed that process for a `killProcess` answer.
        public let killedByAnswer: Bool
        /// Calls notified in all.
        public let notified: Int

        /// The exit status as a shell reports it: the code, or 128 + the
        /// signal; 128 + SIGSYS when the supervisor killed it for the policy,
        /// as the kernel's own kill would.
        public var status: Int32 {
            if killedByAnswer { return 128 + SIGSYS }
            let signal = waitStatus & 0x7F
            return signal == 0 ? (waitStatus >> 8) & 0xFF : 128 + signal
        }
    }

    /// Why the command could not be started.
    public struct StartError: Error, CustomStringConvertible, Sendable {
        public let description: String
        /// 126: could not run it; 127: not found.
        public let status: Int32
    }

    /// Starts `path` with `arguments` (arguments[0] is the command's name)
    /// under `program` and answers each notified call with `answer` until
    /// the command's first process exits. Must be called single-threaded.
    public static func run(_ program: Program, path: String, arguments: [String],
                           answer: (Call) -> Answer) throws(StartError) -> Outcome {
        let forwarded = cordon_signal_forwarding_start()
        let filter = program.instructions.map { cordon_insn(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) }
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var spawned = cordon_spawned()
        if cordon_supervise_spawn(filter, UInt16(filter.count), path, &cArguments, &spawned) != 0 {
            throw startError(spawned, path: path)
        }
        defer {
            close(spawned.listener)
            if spawned.pidfd >= 0 { close(spawned.pidfd) }
            cordon_spawn_release(&spawned)
        }
        // The answers run the interpreter, which recurses along the policy:
        // served on a large stack (the child is started; threads are fine now).
        let served = withoutActuallyEscaping(answer) { answer in
            LargeStack.run { serve(spawned, forwarded: forwarded, answer: answer) }
        }
        let exitedBeforeExec = cordon_spawn_exec_error(&spawned)
        endDescendants()
        if exitedBeforeExec != 0 {
            throw StartError(description: "\(PolicyText.displayable(path)): cannot run it under the filter: \(String(cString: strerror(exitedBeforeExec)))",
                             status: exitedBeforeExec == ENOENT ? 127 : 126)
        }
        let killedByAnswer = served.killed.contains(spawned.pid) && served.waitStatus & 0x7F == SIGKILL
        return Outcome(waitStatus: served.waitStatus, killedByAnswer: killedByAnswer, notified: served.notified)
    }

    /// Answers notifications and passes on signals until the command's
    /// first process exits; returns its wait status.
    private static func serve(_ spawned: cordon_spawned, forwarded: Int32,
                              answer: (Call) -> Answer) -> (waitStatus: Int32, notified: Int, killed: Set<Int32>) {
        var notified = 0
        var killed = Set<Int32>()
        var fds = [pollfd(fd: spawned.listener, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: forwarded, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: spawned.pidfd, events: Int16(POLLIN), revents: 0)]
        while true {
            for i in fds.indices { fds[i].revents = 0 }
            // Without a pidfd the first process is polled for every 20 ms.
            let ready = poll(&fds, nfds_t(spawned.pidfd >= 0 ? 3 : 2), spawned.pidfd >= 0 ? -1 : 20)
            if ready < 0 {
                // EINTR (a forwarded signal) or a passing ENOMEM: try again.
                if errno != EINTR { usleep(1000) }
                continue
            }
            if fds[1].revents & Int16(POLLIN) != 0 { forwardSignals(forwarded, to: spawned.pid) }
            if fds[0].revents & Int16(POLLIN) != 0 {
                var notification = cordon_notification()
                if cordon_notification_receive(spawned.listener, &notification) == 0 {
                    notified += 1
                    let args = withUnsafeBytes(of: notification.args) { Array($0.bindMemory(to: UInt64.self)) }
                    let call = Call(pid: Int32(bitPattern: notification.pid),
                                    data: SeccompData(nr: notification.nr, arch: notification.arch,
                                                      instructionPointer: notification.ip, args: args))
                    let decided = answer(call)
                    respond(decided, to: notification, listener: spawned.listener, killed: &killed)
                }
            } else if fds[0].revents != 0 {
                // Hung up: no filtered task is left; the first process's exit follows.
                fds[0].fd = -1
            }
            if spawned.pidfd < 0 || fds[2].revents != 0 {
                var status: Int32 = 0
                if waitpid(spawned.pid, &status, WNOHANG) == spawned.pid {
                    return (status, notified, killed)
                }
            }
        }
    }

    private static func startError(_ spawned: cordon_spawned, path: String) -> StartError {
        let reason = String(cString: strerror(spawned.error))
        switch spawned.failed_step {
        case Int32(CORDON_SPAWN_MULTITHREADED.rawValue):
            return StartError(description: "the supervisor must start the command from a single-threaded process", status: 126)
        case Int32(CORDON_SPAWN_NO_NEW_PRIVS.rawValue):
            return StartError(description: "cannot set no_new_privs: \(reason)", status: 126)
        case Int32(CORDON_SPAWN_LOAD.rawValue):
            let hint = spawned.error == EBUSY ? " (this process is already supervised: the kernel allows one listener per filter stack)" : ""
            return StartError(description: "the kernel refused the filter or its listener: \(reason)\(hint)", status: 126)
        case Int32(CORDON_SPAWN_DIED.rawValue):
            return StartError(description: "the command's process died before it loaded the filter (wait status \(spawned.error))", status: 126)
        default:
            return StartError(description: "cannot start \(PolicyText.displayable(path)): \(reason)", status: 126)
        }
    }

    /// Passes on the signals the handler queued.
    private static func forwardSignals(_ pipe: Int32, to pid: Int32) {
        var bytes = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(pipe, &bytes, bytes.count)
            guard n > 0 else { return }
            for signal in bytes[..<n] { kill(pid, Int32(signal)) }
        }
    }

    private static func respond(_ answer: Answer, to notification: cordon_notification, listener: Int32, killed: inout Set<Int32>) {
        let tid = Int32(bitPattern: notification.pid)
        switch answer {
        case .proceed:
            _ = cordon_notification_respond(listener, notification.id, 0, 0, 1)
        case .fail(let errno):
            _ = cordon_notification_respond(listener, notification.id, 0, errno == 0 ? 0 : -Int32(errno), 0)
        case .killProcess:
            // Killed before the answer, so the call never returns to it.
            let process = threadGroup(of: tid) ?? tid
            killed.insert(process)
            kill(process, SIGKILL)
            _ = cordon_notification_respond(listener, notification.id, 0, -ENOSYS, 0)
        case .signalThread:
            if let process = threadGroup(of: tid) { _ = cordon_signal_thread(process, tid, SIGSYS) }
            _ = cordon_notification_respond(listener, notification.id, 0, -ENOSYS, 0)
        }
    }

    /// The process a thread belongs to, from /proc.
    public static func threadGroup(of tid: Int32) -> Int32? {
        guard let status = ProcFiles.read("/proc/\(tid)/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("Tgid:") {
            return Int32(line.dropFirst(5).trimmingCharacters(in: " \t"))
        }
        return nil
    }

    /// Kills and reaps what the command left running. This process is their
    /// subreaper, so every orphan of the command is its child: kill the
    /// children, reap them (their children become ours), until none is left.
    private static func endDescendants() {
        let me = getpid()
        while true {
            for pid in ProcFiles.children(of: me) { kill(pid, SIGKILL) }
            var status: Int32 = 0
            let reaped = waitpid(-1, &status, 0)
            if reaped < 0 && errno == ECHILD { return }
            if reaped < 0 && errno != EINTR { return }
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return s
    }
}
