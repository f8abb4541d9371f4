# Converted from seccomp/default.json of moby/profiles, the default seccomp
# profile of the Docker/Moby container engine, by `cordon import`.
# Copyright Docker, Inc. and the Moby project contributors.
# Licensed under the Apache License, Version 2.0 (the "License"); you may not
# use this file except in compliance with the License. You may obtain a copy
# of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

# Converted by cordon import from default.json, a Docker/OCI seccomp profile,
# read as Docker and runc read it: host amd64, capabilities none, every minKernel taken as met.
# The filter covers x86_64, i386, x32.
# The default action is SCMP_ACT_ERRNO (errno EPERM).
#
# Rules not in force here:
#   rule 11 (sync_file_range2 swapcontext): includes.arches is ppc64le
#   rule 12 (arm_fadvise64_64 arm_sync_file_range sync_file_range2 breakpoint ...): includes.arches is arm, arm64
#   rule 15 (s390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr): includes.arches is s390, s390x
#   rule 16 (riscv_flush_icache): includes.arches is riscv64
#   rule 17 (open_by_handle_at): includes.caps needs CAP_DAC_READ_SEARCH
#   rule 18 (bpf clone clone3 fanotify_init ...): includes.caps needs CAP_SYS_ADMIN
#   rule 20 (clone): includes.arches is s390, s390x
#   rule 22 (reboot): includes.caps needs CAP_SYS_BOOT
#   rule 23 (chroot): includes.caps needs CAP_SYS_CHROOT
#   rule 24 (delete_module init_module finit_module): includes.caps needs CAP_SYS_MODULE
#   rule 25 (acct): includes.caps needs CAP_SYS_PACCT
#   rule 26 (kcmp pidfd_getfd process_madvise process_vm_readv ...): includes.caps needs CAP_SYS_PTRACE
#   rule 27 (iopl ioperm): includes.caps needs CAP_SYS_RAWIO
#   rule 28 (settimeofday stime clock_settime clock_settime64): includes.caps needs CAP_SYS_TIME
#   rule 29 (vhangup): includes.caps needs CAP_SYS_TTY_CONFIG
#   rule 30 (get_mempolicy mbind set_mempolicy set_mempolicy_home_node): includes.caps needs CAP_SYS_NICE
#   rule 31 (syslog): includes.caps needs CAP_SYSLOG
#   rule 32 (bpf): includes.caps needs CAP_BPF
#   rule 33 (perf_event_open): includes.caps needs CAP_PERFMON

x86_64 {
    # Rule 1: SCMP_ACT_ALLOW, 300 syscalls.
    # Not on x86_64: chown32 clock_adjtime64 clock_getres_time64
    # clock_gettime64 clock_nanosleep_time64 fadvise64_64 fchown32 fcntl64
    # fstat64 fstatat64 fstatfs64 ftruncate64 futex_time64 getegid32 geteuid32
    # getgid32 getgroups32 getresgid32 getresuid32 getuid32
    # io_pgetevents_time64 ipc lchown32 _llseek lstat64 mmap2
    # mq_timedreceive_time64 mq_timedsend_time64 _newselect ppoll_time64
    # pselect6_time64 recv recvmmsg_time64 riscv_hwprobe
    # rt_sigtimedwait_time64 sched_rr_get_interval_time64 semtimedop_time64
    # send sendfile64 setfsgid32 setfsuid32 setgid32 setgroups32 setregid32
    # setresgid32 setresuid32 setreuid32 setuid32 sigprocmask sigreturn
    # socketcall stat64 statfs64 timer_gettime64 timer_settime64
    # timerfd_gettime64 timerfd_settime64 truncate64 ugetrlimit
    # utimensat_time64 waitpid.
    if {$nr in {
        accept accept4 access adjtimex alarm bind brk cachestat capget capset
        chdir chmod chown clock_adjtime clock_getres clock_gettime
        clock_nanosleep close close_range connect copy_file_range creat dup
        dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old
        epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2
        execve execveat exit exit_group faccessat faccessat2 fadvise64
        fallocate fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown
        fchownat fcntl fdatasync fgetxattr flistxattr flock fork fremovexattr
        fsetxattr fstat fstatfs fsync ftruncate futex futex_requeue futex_wait
        futex_waitv futex_wake futimesat getcpu getcwd getdents getdents64
        getegid geteuid getgid getgroups getitimer getpeername getpgid getpgrp
        getpid getppid getpriority getrandom getresgid getresuid getrlimit
        get_robust_list getrusage getsid getsockname getsockopt
        get_thread_area gettid gettimeofday getuid getxattr getxattrat
        inotify_add_watch inotify_init inotify_init1 inotify_rm_watch
        io_cancel ioctl io_destroy io_getevents io_pgetevents ioprio_get
        ioprio_set io_setup io_submit kill landlock_add_rule
        landlock_create_ruleset landlock_restrict_self lchown lgetxattr link
        linkat listen listmount listxattr listxattrat llistxattr lremovexattr
        lseek lsetxattr lstat madvise map_shadow_stack membarrier memfd_create
        memfd_secret mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall
        mmap mprotect mq_getsetattr mq_notify mq_open mq_timedreceive
        mq_timedsend mq_unlink mremap mseal msgctl msgget msgrcv msgsnd msync
        munlock munlockall munmap name_to_handle_at nanosleep newfstatat open
        openat openat2 pause pidfd_open pidfd_send_signal pipe pipe2
        pkey_alloc pkey_free pkey_mprotect poll ppoll prctl pread64 preadv
        preadv2 prlimit64 process_mrelease pselect6 pwrite64 pwritev pwritev2
        read readahead readlink readlinkat readv recvfrom recvmmsg recvmsg
        remap_file_pages removexattr removexattrat rename renameat renameat2
        restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask
        rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait
        rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam
        sched_get_priority_max sched_get_priority_min sched_getscheduler
        sched_rr_get_interval sched_setaffinity sched_setattr sched_setparam
        sched_setscheduler sched_yield seccomp select semctl semget semop
        semtimedop sendfile sendmmsg sendmsg sendto setfsgid setfsuid setgid
        setgroups setitimer setpgid setpriority setregid setresgid setresuid
        setreuid setrlimit set_robust_list setsid setsockopt set_thread_area
        set_tid_address setuid setxattr setxattrat shmat shmctl shmdt shmget
        shutdown sigaltstack signalfd signalfd4 socketpair splice stat statfs
        statmount statx symlink symlinkat sync sync_file_range syncfs sysinfo
        tee tgkill time timer_create timer_delete timer_getoverrun
        timer_gettime timer_settime timerfd_create timerfd_gettime
        timerfd_settime times tkill truncate umask uname unlink unlinkat
        uretprobe utime utimensat utimes vfork vmsplice wait4 waitid write
        writev
    }} {
        return allow
    }
    # Rule 2: SCMP_ACT_ALLOW, 3 syscalls.
    if {$nr in {
        process_vm_readv process_vm_writev ptrace
    }} {
        return allow
    }
    # Rule 3: SCMP_ACT_ALLOW for socket when $args(0) < 38.
    if {$nr eq "socket" && $args(0) < 38} {
        return allow
    }
    # Rule 4: SCMP_ACT_ALLOW for socket when $args(0) == 39.
    if {$nr eq "socket" && $args(0) == 39} {
        return allow
    }
    # Rule 5: SCMP_ACT_ALLOW for socket when $args(0) > 40.
    if {$nr eq "socket" && $args(0) > 40} {
        return allow
    }
    # Rule 6: SCMP_ACT_ALLOW for personality when $args(0) == 0.
    if {$nr eq "personality" && $args(0) == 0} {
        return allow
    }
    # Rule 7: SCMP_ACT_ALLOW for personality when $args(0) == 8.
    if {$nr eq "personality" && $args(0) == 8} {
        return allow
    }
    # Rule 8: SCMP_ACT_ALLOW for personality when $args(0) == 131072.
    if {$nr eq "personality" && $args(0) == 131072} {
        return allow
    }
    # Rule 9: SCMP_ACT_ALLOW for personality when $args(0) == 131080.
    if {$nr eq "personality" && $args(0) == 131080} {
        return allow
    }
    # Rule 10: SCMP_ACT_ALLOW for personality when $args(0) == 0xffffffff.
    if {$nr eq "personality" && $args(0) == 0xffffffff} {
        return allow
    }
    # Rule 13: SCMP_ACT_ALLOW for arch_prctl.
    if {$nr eq "arch_prctl"} {
        return allow
    }
    # Rule 14: SCMP_ACT_ALLOW for modify_ldt.
    if {$nr eq "modify_ldt"} {
        return allow
    }
    # Rule 19: SCMP_ACT_ALLOW for clone when ($args(0) & 0x7e020000) == 0.
    if {$nr eq "clone" && ($args(0) & 0x7e020000) == 0} {
        return allow
    }
    # Rule 21: SCMP_ACT_ERRNO for clone3.
    if {$nr eq "clone3"} {
        return errno ENOSYS
    }
    return errno EPERM
}

i386 {
    # Rule 1: SCMP_ACT_ALLOW, 351 syscalls.
    # Not on i386: accept epoll_ctl_old epoll_wait_old newfstatat recv
    # riscv_hwprobe semop semtimedop send uretprobe.
    if {$nr in {
        accept4 access adjtimex alarm bind brk cachestat capget capset chdir
        chmod chown chown32 clock_adjtime clock_adjtime64 clock_getres
        clock_getres_time64 clock_gettime clock_gettime64 clock_nanosleep
        clock_nanosleep_time64 close close_range connect copy_file_range creat
        dup dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_pwait
        epoll_pwait2 epoll_wait eventfd eventfd2 execve execveat exit
        exit_group faccessat faccessat2 fadvise64 fadvise64_64 fallocate
        fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchown32
        fchownat fcntl fcntl64 fdatasync fgetxattr flistxattr flock fork
        fremovexattr fsetxattr fstat fstat64 fstatat64 fstatfs fstatfs64 fsync
        ftruncate ftruncate64 futex futex_requeue futex_time64 futex_wait
        futex_waitv futex_wake futimesat getcpu getcwd getdents getdents64
        getegid getegid32 geteuid geteuid32 getgid getgid32 getgroups
        getgroups32 getitimer getpeername getpgid getpgrp getpid getppid
        getpriority getrandom getresgid getresgid32 getresuid getresuid32
        getrlimit get_robust_list getrusage getsid getsockname getsockopt
        get_thread_area gettid gettimeofday getuid getuid32 getxattr
        getxattrat inotify_add_watch inotify_init inotify_init1
        inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents
        io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit ipc kill
        landlock_add_rule landlock_create_ruleset landlock_restrict_self
        lchown lchown32 lgetxattr link linkat listen listmount listxattr
        listxattrat llistxattr _llseek lremovexattr lseek lsetxattr lstat
        lstat64 madvise map_shadow_stack membarrier memfd_create memfd_secret
        mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2
        mprotect mq_getsetattr mq_notify mq_open mq_timedreceive
        mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink
        mremap mseal msgctl msgget msgrcv msgsnd msync munlock munlockall
        munmap name_to_handle_at nanosleep _newselect open openat openat2
        pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free
        pkey_mprotect poll ppoll ppoll_time64 prctl pread64 preadv preadv2
        prlimit64 process_mrelease pselect6 pselect6_time64 pwrite64 pwritev
        pwritev2 read readahead readlink readlinkat readv recvfrom recvmmsg
        recvmmsg_time64 recvmsg remap_file_pages removexattr removexattrat
        rename renameat renameat2 restart_syscall rmdir rseq rt_sigaction
        rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn
        rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo
        sched_getaffinity sched_getattr sched_getparam sched_get_priority_max
        sched_get_priority_min sched_getscheduler sched_rr_get_interval
        sched_rr_get_interval_time64 sched_setaffinity sched_setattr
        sched_setparam sched_setscheduler sched_yield seccomp select semctl
        semget semtimedop_time64 sendfile sendfile64 sendmmsg sendmsg sendto
        setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32 setgroups
        setgroups32 setitimer setpgid setpriority setregid setregid32
        setresgid setresgid32 setresuid setresuid32 setreuid setreuid32
        setrlimit set_robust_list setsid setsockopt set_thread_area
        set_tid_address setuid setuid32 setxattr setxattrat shmat shmctl shmdt
        shmget shutdown sigaltstack signalfd signalfd4 sigprocmask sigreturn
        socketcall socketpair splice stat stat64 statfs statfs64 statmount
        statx symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill
        time timer_create timer_delete timer_getoverrun timer_gettime
        timer_gettime64 timer_settime timer_settime64 timerfd_create
        timerfd_gettime timerfd_gettime64 timerfd_settime timerfd_settime64
        times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat
        utime utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid
        waitpid write writev
    }} {
        return allow
    }
    # Rule 2: SCMP_ACT_ALLOW, 3 syscalls.
    if {$nr in {
        process_vm_readv process_vm_writev ptrace
    }} {
        return allow
    }
    # Rule 3: SCMP_ACT_ALLOW for socket when $args(0) < 38.
    if {$nr eq "socket" && $args(0) < 38} {
        return allow
    }
    # Rule 4: SCMP_ACT_ALLOW for socket when $args(0) == 39.
    if {$nr eq "socket" && $args(0) == 39} {
        return allow
    }
    # Rule 5: SCMP_ACT_ALLOW for socket when $args(0) > 40.
    if {$nr eq "socket" && $args(0) > 40} {
        return allow
    }
    # Rule 6: SCMP_ACT_ALLOW for personality when $args(0) == 0.
    if {$nr eq "personality" && $args(0) == 0} {
        return allow
    }
    # Rule 7: SCMP_ACT_ALLOW for personality when $args(0) == 8.
    if {$nr eq "personality" && $args(0) == 8} {
        return allow
    }
    # Rule 8: SCMP_ACT_ALLOW for personality when $args(0) == 131072.
    if {$nr eq "personality" && $args(0) == 131072} {
        return allow
    }
    # Rule 9: SCMP_ACT_ALLOW for personality when $args(0) == 131080.
    if {$nr eq "personality" && $args(0) == 131080} {
        return allow
    }
    # Rule 10: SCMP_ACT_ALLOW for personality when $args(0) == 0xffffffff.
    if {$nr eq "personality" && $args(0) == 0xffffffff} {
        return allow
    }
    # Rule 13: SCMP_ACT_ALLOW for arch_prctl.
    if {$nr eq "arch_prctl"} {
        return allow
    }
    # Rule 14: SCMP_ACT_ALLOW for modify_ldt.
    if {$nr eq "modify_ldt"} {
        return allow
    }
    # Rule 19: SCMP_ACT_ALLOW for clone when ($args(0) & 0x7e020000) == 0.
    if {$nr eq "clone" && ($args(0) & 0x7e020000) == 0} {
        return allow
    }
    # Rule 21: SCMP_ACT_ERRNO for clone3.
    if {$nr eq "clone3"} {
        return errno ENOSYS
    }
    return errno EPERM
}

x32 {
    # Rule 1: SCMP_ACT_ALLOW, 296 syscalls.
    # Not on x32: chown32 clock_adjtime64 clock_getres_time64 clock_gettime64
    # clock_nanosleep_time64 epoll_ctl_old epoll_wait_old fadvise64_64
    # fchown32 fcntl64 fstat64 fstatat64 fstatfs64 ftruncate64 futex_time64
    # getegid32 geteuid32 getgid32 getgroups32 getresgid32 getresuid32
    # get_thread_area getuid32 io_pgetevents_time64 ipc lchown32 _llseek
    # lstat64 mmap2 mq_timedreceive_time64 mq_timedsend_time64 _newselect
    # ppoll_time64 pselect6_time64 recv recvmmsg_time64 riscv_hwprobe
    # rt_sigtimedwait_time64 sched_rr_get_interval_time64 semtimedop_time64
    # send sendfile64 setfsgid32 setfsuid32 setgid32 setgroups32 setregid32
    # setresgid32 setresuid32 setreuid32 set_thread_area setuid32 sigprocmask
    # sigreturn socketcall stat64 statfs64 timer_gettime64 timer_settime64
    # timerfd_gettime64 timerfd_settime64 truncate64 ugetrlimit
    # utimensat_time64 waitpid.
    if {$nr in {
        accept accept4 access adjtimex alarm bind brk cachestat capget capset
        chdir chmod chown clock_adjtime clock_getres clock_gettime
        clock_nanosleep close close_range connect copy_file_range creat dup
        dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_pwait
        epoll_pwait2 epoll_wait eventfd eventfd2 execve execveat exit
        exit_group faccessat faccessat2 fadvise64 fallocate fanotify_mark
        fchdir fchmod fchmodat fchmodat2 fchown fchownat fcntl fdatasync
        fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstatfs
        fsync ftruncate futex futex_requeue futex_wait futex_waitv futex_wake
        futimesat getcpu getcwd getdents getdents64 getegid geteuid getgid
        getgroups getitimer getpeername getpgid getpgrp getpid getppid
        getpriority getrandom getresgid getresuid getrlimit get_robust_list
        getrusage getsid getsockname getsockopt gettid gettimeofday getuid
        getxattr getxattrat inotify_add_watch inotify_init inotify_init1
        inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents
        ioprio_get ioprio_set io_setup io_submit kill landlock_add_rule
        landlock_create_ruleset landlock_restrict_self lchown lgetxattr link
        linkat listen listmount listxattr listxattrat llistxattr lremovexattr
        lseek lsetxattr lstat madvise map_shadow_stack membarrier memfd_create
        memfd_secret mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall
        mmap mprotect mq_getsetattr mq_notify mq_open mq_timedreceive
        mq_timedsend mq_unlink mremap mseal msgctl msgget msgrcv msgsnd msync
        munlock munlockall munmap name_to_handle_at nanosleep newfstatat open
        openat openat2 pause pidfd_open pidfd_send_signal pipe pipe2
        pkey_alloc pkey_free pkey_mprotect poll ppoll prctl pread64 preadv
        preadv2 prlimit64 process_mrelease pselect6 pwrite64 pwritev pwritev2
        read readahead readlink readlinkat readv recvfrom recvmmsg recvmsg
        remap_file_pages removexattr removexattrat rename renameat renameat2
        restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask
        rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait
        rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam
        sched_get_priority_max sched_get_priority_min sched_getscheduler
        sched_rr_get_interval sched_setaffinity sched_setattr sched_setparam
        sched_setscheduler sched_yield seccomp select semctl semget semop
        semtimedop sendfile sendmmsg sendmsg sendto setfsgid setfsuid setgid
        setgroups setitimer setpgid setpriority setregid setresgid setresuid
        setreuid setrlimit set_robust_list setsid setsockopt set_tid_address
        setuid setxattr setxattrat shmat shmctl shmdt shmget shutdown
        sigaltstack signalfd signalfd4 socketpair splice stat statfs statmount
        statx symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill
        time timer_create timer_delete timer_getoverrun timer_gettime
        timer_settime timerfd_create timerfd_gettime timerfd_settime times
        tkill truncate umask uname unlink unlinkat uretprobe utime utimensat
        utimes vfork vmsplice wait4 waitid write writev
    }} {
        return allow
    }
    # Rule 2: SCMP_ACT_ALLOW, 3 syscalls.
    if {$nr in {
        process_vm_readv process_vm_writev ptrace
    }} {
        return allow
    }
    # Rule 3: SCMP_ACT_ALLOW for socket when $args32(0) < 38.
    if {$nr eq "socket" && $args32(0) < 38} {
        return allow
    }
    # Rule 4: SCMP_ACT_ALLOW for socket when $args32(0) == 39.
    if {$nr eq "socket" && $args32(0) == 39} {
        return allow
    }
    # Rule 5: SCMP_ACT_ALLOW for socket when $args32(0) > 40.
    if {$nr eq "socket" && $args32(0) > 40} {
        return allow
    }
    # Rule 6: SCMP_ACT_ALLOW for personality when $args32(0) == 0.
    if {$nr eq "personality" && $args32(0) == 0} {
        return allow
    }
    # Rule 7: SCMP_ACT_ALLOW for personality when $args32(0) == 8.
    if {$nr eq "personality" && $args32(0) == 8} {
        return allow
    }
    # Rule 8: SCMP_ACT_ALLOW for personality when $args32(0) == 131072.
    if {$nr eq "personality" && $args32(0) == 131072} {
        return allow
    }
    # Rule 9: SCMP_ACT_ALLOW for personality when $args32(0) == 131080.
    if {$nr eq "personality" && $args32(0) == 131080} {
        return allow
    }
    # Rule 10: SCMP_ACT_ALLOW for personality when $args32(0) == 0xffffffff.
    if {$nr eq "personality" && $args32(0) == 0xffffffff} {
        return allow
    }
    # Rule 13: SCMP_ACT_ALLOW for arch_prctl.
    if {$nr eq "arch_prctl"} {
        return allow
    }
    # Rule 14: SCMP_ACT_ALLOW for modify_ldt.
    if {$nr eq "modify_ldt"} {
        return allow
    }
    # Rule 19: SCMP_ACT_ALLOW for clone when ($args32(0) & 0x7e020000) == 0.
    if {$nr eq "clone" && ($args32(0) & 0x7e020000) == 0} {
        return allow
    }
    # Rule 21: SCMP_ACT_ERRNO for clone3.
    if {$nr eq "clone3"} {
        return errno ENOSYS
    }
    return errno EPERM
}
