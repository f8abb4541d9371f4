"""Writes Sources/CordonLinux/Generated/SyscallParameterTables.swift (see
scripts/gen-syscall-args.sh): each syscall's parameters, per architecture,
with the kernel's names, their width in bytes as the kernel reads them, and
the argument slot each one occupies.

usage: syscall_args.py SYSCALL-TABLES.swift DATA-DIR
Stops with a message when a syscall of any table has no known parameters:
a missing fact is an error, never a guess.
"""
import os
import re
import sys

ARCHES = ["x86_64", "i386", "x32", "aarch64", "arm", "riscv64", "ppc64le", "s390x", "loongarch64"]
THIRTY_TWO = {"i386", "arm"}
X32_COMPAT_FIRST = 0x4000_0000 + 512

# C types by how the kernel reads them; a type outside these sets is an error.
LONG = {"long", "unsigned long", "size_t", "ssize_t", "off_t", "aio_context_t", "uintptr_t", "old_sigset_t",
        "cap_user_header_t", "cap_user_data_t", "__sighandler_t", "compat_uptr_t"}
WIDE = {"loff_t", "u64", "__u64", "s64", "__s64", "long long", "unsigned long long"}
INT = {"int", "unsigned int", "unsigned", "u32", "__u32", "s32", "__s32", "uint32_t", "pid_t", "uid_t", "gid_t",
       "qid_t", "key_t", "key_serial_t", "mqd_t", "clockid_t", "timer_t", "rwf_t", "compat_ulong_t", "compat_long_t",
       "compat_size_t", "compat_pid_t"}
SHORT = {"umode_t", "old_uid_t", "old_gid_t"}
problems = []


def fail(message):
    problems.append(message)


def syscall_tables(path):
    """{arch: [(name, number, retired)]} from the generated Swift tables."""
    text = open(path).read()
    tables = {}
    for m in re.finditer(r'static let (\w+)Source = """\n(.*?)\n    """', text, re.S):
        rows = []
        for line in m.group(2).splitlines():
            parts = line.split()
            rows.append((parts[0], int(parts[1]), len(parts) == 3 and parts[2] == "header"))
        tables[m.group(1)] = rows
    return tables


def kafel(path):
    """{number: [(name, bytes)]} from a Kafel table."""
    table = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        params = []
        for f in fields[2:]:
            if f:
                name, size = f.split(":")
                params.append((name, int(size)))
        table[int(fields[1])] = params
    return table


def parse_declaration(decl, where):
    """[(type, name)] of `long sys_x(type name, ...)`."""
    m = re.match(r"^\s*\w+\s+\w+\((.*)\)\s*$", decl)
    if not m:
        fail(f"{where}: cannot read the declaration '{decl}'")
        return []
    inside = m.group(1).strip()
    if inside == "void":
        return []
    params = []
    for part in inside.split(","):
        part = part.strip()
        pointer = "*" in part
        words = part.replace("*", " ").split()
        words = [w for w in words if w not in ("const", "volatile", "__user", "__force")]
        if len(words) < 2:
            fail(f"{where}: a parameter without a name in '{decl}'")
            return []
        name = words[-1]
        kind = " ".join(words[:-1])
        params.append(("pointer" if pointer else kind, name))
    return params


def declarations(path):
    """{section: {name: [(type, name)]}} and {arch: set of unimplemented names}."""
    sections = {}
    unimplemented = {}
    section = None
    for number, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^\[(unimplemented |kafel )?(\w+)\]$", line)
        if m:
            if m.group(1) == "kafel ":
                section = ("unimplemented", "kafel-corrections")
                unimplemented.setdefault("kafel-corrections", set())
            elif m.group(1):
                section = ("unimplemented", m.group(2))
                unimplemented.setdefault(m.group(2), set())
            else:
                section = m.group(2)
                sections.setdefault(section, {})
            continue
        if isinstance(section, tuple):
            unimplemented[section[1]].update(line.split())
            continue
        name, decl = line.split(":", 1)
        sections[section][name.strip()] = parse_declaration(decl.strip(), f"kernel-syscalls.txt:{number}")
    return sections, unimplemented


def width(kind, arch, where):
    """Bytes of a C type as the kernel reads it on `arch`."""
    bits32 = arch in THIRTY_TWO
    if kind == "pointer" or kind in LONG:
        return 4 if bits32 else 8
    if kind in WIDE:
        return 8
    if kind in INT or kind.startswith("enum "):
        return 4
    if kind in SHORT:
        return 2
    fail(f"{where}: unknown parameter type '{kind}'")
    return 0


def place(params, arch, where):
    """[(name, bytes, slot)]: 32-bit ABIs split an 8-byte value over two
    slots, low word first; arm's EABI starts such a pair at an even slot."""
    placed = []
    slot = 0
    for name, size in params:
        if arch in THIRTY_TWO and size == 8:
            if arch == "arm" and slot % 2 == 1:
                slot += 1
            placed.append((name, size, slot))
            slot += 2
        else:
            placed.append((name, size, slot))
            slot += 1
    if slot > 6:
        fail(f"{where}: the parameters need {slot} argument slots")
    return placed


def main():
    tables = syscall_tables(sys.argv[1])
    data = sys.argv[2]
    k64 = kafel(os.path.join(data, "kafel-x86_64.tsv"))
    k32 = kafel(os.path.join(data, "kafel-i386.tsv"))
    sections, unimplemented = declarations(os.path.join(data, "kernel-syscalls.txt"))
    common = sections.get("all", {})
    x86_64 = {n: v for n, v, _ in tables["x86_64"]}
    i386 = {n: v for n, v, _ in tables["i386"]}

    def from_kafel(arch, name, number):
        if arch == "x86_64":
            return k64.get(number)
        if arch == "i386":
            return k32.get(number)
        if arch == "arm" or (arch == "x32" and number >= X32_COMPAT_FIRST):
            return k32.get(i386[name]) if name in i386 else None
        return k64.get(x86_64[name]) if name in x86_64 else None

    def from_declaration(decl, arch, where):
        return [(pname, width(kind, arch, where)) for kind, pname in decl]

    blocks = []
    for arch in ARCHES:
        lines = []
        for name, number, retired in tables[arch]:
            where = f"{arch} {name}"
            if retired or name in unimplemented.get(arch, set()):
                lines.append(f"{name} -")
                continue
            params = None
            if name in sections.get(arch, {}):
                params = from_declaration(sections[arch][name], arch, where)
            else:
                known = from_kafel(arch, name, number)
                corrected = unimplemented.get("kafel-corrections", set())
                if known is not None:
                    params = known
                    if name in common:
                        declared = from_declaration(common[name], arch, where)
                        if [s for _, s in declared] != [s for _, s in known]:
                            if name in corrected:
                                params = declared
                            else:
                                fail(f"{where}: Kafel's widths {known} disagree with the kernel's declaration {declared}")
                        elif name in corrected:
                            fail(f"{where}: listed in [kafel corrections] but Kafel agrees with the kernel")
                elif name in common:
                    params = from_declaration(common[name], arch, where)
            if params is None:
                fail(f"{where} ({number}): no parameters known (add its declaration to scripts/data/kernel-syscalls.txt)")
                continue
            if arch == "x32" and number >= X32_COMPAT_FIRST:
                placed = [(p, s, i) for i, (p, s) in enumerate(params)]  # 64-bit registers: nothing is split
            else:
                placed = place(params, arch, where)
            lines.append(" ".join([name] + [f"{p}:{s}:{i}" for p, s, i in placed]))
        body = "\n".join("    " + line for line in lines)
        blocks.append(f"    /// {len(lines)} syscalls.\n    static let {arch}Parameters = \"\"\"\n{body}\n    \"\"\"")
    if problems:
        for p in problems:
            print("gen-syscall-args: " + p, file=sys.stderr)
        sys.exit(1)
    print("// Generated by scripts/gen-syscall-args.sh from google/kafel's syscall tables")
    print("// (Apache-2.0) and the kernel's declarations in scripts/data/kernel-syscalls.txt.")
    print("// Do not edit: run the script again. One line a syscall: its name, then each")
    print("// parameter as NAME:BYTES:SLOT (BYTES as the kernel reads it; on i386 and arm an")
    print("// 8-byte value fills SLOT and SLOT+1, low word first); `-` marks a syscall the")
    print("// kernel does not implement (it fails with ENOSYS).")
    print()
    print("extension SyscallParameters {")
    print("\n\n".join(blocks))
    print("}")


main()
