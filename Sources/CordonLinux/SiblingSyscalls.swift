/// Syscalls that do the same work as others: the one table the sibling
/// warnings read (language.md §6). A block that restricts one of
/// `restricted` (refuses it, or checks its arguments) while it allows one
/// of `siblings` whatever its arguments has a hole a program can walk
/// through.
public enum SiblingSyscalls {
    /// One family: restricting any of `restricted` while any of `siblings`
    /// is always allowed is worth a warning, with `why`.
    public struct Family: Sendable {
        public let restricted: [String]
        public let siblings: [String]
        public let why: String
    }

    /// Families where every member does the work of the others.
    private static func mutual(_ names: [String], _ why: String) -> Family {
        Family(restricted: names, siblings: names, why: why)
    }

    /// The syscalls io_uring can do without a syscall seccomp sees.
    public static let ioUringWork = ["socket", "connect", "bind", "listen", "accept", "accept4", "open", "openat", "openat2",
                                     "sendto", "sendmsg", "recvfrom", "recvmsg", "shutdown", "unlinkat", "renameat2",
                                     "mkdirat", "symlinkat", "linkat", "fsetxattr", "setxattr", "ftruncate"]

    public static let families: [Family] = [
        mutual(["open", "openat", "openat2", "creat"], "they all open files (glibc's open() calls openat)"),
        mutual(["execve", "execveat"], "both run programs"),
        Family(restricted: ["clone"], siblings: ["clone3"],
               why: "clone3 takes its flags in memory, which seccomp cannot read: refuse it with errno ENOSYS so libc falls back to clone"),
        mutual(["mprotect", "pkey_mprotect"], "both change memory protection (PROT_EXEC included)"),
        mutual(["dup2", "dup3"], "both duplicate descriptors onto a chosen number"),
        mutual(["rename", "renameat", "renameat2"], "they all rename files"),
        mutual(["chmod", "fchmod", "fchmodat", "fchmodat2"], "they all change file modes"),
        mutual(["chown", "fchown", "lchown", "fchownat", "chown32", "fchown32", "lchown32"], "they all change file owners"),
        mutual(["unlink", "unlinkat", "rmdir"], "they all remove names (unlinkat with AT_REMOVEDIR removes directories)"),
        mutual(["link", "linkat"], "both make hard links"),
        mutual(["symlink", "symlinkat"], "both make symbolic links"),
        Family(restricted: ioUringWork, siblings: ["io_uring_setup"],
               why: "io_uring opens files, creates sockets and connects without a syscall seccomp sees: refuse io_uring_setup"),
    ]

    /// i386's multiplexers: a call reaches the members through them with
    /// arguments in memory, which seccomp cannot see.
    public static let multiplexers: [(name: String, members: [String])] = [
        ("socketcall", ["socket", "connect", "bind", "listen", "accept", "accept4", "getsockname", "getpeername", "socketpair",
                        "send", "recv", "sendto", "recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "recvmsg",
                        "recvmmsg", "sendmmsg"]),
        ("ipc", ["semop", "semget", "semctl", "semtimedop", "msgsnd", "msgrcv", "msgget", "msgctl", "shmat", "shmdt", "shmget", "shmctl"]),
    ]
}
