import CordonLinux

/// The warnings that need the lowered block: a socket filter on i386 that
/// leaves socketcall open, and `open` or `execve` blocked while their
/// `*at` siblings are not.
enum Lints {
    /// The syscalls i386 programs reach through socketcall(2).
    static let socketcallFamily = [
        "socket", "connect", "bind", "listen", "accept", "accept4", "getsockname", "getpeername", "socketpair",
        "send", "recv", "sendto", "recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "recvmsg",
        "recvmmsg", "sendmmsg",
    ]

    static func check(_ block: IRBlock, mentioned: [String: SourceLocation], _ sink: inout DiagnosticSink) {
        let table = SyscallTable.forArch(block.arch)
        func canDeny(_ name: String) -> Bool? {
            table.number(of: name).map { nr in
                Specializer.reachableActions(block, nr: nr).contains { $0 != .allow && $0 != .log }
            }
        }
        func alwaysAllowed(_ name: String) -> Bool? {
            table.number(of: name).map { nr in
                Specializer.reachableActions(block, nr: nr).allSatisfy { $0 == .allow || $0 == .log }
            }
        }

        // "Filters" means the block can refuse the call, not merely names it.
        if block.arch == .i386,
           let (name, location) = socketcallFamily.compactMap({ n in mentioned[n].map { (n, $0) } })
               .filter({ canDeny($0.0) == true }).min(by: { $0.1 < $1.1 }),
           let nr = table.number(of: "socketcall"),
           Specializer.reachableActions(block, nr: nr).contains(where: { $0 == .allow || $0 == .log }) {
            sink.report(Msg.socketcallOpen(name), at: location)
        }

        if let location = mentioned["open"], canDeny("open") == true {
            for sibling in ["openat", "openat2"] where alwaysAllowed(sibling) == true {
                sink.report(Msg.openWithoutOpenat(block.arch.rawValue, "open", sibling), at: location)
            }
        }
        if let location = mentioned["execve"], canDeny("execve") == true, alwaysAllowed("execveat") == true {
            sink.report(Msg.execveWithoutExecveat(block.arch.rawValue), at: location)
        }
    }
}
