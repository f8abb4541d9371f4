/* Random libseccomp filters with argument rules, for the exact analysis's
 * tests: `random OUTDIR COUNT SEED` writes COUNT programs r0.bpf ... with
 * seccomp_export_bpf. Each has a random default action, one to three ABIs
 * (x86_64, i386, x32), and up to 16 rules on a few syscalls with up to three
 * argument comparisons of every operator (masked equality included),
 * against 32- and 64-bit values. Rules libseccomp refuses are skipped. */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static uint64_t state;

static uint64_t next(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t value(void) {
    switch (next() % 6) {
    case 0: return next() % 8;
    case 1: return next() & 0xFFFFFFFFULL;
    case 2: return next();
    case 3: return 0x100000000ULL | (next() % 4);
    case 4: return 1ULL << (next() % 64);
    default: return 0xFFFFFFFF00000000ULL | (next() % 16);
    }
}

static uint32_t action(void) {
    switch (next() % 6) {
    case 0: return SCMP_ACT_ALLOW;
    case 1: return SCMP_ACT_ERRNO(1 + next() % 40);
    case 2: return SCMP_ACT_TRAP;
    case 3: return SCMP_ACT_LOG;
    case 4: return SCMP_ACT_KILL_PROCESS;
    default: return SCMP_ACT_ERRNO(EPERM);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: random OUTDIR COUNT SEED\n"); return 2; }
    int count = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 0);
    const char *names[] = {"read", "write", "socket", "mmap", "mprotect", "ioctl", "kill", "openat", "clone", "personality", "futex", "prctl"};
    const enum scmp_compare ops[] = {SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ};
    for (int i = 0; i < count; i++) {
        uint32_t fallback = action();
        scmp_filter_ctx ctx = seccomp_init(fallback == SCMP_ACT_ALLOW ? SCMP_ACT_ERRNO(EPERM) : fallback);
        if (!ctx) return 1;
        if (next() % 2) seccomp_arch_add(ctx, SCMP_ARCH_X86);
        if (next() % 3 == 0) seccomp_arch_add(ctx, SCMP_ARCH_X32);
        int rules = 1 + (int)(next() % 16);
        for (int r = 0; r < rules; r++) {
            const char *name = names[next() % (sizeof names / sizeof *names)];
            int nr = seccomp_syscall_resolve_name(name);
            unsigned n = (unsigned)(next() % 4);
            struct scmp_arg_cmp cmp[3];
            for (unsigned c = 0; c < n && c < 3; c++) {
                cmp[c].arg = (unsigned)(next() % 6);
                cmp[c].op = ops[next() % (sizeof ops / sizeof *ops)];
                cmp[c].datum_a = value();
                cmp[c].datum_b = value();
                if (cmp[c].op == SCMP_CMP_MASKED_EQ) cmp[c].datum_b &= cmp[c].datum_a;
            }
            uint32_t act = action();
            if (act == (fallback == SCMP_ACT_ALLOW ? SCMP_ACT_ERRNO(EPERM) : fallback)) continue;
            (void)seccomp_rule_add_array(ctx, act, nr, n > 3 ? 3 : n, cmp);
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/r%d.bpf", argv[1], i);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0) { perror(path); return 1; }
        close(fd);
        seccomp_release(ctx);
    }
    return 0;
}
