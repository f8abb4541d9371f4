/*
 * cordon's preload template. `cordon preload POLICY -o NAME.so` compiles it
 * with the policy's generated header (cordon_filter.h, identifiers prefixed
 * @NAME@_) into a shared object that installs the filter when it is loaded:
 *
 *     LD_PRELOAD=./@NAME@.so make          every program of the build is filtered
 *     enable -f ./@NAME@.so @NAME@         a bash session filters itself (dropnet style)
 *
 * The filter is installed from a constructor, before the host program's
 * main. If it cannot be installed, the process writes one line on standard
 * error and exits with status 111: it never runs unfiltered.
 *
 * You may edit this file; `cordon preload --template FILE` uses your copy.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cordon_filter.h"

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

__attribute__((constructor))
static void cordon_preload_install(void)
{
    if (@NAME@_install() != 0)
        cordon_fail("cannot install the seccomp filter @NAME@", errno);
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
