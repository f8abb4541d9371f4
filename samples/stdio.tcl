# stdio: a compute sandbox. The program may use the descriptors it was
# given, manage its memory (never executable), read the clock and exit.
# Anything else fails with EPERM; other architectures are killed.
set STDIO {read write readv writev pread64 pwrite64 close fstat lseek dup dup2 fcntl}
set MEMORY {brk mmap munmap mremap madvise}
set LIFE {exit exit_group rt_sigreturn rt_sigaction rt_sigprocmask}

x86_64 {
    if {$nr in $STDIO || $nr in $LIFE} {
        return allow
    }
    if {$nr in $MEMORY} {
        # No executable mappings: W^X for the whole process.
        if {$nr eq "mmap" && ($args(2) & PROT_EXEC)} {
            return errno EPERM
        }
        return allow
    }
    if {$nr eq "mprotect"} {
        if {$args(2) & PROT_EXEC} { return errno EPERM }
        return allow
    }
    if {$nr in {clock_gettime clock_nanosleep getrandom futex}} {
        return allow
    }
    return errno EPERM
}

badarch kill_process

expect x86_64 {read 0} allow
expect x86_64 {write 1} allow
expect x86_64 {exit_group 0} allow
expect x86_64 {mmap 0 4096 PROT_READ} allow
expect x86_64 {mmap 0 4096 5} {errno EPERM}
expect x86_64 {mprotect 0 4096 PROT_EXEC} {errno EPERM}
expect x86_64 {mprotect 0 4096 PROT_READ} allow
expect x86_64 {openat AT_FDCWD 0 0} {errno EPERM}
expect x86_64 {socket AF_UNIX} {errno EPERM}
expect x86_64 {execve} {errno EPERM}
expect x86_64 {getrandom 0 16 0} allow
expect i386 {read 0} kill_process
expect x32 {read 0} kill_process
