/*
 * cordon's preload template. `cordon preload POLICY -o NAME.so` compiles it
 * with the policy's generated header (cordon_filter.h, identifiers prefixed
 * @NAME@_) into a shared object that installs the filter when it is loaded:
 *
 *     LD_PRELOAD=$PWD/@NAME@.so make       every program of the build is filtered
 *     enable -f ./@NAME@.so @NAME@         a bash session filters itself (dropnet style)
 *
 * The filter is installed from a constructor, before the host program's
 * main, into every thread of the process (SECCOMP_FILTER_FLAG_TSYNC). If it
 * cannot be installed, the process writes one line on standard error and
 * exits with status 111: it never runs unfiltered.
 *
 * A filter survives exec, and every program a preloaded build starts loads
 * this object again. So that the filters do not pile up until the kernel
 * refuses one (its limit is 32768 instructions over the whole stack), the
 * installed program starts with a marker: close() of one particular
 * negative descriptor, @COOKIE@ (derived from this filter), fails with
 * errno 4093 instead of EBADF. The constructor makes that call first and
 * loads nothing when the kernel answers with the marker: only a process
 * whose filter stack already holds this filter can get that answer, and a
 * process without it just sees EBADF and loads the filter.
 *
 * You may edit this file; `cordon preload --template FILE` uses your copy.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cordon_filter.h"

#if defined(__x86_64__) && defined(__ILP32__)
#define CORDON_AUDIT_ARCH AUDIT_ARCH_X86_64 /* x32: SYS_close carries the x32 bit */
#elif defined(__x86_64__)
#define CORDON_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define CORDON_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define CORDON_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__)
#define CORDON_AUDIT_ARCH AUDIT_ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define CORDON_AUDIT_ARCH AUDIT_ARCH_RISCV64
#else
#error "cordon's preload template knows x86_64, x32, i386, aarch64, arm and riscv64"
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CORDON_ARG0_LOW offsetof(struct seccomp_data, args[0])
#else
#define CORDON_ARG0_LOW (offsetof(struct seccomp_data, args[0]) + 4)
#endif

#define CORDON_MARK_FD (@COOKIE@)
#define CORDON_MARK_ERRNO 4093
#define CORDON_MARK_LENGTH 7
#define CORDON_FILTER_LENGTH (sizeof(@NAME@_filter) / sizeof(@NAME@_filter[0]))

static void cordon_fail(const char *what, int error)
{
    const char *reason = strerror(error);
    /* Only write(2) and _exit(2): the process is not fully set up yet. */
    (void)!write(2, "cordon: ", 8);
    (void)!write(2, what, strlen(what));
    (void)!write(2, ": ", 2);
    (void)!write(2, reason, strlen(reason));
    (void)!write(2, "\n", 1);
    _exit(111);
}

/* The marker, then the policy's program unchanged (its jumps are relative). */
static struct sock_filter cordon_program[CORDON_MARK_LENGTH + CORDON_FILTER_LENGTH] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CORDON_AUDIT_ARCH, 0, 5),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close, 0, 3),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CORDON_ARG0_LOW),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)CORDON_MARK_FD, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | CORDON_MARK_ERRNO),
};

__attribute__((constructor))
static void cordon_preload_install(void)
{
    struct sock_fprog prog;
    long r;
    int saved = errno;
    /* Already filtered by this very program (inherited across exec)? */
    if (syscall(SYS_close, CORDON_MARK_FD) == -1 && errno == CORDON_MARK_ERRNO) {
        errno = saved;
        return;
    }
    memcpy(cordon_program + CORDON_MARK_LENGTH, @NAME@_filter, sizeof(@NAME@_filter));
    prog.len = (unsigned short)(CORDON_MARK_LENGTH + CORDON_FILTER_LENGTH);
    prog.filter = cordon_program;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        cordon_fail("cannot set no_new_privs for the seccomp filter @NAME@", errno);
    /* Every thread, or none: with TSYNC the kernel loads nothing and returns
     * the id of a thread it could not synchronise. */
    r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
    if (r > 0)
        cordon_fail("cannot install the seccomp filter @NAME@ in every thread", EBUSY);
    if (r != 0)
        cordon_fail("cannot install the seccomp filter @NAME@", errno);
    errno = saved;
}

/*
 * bash's loadable builtin interface, without bash's headers: `enable -f
 * FILE NAME` looks up the symbol NAME_struct, a `struct builtin`. The
 * builtin itself does nothing; loading the file installed the filter.
 */
struct cordon_word_list;
struct cordon_bash_builtin {
    const char *name;
    int (*function)(struct cordon_word_list *);
    int flags;
    const char *const *long_doc;
    const char *short_doc;
    char *handle;
};

static int @NAME@_builtin(struct cordon_word_list *list)
{
    (void)list;
    return 0;
}

static const char *const @NAME@_doc[] = {
    "This shell runs under the seccomp filter @NAME@, installed when it was loaded.",
    "The filter cannot be removed; every command started from here inherits it.",
    0,
};

struct cordon_bash_builtin @NAME@_struct = {
    "@NAME@", @NAME@_builtin, 1 /* BUILTIN_ENABLED */, @NAME@_doc, "@NAME@", 0,
};
