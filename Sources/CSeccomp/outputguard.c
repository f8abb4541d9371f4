/* Removing a half-written temporary output file when cordon is interrupted;
 * see cseccomp.h. The handler uses only async-signal-safe calls. */
#define _GNU_SOURCE
#include "cseccomp.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static char guarded_path[4096];
static volatile sig_atomic_t guarding;

static void remove_and_die(int signo) {
    if (guarding) unlink(guarded_path);
    signal(signo, SIG_DFL);
    raise(signo);
}

void cordon_output_guard_set(const char *path) {
    static int installed;
    if (!installed) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = remove_and_die;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, NULL);
        sigaction(SIGTERM, &action, NULL);
        sigaction(SIGHUP, &action, NULL);
        installed = 1;
    }
    guarding = 0;
    size_t n = strlen(path);
    if (n >= sizeof guarded_path) return; /* too long to remember: never unlink a cut name */
    memcpy(guarded_path, path, n + 1);
    guarding = 1;
}

void cordon_output_guard_clear(void) {
    guarding = 0;
}
