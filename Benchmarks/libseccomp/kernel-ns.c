/* The kernel's cost of a syscall under a seccomp filter: loads FILTER.bpf
 * (or nothing, for "none") into this process, then times CALLS calls of
 * syscall NR with args[0] = ARG0 and prints the nanoseconds per call. Run
 * it as its own process: a loaded filter can never be removed.
 *   kernel-ns FILTER.bpf|none NR ARG0 CALLS */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: kernel-ns FILTER.bpf|none NR ARG0 CALLS\n"); return 2; }
    long nr = strtol(argv[2], NULL, 0), calls = strtol(argv[4], NULL, 0);
    unsigned long arg0 = strtoul(argv[3], NULL, 0);
    if (strcmp(argv[1], "none") != 0) {
        static struct sock_filter code[4096];
        FILE *f = fopen(argv[1], "rb");
        if (!f) { perror(argv[1]); return 1; }
        size_t n = fread(code, sizeof code[0], 4096, f);
        fclose(f);
        struct sock_fprog prog = { .len = (unsigned short)n, .filter = code };
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
            perror("seccomp");
            return 1;
        }
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < calls; i++) syscall(nr, arg0, 0, 0, 0, 0, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
    printf("%.1f\n", ns / (double)calls);
    return 0;
}
