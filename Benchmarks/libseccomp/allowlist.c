/* Writes libseccomp's program for an x86_64 allowlist: the syscalls named on
 * the command line are allowed, everything else fails with EPERM.
 *   allowlist OUT.bpf {plain|tree} [--args] NAME...
 * "tree" asks libseccomp for its binary-tree dispatch (SCMP_FLTATR_CTL_OPTIMIZE 2).
 * With --args, every third syscall is allowed only when args[0] == 3. */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: allowlist OUT.bpf {plain|tree} NAME...\n"); return 2; }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (!ctx) return 1;
    if (strcmp(argv[2], "tree") == 0 && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0) {
        fprintf(stderr, "allowlist: this libseccomp has no binary tree\n");
        return 1;
    }
    int first = 3, args = 0;
    if (argc > 3 && strcmp(argv[3], "--args") == 0) { args = 1; first = 4; }
    for (int i = first; i < argc; i++) {
        int nr = seccomp_syscall_resolve_name(argv[i]);
        if (nr == __NR_SCMP_ERROR) { fprintf(stderr, "allowlist: unknown syscall %s\n", argv[i]); return 1; }
        int rc = args && (i - first) % 3 == 2 ? seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, 3))
                                               : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
        if (rc < 0) { fprintf(stderr, "allowlist: cannot add %s\n", argv[i]); return 1; }
    }
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0) { perror(argv[1]); return 1; }
    close(fd);
    seccomp_release(ctx);
    return 0;
}
