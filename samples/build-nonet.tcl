# build-nonet: run a build without network access. Local (AF_UNIX) sockets
# keep working for the tools that need them (make's jobserver, ccache);
# every other socket fails with EACCES, as if a firewall refused it.
# i386 programs cannot go around it through socketcall(2), whose arguments
# seccomp cannot see: it fails with ENOSYS, and glibc then calls socket(2)
# directly. io_uring can open sockets too, so it is refused the same way.

i386 {
    if {$nr eq "socketcall"} {
        return errno ENOSYS
    }
    if {$nr in {socket socketpair}} {
        if {$args(0) == AF_UNIX} { return allow }
        return errno EACCES
    }
    if {$nr eq "io_uring_setup"} {
        return errno ENOSYS
    }
    return allow
}

# x86_64 and x32 share the rules; names resolve on each.
arch {x86_64 x32} {
    switch -- $nr {
        socket - socketpair {
            # The family is a C int: compare its low 32 bits.
            if {$args32(0) == AF_UNIX} { return allow }
            return errno EACCES
        }
        io_uring_setup {
            return errno ENOSYS
        }
    }
    return allow
}

expect x86_64 {socket AF_INET SOCK_STREAM} {errno EACCES}
expect x86_64 {socket AF_INET6 SOCK_DGRAM} {errno EACCES}
expect x86_64 {socket AF_UNIX SOCK_STREAM} allow
expect x86_64 {socket 0x100000001} allow
expect x86_64 {socketpair AF_UNIX SOCK_STREAM} allow
expect x86_64 {io_uring_setup 8} {errno ENOSYS}
expect x86_64 {connect 3} allow
expect x86_64 {execve} allow
expect x32 {socket AF_INET} {errno EACCES}
expect x32 {socket AF_UNIX} allow
expect i386 {socketcall SYS_SOCKET} {errno ENOSYS}
expect i386 {socket AF_INET} {errno EACCES}
expect i386 {socket AF_UNIX} allow
expect i386 {read 0} allow
expect aarch64 {read 0} kill_process
