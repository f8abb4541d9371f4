/* The user-notification supervisor's system side; see cseccomp.h.
 *
 * How the listener reaches the parent: the child is cloned with CLONE_FILES,
 * so it shares the parent's descriptor table until it execs. The listener
 * that seccomp(2) installs in the child is therefore already the parent's
 * descriptor; the child publishes its number through shared memory (a
 * memory write, not a system call: every system call after loading is
 * already filtered) and execs. execve unshares the table and closes the
 * child's copy (the listener is close-on-exec), so the parent holds the only
 * reference: when the parent dies the listener closes and every notified
 * call of the command fails with ENOSYS. No ptrace permission is needed, as
 * pidfd_getfd would need. */
#define _GNU_SOURCE
#include "cseccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

extern char **environ;

/* Written by the child before it execs, read by the parent. */
struct spawn_shared {
    volatile int state; /* 0 starting, 1 loaded, 2 failed before exec */
    volatile int listener;
    volatile int failed_step;
    volatile int error;
};

enum { STARTING = 0, LOADED = 1, FAILED = 2 };

static _Noreturn void child_fail(struct spawn_shared *shared, int step, int error) {
    shared->failed_step = step;
    shared->error = error;
    __atomic_store_n(&shared->state, FAILED, __ATOMIC_RELEASE);
    syscall(SYS_exit_group, 126);
    for (;;) { }
}

int cordon_supervise_spawn(const cordon_insn *filter, unsigned short length,
                           const char *path, char *const argv[], cordon_spawned *out) {
    memset(out, 0, sizeof *out);
    out->listener = -1;
    out->pidfd = -1;
    if (cordon_thread_count() != 1) { out->failed_step = CORDON_SPAWN_MULTITHREADED; return -1; }
    struct spawn_shared *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
                                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) { out->failed_step = CORDON_SPAWN_SYSTEM; out->error = errno; return -1; }
    memset((void *)shared, 0, sizeof *shared);
    /* Orphans of the command become ours, so none outlives the run. */
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

    long pid = syscall(SYS_clone, (unsigned long)(CLONE_FILES | SIGCHLD), 0, 0, 0, 0);
    if (pid < 0) {
        out->failed_step = CORDON_SPAWN_SYSTEM;
        out->error = errno;
        munmap((void *)shared, sizeof *shared);
        return -1;
    }
    if (pid == 0) {
        /* Child: raw system calls and memory writes only until execve. */
        if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) child_fail(shared, CORDON_SPAWN_NO_NEW_PRIVS, errno);
        struct sock_fprog prog = {.len = length, .filter = (struct sock_filter *)filter};
        /* WAIT_KILLABLE_RECV (5.19): once the supervisor has a call, only a
         * fatal signal interrupts its wait, so signal-heavy programs (Go's
         * preemption) do not restart the call for ever. */
        long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                          SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
        if (fd < 0 && errno == EINVAL)
            fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
        if (fd < 0) child_fail(shared, CORDON_SPAWN_LOAD, errno);
        shared->listener = (int)fd;
        __atomic_store_n(&shared->state, LOADED, __ATOMIC_RELEASE);
        execve(path, argv, environ);
        /* Still sharing the table: the parent reads the error from here. */
        shared->failed_step = CORDON_SPAWN_EXEC;
        shared->error = errno;
        syscall(SYS_exit_group, errno == ENOENT ? 127 : 126);
        for (;;) { }
    }

    out->pid = (int)pid;
    for (;;) {
        int state = __atomic_load_n(&shared->state, __ATOMIC_ACQUIRE);
        if (state == LOADED) break;
        if (state == FAILED) {
            out->failed_step = shared->failed_step;
            out->error = shared->error;
            waitpid((pid_t)pid, NULL, 0);
            munmap((void *)shared, sizeof *shared);
            return -1;
        }
        int status;
        if (waitpid((pid_t)pid, &status, WNOHANG) == (pid_t)pid) {
            out->failed_step = CORDON_SPAWN_DIED;
            out->error = status;
            munmap((void *)shared, sizeof *shared);
            return -1;
        }
        struct timespec pause = {0, 20000};
        nanosleep(&pause, NULL);
    }
    out->listener = shared->listener;
    /* Linux 6.6: the kernel switches straight between the caller and the
     * supervisor on one CPU instead of waking the other side elsewhere. An
     * older kernel refuses the ioctl; the wake-ups are only slower then. */
    ioctl(out->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
    out->pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
    /* The exec failure, if any, is read after the child exits. */
    out->shared = (void *)shared;
    return 0;
}

int cordon_spawn_exec_error(const cordon_spawned *spawned) {
    const struct spawn_shared *shared = spawned->shared;
    return shared && shared->failed_step == CORDON_SPAWN_EXEC ? shared->error : 0;
}

void cordon_spawn_release(cordon_spawned *spawned) {
    if (spawned->shared) munmap(spawned->shared, sizeof(struct spawn_shared));
    spawned->shared = NULL;
}

/* The notification buffers must be as large as the kernel's structures,
 * which may grow: sized once from SECCOMP_GET_NOTIF_SIZES. */
static size_t notif_size, resp_size;

static void notif_sizes(void) {
    if (notif_size) return;
    struct seccomp_notif_sizes sizes = {0};
    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0) {
        notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ? sizes.seccomp_notif : sizeof(struct seccomp_notif);
        resp_size = sizes.seccomp_notif_resp > sizeof(struct seccomp_notif_resp) ? sizes.seccomp_notif_resp : sizeof(struct seccomp_notif_resp);
    } else {
        notif_size = sizeof(struct seccomp_notif);
        resp_size = sizeof(struct seccomp_notif_resp);
    }
}

int cordon_notification_receive(int listener, cordon_notification *out) {
    notif_sizes();
    struct seccomp_notif *notif = calloc(1, notif_size);
    if (!notif) return -1;
    int r = ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, notif);
    if (r == 0) {
        out->id = notif->id;
        out->pid = notif->pid;
        out->nr = (uint32_t)notif->data.nr;
        out->arch = notif->data.arch;
        out->ip = notif->data.instruction_pointer;
        for (int i = 0; i < 6; i++) out->args[i] = notif->data.args[i];
    }
    int saved = errno;
    free(notif);
    errno = saved;
    return r;
}

int cordon_notification_valid(int listener, uint64_t id) {
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

int cordon_notification_respond(int listener, uint64_t id, int64_t value, int32_t error, int proceed) {
    notif_sizes();
    struct seccomp_notif_resp *resp = calloc(1, resp_size);
    if (!resp) return -1;
    resp->id = id;
    if (proceed) {
        resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    } else {
        resp->val = value;
        resp->error = error;
    }
    int r = ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
    int saved = errno;
    free(resp);
    errno = saved;
    return r;
}

/* Signals to pass on: written to a pipe by the handler, read by the loop. */
static int forward_pipe[2] = {-1, -1};

static void note_signal(int signo, siginfo_t *info, void *context) {
    (void)context;
    /* A terminal's SIGINT reaches the whole foreground group, the command
     * included (si_code SI_KERNEL): only a signal some process sent to
     * cordon alone is passed on. */
    if (info && info->si_code > 0) return;
    unsigned char byte = (unsigned char)signo;
    int saved = errno;
    (void)!write(forward_pipe[1], &byte, 1);
    errno = saved;
}

int cordon_signal_forwarding_start(void) {
    if (forward_pipe[0] >= 0) return forward_pipe[0];
    if (pipe2(forward_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = note_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaction(forwarded[i], &action, NULL);
    return forward_pipe[0];
}

int cordon_signal_thread(int process, int thread, int signo) {
    return (int)syscall(SYS_tgkill, process, thread, signo);
}
