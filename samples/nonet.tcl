# nonet.tcl: no network except local (AF_UNIX) sockets.
i386 {
    if {$nr eq "socketcall"} { return errno ENOSYS }     ;# i386 programs could hide behind it
    if {$nr eq "io_uring_setup"} { return errno ENOSYS } ;# io_uring makes sockets without a syscall
    if {$nr eq "socket" && $args(family) != AF_UNIX} { return errno EACCES }
    return allow
}
arch {x86_64 x32} {
    if {$nr eq "io_uring_setup"} { return errno ENOSYS }
    if {$nr eq "socket" && $args(family) != AF_UNIX} { return errno EACCES }
    return allow
}
expect x86_64 {socket AF_INET} {errno EACCES}
expect x86_64 {socket AF_UNIX} allow
expect i386 {socketcall SYS_SOCKET} {errno ENOSYS}
expect x86_64 io_uring_setup {errno ENOSYS}
