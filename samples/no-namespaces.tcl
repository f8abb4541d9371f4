# no-namespaces: a process that may not create namespaces or debug other
# processes, the usual first steps of a container escape. clone(2) and
# unshare(2) are allowed unless their flags ask for a new namespace;
# clone3(2) passes its flags in memory, where seccomp cannot look, so it
# fails with ENOSYS and glibc falls back to clone(2).

# CLONE_NEWTIME is left out of the clone mask: in clone(2)'s flags that
# bit belongs to the exit signal. unshare(2) takes it.
set CLONE_NS {CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP}
set UNSHARE_NS {$CLONE_NS | CLONE_NEWTIME}
set DEBUG {ptrace process_vm_readv process_vm_writev kcmp}

arch {x86_64 x32 i386} {
    switch -- $nr {
        clone {
            # The flags are the first argument on these three ABIs.
            if {$args32(0) & $CLONE_NS} { return errno EPERM }
            return allow
        }
        clone3 {
            return errno ENOSYS
        }
        unshare {
            if {$args32(0) & $UNSHARE_NS} { return errno EPERM }
            return allow
        }
        setns {
            return errno EPERM
        }
    }
    if {$nr in $DEBUG} {
        return errno EPERM
    }
    return allow
}

expect x86_64 {clone CLONE_NEWUSER} {errno EPERM}
expect x86_64 {clone CLONE_NEWNET} {errno EPERM}
expect x86_64 {clone SIGCHLD} allow
expect x86_64 {clone 0x3d0f00} allow
expect x86_64 {clone3} {errno ENOSYS}
expect x86_64 {unshare CLONE_NEWTIME} {errno EPERM}
expect x86_64 {unshare CLONE_FILES} allow
expect x86_64 {setns 3 0} {errno EPERM}
expect x86_64 {ptrace 16 1} {errno EPERM}
expect x86_64 {read 0} allow
expect x32 {clone CLONE_NEWPID} {errno EPERM}
expect x32 {ptrace} {errno EPERM}
expect i386 {clone CLONE_NEWUSER} {errno EPERM}
expect i386 {clone SIGCHLD} allow
expect i386 {unshare CLONE_NEWNS} {errno EPERM}
expect i386 {kcmp} {errno EPERM}
