/* The kernel probe and filter installation; see cseccomp.h. */
#define _GNU_SOURCE
#include "cseccomp.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "cordon's kernel probe makes x86_64, i386 and x32 system calls and needs an x86_64 host"
#endif

/* A system call through the `syscall` instruction; *ip gets the address after it. */
static int64_t call_syscall64(uint64_t nr, const uint64_t a[6], uint64_t *ip) {
    register uint64_t r10 __asm__("r10") = a[3];
    register uint64_t r8 __asm__("r8") = a[4];
    register uint64_t r9 __asm__("r9") = a[5];
    uint64_t ret, after;
    __asm__ volatile("lea 1f(%%rip), %1\n\t"
                     "syscall\n"
                     "1:"
                     : "=a"(ret), "=&r"(after)
                     : "0"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    *ip = after;
    return (int64_t)ret;
}

/* An i386 system call through `int $0x80` from this 64-bit process. The
 * sixth argument goes in %ebp, which is saved around the call. */
static int64_t call_int80(uint64_t nr, const uint64_t a[6], uint64_t *ip) {
    uint64_t ret, after;
    uint64_t a5 = a[5];
    __asm__ volatile("lea 1f(%%rip), %1\n\t"
                     "push %%rbp\n\t"
                     "mov %k8, %%ebp\n\t"
                     "int $0x80\n"
                     "1:\n\t"
                     "pop %%rbp"
                     : "=a"(ret), "=&r"(after)
                     : "0"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4]), "r"(a5)
                     : "r8", "r9", "r10", "r11", "memory");
    *ip = after;
    return (int64_t)(int32_t)ret;
}

int cordon_thread_count(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    int threads = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Threads:", 8) == 0) {
            threads = atoi(line + 8);
            break;
        }
    }
    fclose(f);
    return threads;
}

/* Loads the filter into every thread. With TSYNC the kernel returns the id
 * of a thread it could not synchronise (a positive value) and loads nothing:
 * that is a failure, reported as EBUSY, never a partly filtered process. */
static int load_synchronised(const cordon_insn *filter, unsigned short length) {
    struct sock_fprog prog = {.len = length, .filter = (struct sock_filter *)filter};
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
    if (r == 0) return 0;
    if (r > 0) errno = EBUSY;
    return -1;
}

int cordon_install_filter(const cordon_insn *filter, unsigned short length) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return load_synchronised(filter, length);
}

/* Shared between parent and child: the child writes, then raises `done`. */
struct probe_shared {
    volatile int done;
    volatile int install_errno;
    volatile size_t completed;
    cordon_probe_result results[];
};

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int cordon_probe(const cordon_insn *filter, unsigned short length,
                 const cordon_probe_call *calls, size_t count,
                 cordon_probe_result *results, int *install_errno,
                 int *child_status, size_t *completed, unsigned timeout_ms) {
    if (cordon_thread_count() != 1) return CORDON_PROBE_MULTITHREADED;
    size_t size = sizeof(struct probe_shared) + count * sizeof(cordon_probe_result);
    struct probe_shared *shared = mmap(NULL, size, PROT_READ | PROT_WRITE,
                                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) return CORDON_PROBE_SYSTEM;
    shared->done = 0;
    shared->install_errno = 0;
    shared->completed = 0;

    pid_t child = fork();
    if (child < 0) {
        munmap(shared, size);
        return CORDON_PROBE_SYSTEM;
    }
    if (child == 0) {
        /* Child: load, then only raw calls and memory writes. Its own exit
         * would be filtered too, so the parent kills it when `done` is set. */
        struct sock_fprog prog = {.len = length, .filter = (struct sock_filter *)filter};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
            shared->install_errno = errno;
            __atomic_store_n(&shared->done, 1, __ATOMIC_RELEASE);
            _exit(0);
        }
        shared->install_errno = 0;
        for (size_t i = 0; i < count; i++) {
            const cordon_probe_call *c = &calls[i];
            uint64_t ip = 0;
            int64_t ret = c->mode == CORDON_CALL_INT80 ? call_int80(c->nr, c->args, &ip)
                                                      : call_syscall64(c->nr, c->args, &ip);
            shared->results[i].ret = ret;
            shared->results[i].ip = ip;
            shared->completed = i + 1;
        }
        __atomic_store_n(&shared->done, 1, __ATOMIC_RELEASE);
        for (;;) {
            /* Wait to be killed: nothing here makes a system call. */
        }
    }

    int status = CORDON_PROBE_OK;
    uint64_t deadline = now_ms() + timeout_ms;
    for (;;) {
        if (__atomic_load_n(&shared->done, __ATOMIC_ACQUIRE)) break;
        int wstatus = 0;
        pid_t r = waitpid(child, &wstatus, WNOHANG);
        if (r == child) {
            if (__atomic_load_n(&shared->done, __ATOMIC_ACQUIRE)) break;
            if (child_status) *child_status = wstatus;
            status = CORDON_PROBE_CHILD_DIED;
            child = 0;
            break;
        }
        if (now_ms() > deadline) {
            status = CORDON_PROBE_TIMEOUT;
            break;
        }
        struct timespec pause = {0, 50000};
        nanosleep(&pause, NULL);
    }
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    *completed = shared->completed;
    if (status == CORDON_PROBE_OK) *install_errno = shared->install_errno;
    memcpy(results, shared->results, count * sizeof(cordon_probe_result));
    munmap(shared, size);
    return status;
}

int cordon_exec_filtered(const cordon_insn *filter, unsigned short length,
                         const char *path, char *const argv[], int *failed_step) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) { *failed_step = 1; return errno; }
    if (load_synchronised(filter, length) != 0) { *failed_step = 2; return errno; }
    execv(path, argv);
    *failed_step = 3;
    return errno;
}
