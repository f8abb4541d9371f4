#!/usr/bin/python3
"""Builds a Docker/OCI seccomp profile with libseccomp, as runc loads it,
and writes the raw BPF that libseccomp exports: the filter a container
really gets, for cordon's decompile and diff tests.

    profile.py PROFILE.json OUT.bpf [--arch amd64] [--cap CAP_X ...] [--optimize 1|2]

Needs Debian's python3-seccomp (scripts/install-deps.sh); run it with
/usr/bin/python3, whose site has the binding. The reading follows moby's
setupSeccomp and runc's seccomp loader, as cordon's import does
(docs/usage.md, "Importing Docker/OCI profiles"):

- the host's archMap entry gives the architectures;
- a rule applies unless excludes.arches has the host, excludes.caps a
  granted capability, or excludes.minKernel is met; it needs includes.arches
  (if any) to have the host and every includes.caps granted; every minKernel
  counts as met;
- an argument index named twice makes each condition a rule of its own;
- SCMP_ACT_ERRNO and SCMP_ACT_TRACE without errnoRet use EPERM;
- names libseccomp does not know are skipped, as runc skips them.

--optimize 2 asks for libseccomp's binary tree (SCMP_FLTATR_CTL_OPTIMIZE),
as a benchmark compares both. The bad-architecture action is libseccomp's own, KILL (a thread), as runc
leaves it.
"""
import json
import sys

import seccomp

ARCHES = {
    "SCMP_ARCH_X86_64": seccomp.Arch.X86_64, "SCMP_ARCH_X86": seccomp.Arch.X86,
    "SCMP_ARCH_X32": seccomp.Arch.X32, "SCMP_ARCH_AARCH64": seccomp.Arch.AARCH64,
    "SCMP_ARCH_ARM": seccomp.Arch.ARM, "SCMP_ARCH_RISCV64": getattr(seccomp.Arch, "RISCV64", None),
    "SCMP_ARCH_PPC64LE": seccomp.Arch.PPC64LE, "SCMP_ARCH_S390X": seccomp.Arch.S390X,
}
HOST = {"amd64": "SCMP_ARCH_X86_64", "arm64": "SCMP_ARCH_AARCH64", "riscv64": "SCMP_ARCH_RISCV64",
        "ppc64le": "SCMP_ARCH_PPC64LE", "s390x": "SCMP_ARCH_S390X"}
OPS = {"SCMP_CMP_NE": seccomp.NE, "SCMP_CMP_LT": seccomp.LT, "SCMP_CMP_LE": seccomp.LE,
       "SCMP_CMP_EQ": seccomp.EQ, "SCMP_CMP_GE": seccomp.GE, "SCMP_CMP_GT": seccomp.GT,
       "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ}


def action(name, errno):
    """runc's actions, with EPERM where the profile gives no errno."""
    data = 1 if errno is None else errno
    if name == "SCMP_ACT_ALLOW":
        return seccomp.ALLOW
    if name == "SCMP_ACT_ERRNO":
        return seccomp.ERRNO(data)
    if name in ("SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD"):
        return seccomp.KILL
    if name == "SCMP_ACT_KILL_PROCESS":
        return seccomp.KILL_PROCESS
    if name == "SCMP_ACT_TRAP":
        return seccomp.TRAP
    if name == "SCMP_ACT_TRACE":
        return seccomp.TRACE(data)
    if name == "SCMP_ACT_LOG":
        return seccomp.LOG
    raise SystemExit("profile.py: unknown action %r" % name)


def applies(rule, host, caps):
    """moby's filter for includes and excludes (every minKernel met)."""
    inc, exc = rule.get("includes") or {}, rule.get("excludes") or {}
    if host in (exc.get("arches") or []) or any(c in caps for c in exc.get("caps") or []):
        return False
    if exc.get("minKernel"):
        return False
    if inc.get("arches") and host not in inc["arches"]:
        return False
    return all(c in caps for c in inc.get("caps") or [])


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    source, out, rest = argv[1], argv[2], argv[3:]
    host, caps, optimize = "amd64", set(), 1
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--arch":
            host = value
        elif flag == "--cap":
            caps.update(value.split(","))
        elif flag == "--optimize":
            optimize = int(value)
        else:
            raise SystemExit("profile.py: unknown option %s" % flag)
    with open(source) as f:
        profile = json.load(f)
    f = seccomp.SyscallFilter(action(profile["defaultAction"], profile.get("defaultErrnoRet")))
    if optimize != 1:
        f.set_attr(seccomp.Attr.CTL_OPTIMIZE, optimize)  # refused once the filter has no architecture
    f.remove_arch(seccomp.Arch.NATIVE)
    entry = next(e for e in profile["archMap"] if e["architecture"] == HOST[host])
    for name in [entry["architecture"]] + entry.get("subArchitectures", []):
        if ARCHES.get(name) is not None:
            f.add_arch(ARCHES[name])
    for rule in profile["syscalls"]:
        if not applies(rule, host, caps):
            continue
        act = action(rule["action"], rule.get("errnoRet"))
        conditions = [seccomp.Arg(a["index"], OPS[a["op"]], a["value"], a.get("valueTwo", 0))
                      for a in rule.get("args") or []]
        indexes = [a["index"] for a in rule.get("args") or []]
        groups = [[c] for c in conditions] if len(set(indexes)) < len(indexes) else [conditions]
        for name in rule["names"]:
            for group in groups:
                try:
                    f.add_rule(act, name, *group)
                except (RuntimeError, ValueError):
                    pass  # a name this libseccomp does not know: runc skips it
    with open(out, "wb") as o:
        f.export_bpf(o)


if __name__ == "__main__":
    main(sys.argv)
