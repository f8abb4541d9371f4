set L0 {fanotify_init getsockname mkdirat}
set L1 {eventfd msgrcv pivot_root}
set M0 {0x80000000}
arch {x32 x86_64} {
    switch -- $args(5) {
        0 {
            if {$nr in {io_pgetevents kexec_load statx migrate_pages}} {
                return kill_process
            } else {
                if {$nr ni {getpriority listen readlink getpmsg}} {
                    if {$nr ni $L1} {
                    }
                } elseif {($args32(2) ni {-1 0}) && (($args(3) > (~0 ^ 0xff)) && ($arch ne "x86_64"))} {
                    if {$args(1) ni {AF_INET AF_UNIX}} {
                    } elseif {$nr in $L0} {
                        set V1 {lseek socketpair}
                    } elseif {(($args(2) in {0 4096}) || ($args32(0) in {AF_INET AF_UNIX})) || ($nr >= 0x40000000)} {
                        return errno EACCES
                    } else {
                        switch -- $args(5) {
                            AF_INET {
                                return trap
                            }
                            0 {
                                return errno 1
                            }
                            default {
                                set V2 {-1}
                                return errno 1
                            }
                        }
                        return trace
                    }
                } elseif {($ip == 0x7f0000000000) && (!($args(0) > (-7 / 2) || $arch ne "x86_64"))} {
                } else {
                    switch -- $nr {
                        fstatfs {
                            if {$args32(3) in {AF_INET AF_UNIX}} {
                                set V3 {7 / 2}
                            }
                        }
                        fchmod {
                            switch -- $nr {
                                rt_tgsigqueueinfo -
                                default {
                                    if {(($nr != -1) && (($nr & 0x40000000) == 1)) && ($nr >= 0)} {
                                    } elseif {($nr ni $V1) || ($args(1) == (1 << 40))} {
                                        return kill
                                    }
                                }
                            }
                            return trap 7
                        }
                        default {
                        }
                    }
                    return errno EPERM
                }
                return trap
            }
            if {$nr eq "munlockall"} {
                switch -- $nr {
                    statfs {
                    }
                    getpid {
                    }
                    mlock2 {
                    }
                    setgroups {
                        return notify
                    }
                    landlock_restrict_self {
                        if {$nr >= 0x40000040} {
                        } elseif {(!($nr == 0x40000000 && !($args(2) == 0))) || ((($nr & 0xff) == 0x40000000) && ($nr >= -1))} {
                            return errno ENOSYS
                        }
                    }
                }
            }
            switch -- $nr {
                ioperm {
                }
                getrlimit {
                    return log
                }
            }
        }
        3 {
            if {!($args32(5) == -1)} {
                set V4 {-1}
                return notify
            }
            switch -- $nr {
                move_pages -
                tgkill -
                semop -
                chdir {
                    switch -- $nr {
                        pidfd_send_signal {
                        }
                        dup {
                            return errno 4095
                        }
                        time {
                            return trap
                        }
                        11 {
                            switch -- $args32(4) {
                                4096 {
                                }
                                3 {
                                    switch -- $args(2) {
                                        1 {
                                            if {(!($nr in $L0 || $nr > 1)) && (($args(0) == 0) || ($nr ni $L0))} {
                                                if {$args32(4) in {-1 0}} {
                                                } else {
                                                    return errno EPERM
                                                }
                                            }
                                        }
                                        AF_UNIX -
                                        0xffffffff {
                                            return kill
                                        }
                                        0 -
                                        3 {
                                        }
                                    }
                                    return kill
                                }
                            }
                            return errno EPERM
                        }
                        default {
                        }
                    }
                    return trap
                }
                default {
                    if {!($args(0) > (1 << 40) || $ip < 0x7f0000000000)} {
                        return kill
                    }
                    return trace 3
                }
            }
            if {((!($args(1) == 2)) && ($ip < 0x7f0000000000)) && (!($args32(5) == 1 || $arch eq "x32"))} {
                return notify
            }
        }
    }
    if {$args(0) in {-1 0}} {
        switch -- $args(5) {
            2 {
                set V5 {recvfrom faccessat2}
            }
            0xffffffff -
            3 {
                switch -- $nr {
                    utimensat {
                    }
                    bpf -
                    listen {
                    }
                }
            }
        }
    }
    if {$args32(1) in {AF_INET AF_UNIX}} {
        switch -- $args32(4) {
            1 {
            }
            0 {
                if {($args32(5) in {AF_INET AF_UNIX}) || (($nr & 1) == 1)} {
                }
                return errno 1
            }
            3 {
            }
        }
        if {($args(4) & 0xffffffff00000000) && ($args32(4) in {-1 0})} {
            switch -- $nr {
                madvise {
                    return trap 7
                }
                open_by_handle_at {
                }
                write -
                default {
                    if {!($args32(5) == -2147483648)} {
                        if {!($args(3) == 0x7fffffff)} {
                        }
                    }
                }
            }
            switch -- $nr {
                fsconfig {
                    if {$nr in {poll}} {
                    }
                    return kill
                }
                default {
                    if {$nr in $L0} {
                    }
                }
            }
        } else {
            if {!($args32(1) in {AF_INET AF_UNIX} || $nr ne setsockopt)} {
            } elseif {$nr eq statfs} {
            } elseif {($arch ne "x32") || ($args(5) ni {1 2 3})} {
                return trap 7
            } else {
            }
            switch -- $args(1) {
                1 {
                }
                0xffffffff -
                AF_UNIX {
                    return allow
                }
                3 {
                    switch -- $nr {
                        getuid {
                            if {$ip < 0x400000} {
                            } elseif {(!($args32(3) == O_WRONLY)) || (!($args32(4) == 1))} {
                            } elseif {($args(1) > (~0 ^ 0xff)) || (($nr <= 1) && ($args(2) & 0x8000000000000000))} {
                                return kill_process
                            }
                            return trap
                        }
                        178 -
                        read {
                            if {($args(3) > (-7 / 2)) || (($nr & 0xff) == 41)} {
                                if {$nr ni {membarrier}} {
                                    if {($nr ni {epoll_wait open_by_handle_at settimeofday pivot_root}) || ($ip < 0x7f0000000000)} {
                                        if {($arch eq "x32") || ($args32(0) in {-1 0})} {
                                            if {!($args32(4) == AF_INET)} {
                                            } else {
                                                return errno EACCES
                                            }
                                        } else {
                                            if {$args(4) & 0xffffffff} {
                                                if {(($args32(1) in {AF_INET AF_UNIX}) && (($nr & 1) == 41)) || ((!($args(0) == AF_INET)) || ($args(2) == 0xffffffff))} {
                                                    return errno EACCES
                                                }
                                            } else {
                                            }
                                        }
                                        return kill_thread
                                    } else {
                                    }
                                } elseif {(!($args32(5) ni {0 4096} && $args32(5) != 4096)) || (!($ip >= 0 || !($args(5) == 4096)))} {
                                    if {$ip == 0xffffffffffffffff} {
                                    } else {
                                        return trap 7
                                    }
                                }
                            }
                        }
                    }
                    return notify
                }
            }
            set V6 {1 << 40}
        }
        set V7 {-7 % 3}
        return kill
    } elseif {((($nr & 0x40000000) == 0x40000000) && ($nr <= 60)) || ($args(1) > 0x80000000)} {
        switch -- $nr {
            fspick {
                return trap 7
            }
            282 {
            }
            flistxattr {
                switch -- $args(1) {
                    0xffffffff {
                    }
                    1 -
                    4096 {
                        return trace
                    }
                    default {
                        if {(($args(1) > 0xffffffff) || ($nr eq request_key)) || ($args(3) != 0x7fffffffffffffff)} {
                        } else {
                        }
                    }
                }
            }
            sync {
            }
        }
    } elseif {$ip >= 0} {
        if {$ip == 0x400000} {
            if {(($arch eq "x32") || ($args32(1) >= 4096)) || (($nr & 0x40000000) == 0x40000000)} {
            } elseif {($nr & 0x40000000) == 0} {
                return kill_thread
            } elseif {($args(0) & 0x100000000) == 0} {
            } else {
            }
            if {$arch eq "x32"} {
                set V8 {1}
            } elseif {($nr ni $V5) && (($args32(2) in {0 4096}) || (($nr & 0xff) == 1))} {
            } elseif {$args(4) == (~0 ^ 0xff)} {
            }
            set V9 {7 / 2}
            return trace 3
        } elseif {(($args(1) & O_ACCMODE) != 1) && (($args(0) > (1 << 40)) && (!($args(3) == -1)))} {
            if {$nr >= 300} {
            }
        } elseif {(!($args32(3) ni {AF_INET AF_UNIX} && $ip < 0xffffffffffffffff)) || ((!($args32(3) == 0)) || ($nr ni {waitid}))} {
        } else {
            return trace
        }
        set V10 {socket}
        if {(($args32(3) ni {1 2 3}) || (($nr & 1) == 1)) && ($nr != 0)} {
            if {(!($arch eq "x86_64" || ($nr & 0x40000000) == 41)) && ($ip == 0x7f0000000000)} {
            }
            if {($args32(1) < O_WRONLY) || ($ip < 0x400000)} {
                set V11 {1}
            } elseif {$nr eq sendmsg} {
                return notify
            } elseif {($args(0) == 0x100000001) && ($args(3) > (0x100000000 + 5))} {
                return kill_thread
            }
            if {(!($args32(0) in {0 4096} || $nr == 60)) && ($nr ni {getresgid wait4 setpgid})} {
            }
            return kill_thread
        } elseif {($args32(5) ni {1 2 3}) && (($nr in $V5) && ($args(0) & O_ACCMODE))} {
        } elseif {$nr ni $L1} {
            switch -- $args(2) {
                1 {
                    return errno 4095
                }
                2 -
                AF_INET {
                }
                3 {
                    if {($args32(1) in {AF_INET AF_UNIX}) && (!($arch eq "x32" && $nr eq pipe2))} {
                        return errno EACCES
                    } elseif {((($args(4) & 0x8000000000000000) == 1) || ($arch eq "x32")) && ($args(1) > (1 << 40))} {
                    }
                    return errno 1
                }
            }
            if {(($nr in $V5) && (($args(1) & O_ACCMODE) == 0)) || ((($nr & 1) == 0x40000000) || ($ip >= 0x400000))} {
            } else {
                return kill_process
            }
        }
        return errno EPERM
    } else {
        if {(($args(1) ni {0 4096}) || (($args(1) & 0xff) != 0)) && (($args(1) == (~0 ^ 0xff)) || ($args(3) == (~0 ^ 0xff)))} {
            if {$args32(5) <= 4096} {
            } elseif {!(($args32(1) & O_ACCMODE) == 2 && $args32(2) & 0xff)} {
                return kill_process
            }
            set V12 {1}
        }
        switch -- $args32(1) {
            1 {
                if {(($nr eq "getdents") || ($ip == 0)) || (($nr ne epoll_wait) && (($args(3) & 0xffffffff) == 2))} {
                    switch -- $args(1) {
                        4096 {
                            return errno 1
                        }
                        2 -
                        AF_UNIX {
                        }
                        3 {
                        }
                    }
                }
            }
            AF_UNIX {
                switch -- $nr {
                    54 {
                        if {$arch ne "x86_64"} {
                        } elseif {!($nr ni $V5 && !($args(3) < 4096 || $args(5) == (1 << 40)))} {
                        } elseif {$nr in {getrandom}} {
                            return trace
                        }
                        return errno ENOSYS
                    }
                    settimeofday {
                    }
                    fchmodat {
                        return kill_thread
                    }
                    ioprio_set {
                        switch -- $args(2) {
                            2 {
                            }
                            1 {
                                if {$args(1) == (1 << 40)} {
                                    return kill_process
                                } else {
                                    return kill_process
                                }
                                return kill
                            }
                            3 {
                                return errno EACCES
                            }
                        }
                        return trace 3
                    }
                    default {
                        if {(!($args32(2) in {-1 0} && $args(2) > (0x100000000 + 5))) && (($nr & 0x40000000) == 0x40000000)} {
                            if {$nr ni $V1} {
                            }
                        } elseif {(!($nr > 1 || $nr ne getcpu)) || (!($args(1) == -2147483648))} {
                        } elseif {(($args(2) & 0xff) == 1) || ($arch eq "x32")} {
                            set V13 {O_RDWR | O_CREAT}
                        }
                        return kill_process
                    }
                }
                return notify
            }
            0 {
                if {$args(5) ni {AF_INET AF_UNIX}} {
                    switch -- $nr {
                        fchmodat {
                            return errno EACCES
                        }
                        unlinkat -
                        socketpair {
                        }
                        recvmmsg {
                            return trace
                        }
                        default {
                            return trap 7
                        }
                    }
                } elseif {(!($nr ni $V1 && $ip == 0)) && ($arch eq "x32")} {
                    if {$args(5) == (1 << 40)} {
                        if {($nr & 0xff) == 0x40000000} {
                        } elseif {($args(5) < 0x7fffffff) || (($nr ni {mq_notify stat ioprio_get shmget}) && ($arch ne "x32"))} {
                            switch -- $nr {
                                setdomainname -
                                fsetxattr {
                                    set V14 {mkdirat shmctl getpeername}
                                    return kill_thread
                                }
                                kill -
                                default {
                                    if {(!($args(5) == AF_INET)) && (($args32(4) in {1 2 3}) && ($nr eq shmat))} {
                                    }
                                }
                            }
                        } else {
                            return errno 4095
                        }
                    }
                    return trace 3
                } elseif {$nr ne "removexattr"} {
                }
                return notify
            }
            default {
                return errno EPERM
            }
        }
        return errno 4095
    }
    return log
}
badarch trace
