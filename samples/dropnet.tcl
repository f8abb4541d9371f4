# dropnet: no network except local sockets
i386 {
    if {$nr eq "socketcall"} {
        return errno ENOSYS
    }
    if {$nr eq "socket"} {
        if {$args(0) != PF_LOCAL} {
            return errno EINVAL
        }
    }
    return allow
}

x86_64 {
    if {$nr eq "socket"} {
        if {$args(0) != PF_LOCAL} {
            return errno EINVAL
        }
    }
    return allow
}

expect x86_64 {socket AF_INET} {errno EINVAL}
expect x86_64 {socket AF_INET6 SOCK_STREAM} {errno EINVAL}
expect x86_64 {socket AF_UNIX SOCK_STREAM} allow
expect x86_64 {read 0} allow
expect i386 {socketcall SYS_SOCKET} {errno ENOSYS}
expect i386 {socket AF_INET} {errno EINVAL}
expect i386 {socket AF_UNIX} allow
expect i386 {write 1} allow
# No x32 block: x32 syscalls meet badarch, kill_process by default.
expect x32 {socket AF_UNIX} kill_process
expect aarch64 {socket AF_UNIX} kill_process
