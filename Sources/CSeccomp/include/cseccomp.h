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
