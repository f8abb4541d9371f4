/// What a syscall is for, in a few broad groups, so that a generated policy
/// (`cordon learn`) can list its syscalls the way a person would sort them.
/// A name the table lacks is in `other`.
public enum SyscallPurpose: String, CaseIterable, Sendable, Comparable {
    case files = "Files and directories"
    case io = "Reading and writing"
    case memory = "Memory"
    case processes = "Processes and threads"
    case signals = "Signals"
    case time = "Time and waiting"
    case network = "Network and sockets"
    case identity = "Identity and permissions"
    case system = "System information and limits"
    case other = "Other"

    /// The group of `syscall`.
    public static func of(_ syscall: String) -> SyscallPurpose {
        for (purpose, names) in table where names.contains(syscall) { return purpose }
        return .other
    }

    public static func < (a: SyscallPurpose, b: SyscallPurpose) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    private static let table: [(SyscallPurpose, Set<String>)] = [
        (.files, [
            "open", "openat", "openat2", "creat", "close", "close_range", "stat", "fstat", "lstat", "newfstatat", "statx",
            "stat64", "fstat64", "lstat64", "fstatat64", "statfs", "fstatfs", "statfs64", "fstatfs64", "access", "faccessat",
            "faccessat2", "readlink", "readlinkat", "getdents", "getdents64", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat",
            "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "chmod", "fchmod", "fchmodat",
            "fchmodat2", "chown", "fchown", "lchown", "fchownat", "chown32", "fchown32", "lchown32", "truncate", "ftruncate",
            "truncate64", "ftruncate64", "utime", "utimes", "utimensat", "futimesat", "chdir", "fchdir", "getcwd", "umask",
            "fcntl", "fcntl64", "flock", "fsync", "fdatasync", "sync", "syncfs", "sync_file_range", "fallocate", "fadvise64",
            "fadvise64_64", "dup", "dup2", "dup3", "pipe", "pipe2", "mknod", "mknodat", "inotify_init", "inotify_init1",
            "inotify_add_watch", "inotify_rm_watch", "fanotify_init", "fanotify_mark", "getxattr", "lgetxattr", "fgetxattr",
            "setxattr", "lsetxattr", "fsetxattr", "listxattr", "llistxattr", "flistxattr", "removexattr", "lremovexattr",
            "fremovexattr", "getxattrat", "setxattrat", "listxattrat", "removexattrat", "memfd_create", "mount", "umount2",
            "chroot", "pivot_root", "name_to_handle_at", "open_by_handle_at", "copy_file_range", "ioctl", "file_getattr",
            "file_setattr",
        ]),
        (.io, [
            "read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2", "lseek",
            "_llseek", "sendfile", "sendfile64", "splice", "tee", "vmsplice", "poll", "ppoll", "ppoll_time64", "select",
            "_newselect", "pselect6", "pselect6_time64", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait",
            "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "io_setup", "io_destroy", "io_submit", "io_getevents",
            "io_cancel", "io_uring_setup", "io_uring_enter", "io_uring_register", "readahead",
        ]),
        (.memory, [
            "mmap", "mmap2", "munmap", "mprotect", "pkey_mprotect", "pkey_alloc", "pkey_free", "mremap", "madvise", "brk",
            "mlock", "mlock2", "munlock", "mlockall", "munlockall", "mincore", "msync", "membarrier", "mbind",
            "set_mempolicy", "get_mempolicy", "process_madvise", "process_mrelease", "mseal", "map_shadow_stack",
            "userfaultfd", "remap_file_pages", "process_vm_readv", "process_vm_writev",
        ]),
        (.processes, [
            "clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "waitpid",
            "getpid", "getppid", "gettid", "set_tid_address", "set_robust_list", "get_robust_list", "futex", "futex_time64",
            "futex_waitv", "futex_wake", "futex_wait", "futex_requeue", "arch_prctl", "prctl", "rseq", "sched_yield",
            "sched_getaffinity", "sched_setaffinity", "sched_getparam", "sched_setparam", "sched_getscheduler",
            "sched_setscheduler", "sched_get_priority_max", "sched_get_priority_min", "sched_getattr", "sched_setattr",
            "getpriority", "setpriority", "setpgid", "getpgid", "getpgrp", "setsid", "getsid", "unshare", "setns",
            "pidfd_open", "pidfd_getfd", "pidfd_send_signal", "ptrace", "personality", "set_thread_area",
            "get_thread_area", "seccomp", "kcmp", "ioprio_get", "ioprio_set",
        ]),
        (.signals, [
            "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "rt_sigpending", "rt_sigtimedwait",
            "rt_sigtimedwait_time64", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaction", "sigprocmask", "sigreturn",
            "sigsuspend", "sigpending", "signal", "sigaltstack", "kill", "tkill", "tgkill", "signalfd", "signalfd4", "pause",
            "alarm",
        ]),
        (.time, [
            "clock_gettime", "clock_gettime64", "clock_getres", "clock_getres_time64", "clock_nanosleep",
            "clock_nanosleep_time64", "nanosleep", "gettimeofday", "time", "times", "timer_create", "timer_settime",
            "timer_settime64", "timer_gettime", "timer_gettime64", "timer_getoverrun", "timer_delete", "timerfd_create",
            "timerfd_settime", "timerfd_settime64", "timerfd_gettime", "timerfd_gettime64", "getitimer", "setitimer",
            "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
        ]),
        (.network, [
            "socket", "socketpair", "socketcall", "connect", "accept", "accept4", "bind", "listen", "getsockname",
            "getpeername", "getsockopt", "setsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
            "recvmmsg_time64", "shutdown", "send", "recv",
        ]),
        (.identity, [
            "getuid", "geteuid", "getgid", "getegid", "getuid32", "geteuid32", "getgid32", "getegid32", "getresuid",
            "getresgid", "getresuid32", "getresgid32", "getgroups", "getgroups32", "setuid", "setgid", "setreuid",
            "setregid", "setresuid", "setresgid", "setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32",
            "setresgid32", "setgroups", "setgroups32", "setfsuid", "setfsgid", "capget", "capset", "landlock_create_ruleset",
            "landlock_add_rule", "landlock_restrict_self",
        ]),
        (.system, [
            "uname", "sysinfo", "getrlimit", "setrlimit", "prlimit64", "ugetrlimit", "getrusage", "getrandom", "getcpu",
            "sethostname", "setdomainname", "syslog", "reboot", "bpf", "perf_event_open", "cachestat",
        ]),
    ]
}
