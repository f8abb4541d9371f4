/* Writes filters built with libseccomp's own API as raw BPF, for cordon's
 * tests: each NAME.bpf in the output folder is what seccomp_export_bpf
 * writes for that policy. Build: cc export.c -lseccomp -o export; run:
 * ./export OUTDIR. */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void fail(const char *what, int rc) {
    fprintf(stderr, "export: %s: %s\n", what, strerror(-rc));
    exit(1);
}

static void export_to(scmp_filter_ctx ctx, const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.bpf", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { perror(path); exit(1); }
    int rc = seccomp_export_bpf(ctx, fd);
    if (rc < 0) fail(name, rc);
    close(fd);
    seccomp_release(ctx);
}

#define RULE(ctx, action, name, ...) do { \
    int rc_ = seccomp_rule_add(ctx, action, SCMP_SYS(name), __VA_ARGS__); \
    if (rc_ < 0) fail(#name, rc_); } while (0)

static void add_arches(scmp_filter_ctx ctx, int i386, int x32) {
    if (i386 && seccomp_arch_add(ctx, SCMP_ARCH_X86) < 0) fail("arch x86", -EINVAL);
    if (x32 && seccomp_arch_add(ctx, SCMP_ARCH_X32) < 0) fail("arch x32", -EINVAL);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: export OUTDIR\n"); return 2; }
    const char *dir = argv[1];
    scmp_filter_ctx ctx;

    /* An allowlist: the default kills, a few calls allowed. */
    ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    const char *allowed[] = {"read", "write", "close", "exit_group", "brk", "mmap", "futex", "openat", "fstat", "lseek"};
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++) {
        int nr = seccomp_syscall_resolve_name(allowed[i]);
        int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
        if (rc < 0) fail(allowed[i], rc);
    }
    export_to(ctx, dir, "allowlist");

    /* dropnet's shape: sockets only for AF_UNIX, on three ABIs. */
    ctx = seccomp_init(SCMP_ACT_ALLOW);
    add_arches(ctx, 1, 1);
    RULE(ctx, SCMP_ACT_ERRNO(EINVAL), socket, 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX));
    RULE(ctx, SCMP_ACT_ERRNO(ENOSYS), socketcall, 0);
    export_to(ctx, dir, "nonet");

    /* 64-bit argument tests of every comparison, masks, several actions. */
    ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    add_arches(ctx, 1, 0);
    RULE(ctx, SCMP_ACT_ALLOW, read, 1, SCMP_A2(SCMP_CMP_LE, 4096));
    RULE(ctx, SCMP_ACT_ALLOW, write, 1, SCMP_A0(SCMP_CMP_EQ, 1));
    RULE(ctx, SCMP_ACT_ALLOW, write, 1, SCMP_A0(SCMP_CMP_EQ, 2));
    RULE(ctx, SCMP_ACT_TRAP, kill, 1, SCMP_A1(SCMP_CMP_GT, 0x100000000ULL));
    RULE(ctx, SCMP_ACT_LOG, mmap, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, 4, 4));
    RULE(ctx, SCMP_ACT_TRACE(7), mprotect, 2, SCMP_A2(SCMP_CMP_MASKED_EQ, 4, 0), SCMP_A1(SCMP_CMP_GE, 8192));
    RULE(ctx, SCMP_ACT_KILL_THREAD, ptrace, 1, SCMP_A0(SCMP_CMP_LT, 16));
    RULE(ctx, SCMP_ACT_ERRNO(EACCES), openat, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY));
    RULE(ctx, SCMP_ACT_ALLOW, exit_group, 0);
    export_to(ctx, dir, "arguments");

    /* A long allowlist, so libseccomp's binary tree shows up. */
    ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
    if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0) fail("optimize", -EINVAL);
    for (int nr = 0; nr < 330; nr += 3) {
        char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
        if (!name) continue;
        free(name);
        int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
        if (rc < 0) fail("tree", rc);
    }
    export_to(ctx, dir, "tree");

    /* Docker's default profile's socket and personality rules, for x32 alone,
     * as runc hands them to libseccomp: libseccomp compares x32 arguments at
     * 32 bits (its x32 is a 32-bit ABI). */
    ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE) < 0) fail("remove native", -EINVAL);
    if (seccomp_arch_add(ctx, SCMP_ARCH_X32) < 0) fail("arch x32", -EINVAL);
    RULE(ctx, SCMP_ACT_ALLOW, socket, 1, SCMP_A0(SCMP_CMP_LT, 38));
    RULE(ctx, SCMP_ACT_ALLOW, socket, 1, SCMP_A0(SCMP_CMP_EQ, 39));
    RULE(ctx, SCMP_ACT_ALLOW, socket, 1, SCMP_A0(SCMP_CMP_GT, 40));
    const unsigned long personas[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};
    for (size_t i = 0; i < sizeof personas / sizeof *personas; i++)
        RULE(ctx, SCMP_ACT_ALLOW, personality, 1, SCMP_A0(SCMP_CMP_EQ, personas[i]));
    export_to(ctx, dir, "docker-x32");
    return 0;
}
