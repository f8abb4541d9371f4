/* cseccomp: what Swift cannot say for cordon's kernel interface.
 *
 * Raw system calls (x86_64 `syscall`, i386 `int $0x80` from a 64-bit
 * process), filter installation, and the kernel probe: load a filter in a
 * forked child, make system calls there and report what the kernel decided.
 */
#ifndef CSECCOMP_H
#define CSECCOMP_H

#include <stddef.h>
#include <stdint.h>

/** One BPF instruction, laid out as the kernel's `struct sock_filter`. */
typedef struct cordon_insn {
    uint16_t code;
    uint8_t jt;
    uint8_t jf;
    uint32_t k;
} cordon_insn;

/** How a probe call enters the kernel. */
enum cordon_call_mode {
    CORDON_CALL_SYSCALL64 = 0, /* the `syscall` instruction: x86_64, or x32 with bit 30 in nr */
    CORDON_CALL_INT80 = 1      /* `int $0x80`: the i386 ABI from a 64-bit process */
};

/** One system call for the probe to make under the filter. */
typedef struct cordon_probe_call {
    uint32_t mode;
    uint32_t nr;
    uint64_t args[6];
} cordon_probe_call;

/** What one probe call returned: the raw return value and the instruction
 *  pointer the kernel saw (the address after the trapping instruction). */
typedef struct cordon_probe_result {
    int64_t ret;
    uint64_t ip;
} cordon_probe_result;

/** Probe outcome codes (the function's return value). */
enum cordon_probe_status {
    CORDON_PROBE_OK = 0,            /* filter loaded (or refused, see install_errno), calls made */
    CORDON_PROBE_MULTITHREADED = 1, /* refused to fork: the caller has more than one thread */
    CORDON_PROBE_SYSTEM = 2,        /* mmap or fork failed; errno set */
    CORDON_PROBE_CHILD_DIED = 3,    /* the child died before it finished; *child_status set */
    CORDON_PROBE_TIMEOUT = 4        /* the child did not finish in time */
};

/**
 * Loads `filter` in a forked child (no_new_privs set first) and makes each
 * call there, writing results to `results`. `*install_errno` is 0 when the
 * kernel accepted the filter, else the errno of seccomp(2); no call is made
 * then. Never loads anything into the calling process. The filter must make
 * every call fail without running it (rewrite its returns into errnos), since
 * the child's calls are real system calls. `*completed` is the number of
 * calls that returned, also when the child died (a filter returning
 * KILL_THREAD or KILL_PROCESS for the next call kills it).
 */
int cordon_probe(const cordon_insn *filter, unsigned short length,
                 const cordon_probe_call *calls, size_t count,
                 cordon_probe_result *results, int *install_errno,
                 int *child_status, size_t *completed, unsigned timeout_ms);

/** Number of threads of the calling process, from /proc/self/status (-1 if unknown). */
int cordon_thread_count(void);

/** Sets no_new_privs and loads `filter` into every thread of the calling
 *  process (seccomp(2) with SECCOMP_FILTER_FLAG_TSYNC). Returns 0, or -1 with
 *  errno set (EBUSY when a thread could not be synchronised: nothing is
 *  loaded then).
 *  Irreversible. */
int cordon_install_filter(const cordon_insn *filter, unsigned short length);

#endif

#ifndef CSECCOMP_EXEC_H
#define CSECCOMP_EXEC_H
/** Sets no_new_privs, loads `filter` into every thread of this process
 *  (TSYNC, failing closed as cordon_install_filter does) and replaces it with
 *  `path` (argv as given, the current environment). Returns only on
 *  failure, with the errno of the step that failed in `*failed_step`
 *  (1 no_new_privs, 2 loading, 3 exec). */
int cordon_exec_filtered(const cordon_insn *filter, unsigned short length,
                         const char *path, char *const argv[], int *failed_step);
#endif

#ifndef CSECCOMP_OUTPUT_GUARD_H
#define CSECCOMP_OUTPUT_GUARD_H
/** Remembers `path`, a temporary output file being written, so that SIGINT,
 *  SIGTERM or SIGHUP remove it before the process dies of the signal. The
 *  handlers are installed on the first call. At most one path at a time. */
void cordon_output_guard_set(const char *path);
/** Forgets the path given to cordon_output_guard_set. */
void cordon_output_guard_clear(void);
#endif

#ifndef CSECCOMP_SUPERVISE_H
#define CSECCOMP_SUPERVISE_H
/** Which step of starting a supervised command failed. */
enum cordon_spawn_step {
    CORDON_SPAWN_MULTITHREADED = 1, /* refused: the caller has more than one thread */
    CORDON_SPAWN_SYSTEM = 2,        /* mmap or clone failed */
    CORDON_SPAWN_NO_NEW_PRIVS = 3,  /* the child could not set no_new_privs */
    CORDON_SPAWN_LOAD = 4,          /* the kernel refused the filter or the listener */
    CORDON_SPAWN_EXEC = 5,          /* execve failed after loading (read after the child exits) */
    CORDON_SPAWN_DIED = 6           /* the child died before loading; error is its wait status */
};

/** A command started under a filter whose listener the caller holds. */
typedef struct cordon_spawned {
    int pid;
    int pidfd;       /* readable when the command's first process exits; -1 if pidfd_open failed */
    int listener;    /* the user-notification listener, held only by the caller once the child execs */
    int failed_step; /* a cordon_spawn_step when the function returns -1 */
    int error;       /* the errno of the failed step */
    void *shared;    /* the page the child reports an exec failure in */
} cordon_spawned;

/** One notified system call: SECCOMP_IOCTL_NOTIF_RECV's answer. */
typedef struct cordon_notification {
    uint64_t id;
    uint32_t pid;
    uint32_t nr;
    uint32_t arch;
    uint64_t ip;
    uint64_t args[6];
} cordon_notification;

/**
 * Starts `path` (argv as given, the current environment) in a child that
 * sets no_new_privs and loads `filter` with SECCOMP_FILTER_FLAG_NEW_LISTENER;
 * the caller gets the listener and never loads a filter itself. The caller
 * becomes a child subreaper, so the command's orphans are its children.
 * Must be called single-threaded. Returns 0, or -1 with `out->failed_step`.
 */
int cordon_supervise_spawn(const cordon_insn *filter, unsigned short length,
                           const char *path, char *const argv[], cordon_spawned *out);
/** The errno of a failed exec after the filter was loaded, else 0. */
int cordon_spawn_exec_error(const cordon_spawned *spawned);
/** Frees what cordon_supervise_spawn kept for cordon_spawn_exec_error. */
void cordon_spawn_release(cordon_spawned *spawned);
/** Receives one notification. Returns 0, or -1 with errno (ENOENT: the
 *  caller died or was interrupted before it was read). */
int cordon_notification_receive(int listener, cordon_notification *out);
/** Whether the call `id` is still waiting (its task was not killed meanwhile). */
int cordon_notification_valid(int listener, uint64_t id);
/** Answers call `id`: with `proceed` the kernel runs it (FLAG_CONTINUE),
 *  else it returns `value`, or -`error` when `error` is nonzero. */
int cordon_notification_respond(int listener, uint64_t id, int64_t value, int32_t error, int proceed);
/** Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGQUIT that write the
 *  signal's number to a pipe, when a process sent it (not a terminal, which
 *  signals the command too). Returns the pipe's read end (non-blocking). */
int cordon_signal_forwarding_start(void);
/** Sends `signo` to one thread of a process (tgkill). */
int cordon_signal_thread(int process, int thread, int signo);
#endif

#ifndef CSECCOMP_DUMP_H
#define CSECCOMP_DUMP_H
/**
 * Reads the seccomp filters of process `pid` with
 * ptrace(PTRACE_SECCOMP_GET_FILTER) in ptrace's order (index 0 is the
 * oldest filter, as measured on Linux 6.18): the process is
 * seized and stopped for the reads, then let go. Filter i has `lengths[i]`
 * instructions, stored one after another in `buffer` (room for `capacity`);
 * `*filters` is how many were read (at most `max_filters`). Returns 0 or an
 * errno, with `*failed_step` 1 (attaching) or 2 (reading: EACCES without
 * CAP_SYS_ADMIN or under seccomp, EINVAL when the process has no filter or
 * the kernel lacks CONFIG_CHECKPOINT_RESTORE).
 */
int cordon_dump_filters(int pid, cordon_insn *buffer, size_t capacity, size_t *lengths,
                        size_t max_filters, size_t *filters, int *failed_step);
#endif

#ifndef CSECCOMP_FEATURES_H
#define CSECCOMP_FEATURES_H
/**
 * seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action): 0 when the kernel knows
 * the action, else the errno (EOPNOTSUPP: it does not; EINVAL/ENOSYS: the
 * kernel predates the operation or seccomp).
 */
int cordon_action_available(uint32_t action);
/**
 * Whether the kernel knows filter flags `flags`, asked without loading
 * anything: seccomp(SECCOMP_SET_MODE_FILTER, flags, NULL) checks the flags
 * before it reads the program, so EFAULT means known and EINVAL unknown
 * (libseccomp asks the same way). Returns the errno of the call.
 */
int cordon_filter_flag_errno(uint32_t flags);
/**
 * seccomp(SECCOMP_GET_NOTIF_SIZES): the sizes of struct seccomp_notif,
 * seccomp_notif_resp and seccomp_data as the kernel has them; 0 or the errno.
 */
int cordon_notification_sizes(uint16_t *notif, uint16_t *response, uint16_t *data);
#endif
