/* Reading a process's seccomp filters with ptrace(PTRACE_SECCOMP_GET_FILTER);
 * see cseccomp.h. */
#define _GNU_SOURCE
#include "cseccomp.h"

#include <errno.h>
#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

int cordon_dump_filters(int pid, cordon_insn *buffer, size_t capacity, size_t *lengths,
                        size_t max_filters, size_t *filters, int *failed_step) {
    *filters = 0;
    if (ptrace(PTRACE_SEIZE, pid, 0, 0) != 0) { *failed_step = 1; return errno; }
    if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) != 0) {
        int e = errno;
        ptrace(PTRACE_DETACH, pid, 0, 0);
        *failed_step = 1;
        return e;
    }
    int status;
    if (waitpid(pid, &status, __WALL) != pid) {
        int e = errno;
        ptrace(PTRACE_DETACH, pid, 0, 0);
        *failed_step = 1;
        return e;
    }
    int error = 0;
    size_t used = 0;
    for (size_t index = 0; index < max_filters; index++) {
        long count = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)index, NULL);
        if (count < 0) {
            if (errno != ENOENT || index == 0) { error = errno; *failed_step = 2; }
            break;
        }
        if (used + (size_t)count > capacity) { error = ENOSPC; *failed_step = 2; break; }
        long got = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)index, buffer + used);
        if (got != count) { error = got < 0 ? errno : EIO; *failed_step = 2; break; }
        lengths[index] = (size_t)count;
        used += (size_t)count;
        *filters = index + 1;
    }
    ptrace(PTRACE_DETACH, pid, 0, 0);
    return error;
}
