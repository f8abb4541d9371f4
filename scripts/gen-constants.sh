#!/usr/bin/env bash
# Generates Sources/CordonLinux/Generated/ConstantTables.swift: the constant
# names a policy may use (errno values, AF_*, SOCK_*, IPPROTO_*, O_*, AT_*,
# F_*, CLONE_*, PROT_*, MAP_*, MADV_*, PR_*, ioctl requests, SECCOMP_*,
# signals, IP_*, IPV6_*, SO_*, SOL_*, TCP_*, MSG_*, MFD_*, GRND_*, FUTEX_*,
# KEYCTL_*, the bpf(2) commands, IORING_* setup flags and opcodes, ...),
# with the values of the Linux headers on this machine.
#
# The bpf(2) commands (BPF_MAP_CREATE, ...) and io_uring's opcodes
# (IORING_OP_SOCKET, ...) are enum constants, not macros: their names are
# read from the enum's body in the header and printed like the macros.
#
# Kernel ABI constants come from the UAPI headers alone (the kernel's values,
# which is what a filter sees: glibc's O_LARGEFILE is 0 on x86_64, the
# kernel's is 0100000). The socket families, types and flags, which the UAPI
# headers do not export, come from glibc's <sys/socket.h>. The UAPI program is
# compiled again against the aarch64, arm, riscv64, ppc64le and s390x cross
# headers; values that differ from x86's become per-architecture overrides.
# loongarch64 has no cross headers in this Debian release; cordon gives it
# riscv64's values, since both take every header these constants come from
# (fcntl, mman, socket, signal, termbits, ioctls) from asm-generic.
#
# Each group's macros are listed with the preprocessor, then a C program
# prints them as integers; a macro that is not an integer constant expression
# (a pointer, a struct, a string) fails to compile and is left out.
#
#   scripts/gen-constants.sh           rewrite the Swift table
#   scripts/gen-constants.sh --check   exit 1 if the committed table differs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Sources/CordonLinux/Generated/ConstantTables.swift"
cc=${CC:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/lib-generated.sh
. "$root/scripts/lib-generated.sh"

uapi_headers=(
  linux/fcntl.h linux/sched.h linux/mman.h linux/prctl.h asm/termbits.h asm/ioctls.h linux/serial.h
  linux/seccomp.h linux/audit.h linux/futex.h linux/netlink.h linux/net.h
  linux/ptrace.h linux/capability.h asm/signal.h linux/mount.h linux/random.h
  linux/stat.h linux/resource.h linux/in.h linux/kcmp.h linux/personality.h
  linux/in6.h linux/tcp.h asm/socket.h linux/memfd.h linux/keyctl.h linux/io_uring.h linux/bpf.h
)
uapi_pattern='^(O_|AT_|F_|FD_|CLONE_|PROT_|MAP_|MADV_|MREMAP_|MFD_|MCL_|PR_|TIOC|FIO|TC[A-Z]|SECCOMP_|SIG[A-Z]|SA_|AUDIT_ARCH_|FUTEX_|NETLINK_|SYS_[A-Z]|PTRACE_|CAP_|MS_|MNT_|MOUNT_ATTR_|MOVE_MOUNT_|OPEN_TREE_|FSOPEN_|FSMOUNT_|FSCONFIG_|GRND_|S_I[FRWX]|STATX_|RLIMIT_|RLIM_|IPPROTO_|KCMP_|PER_|ADDR_|IP_|IPV6_|SO_|SOL_|TCP_|KEYCTL_|IORING_SETUP_|IORING_ENTER_|IORING_REGISTER_|IORING_FEAT_)'
uapi_exclude='^(SIGRTMIN|SIGRTMAX|SIGSTKSZ|MINSIGSTKSZ|SIG_BLOCK|SIG_UNBLOCK|SIG_SETMASK|CAP_LAST_CAP|PR_SET_MM_MAP_SIZE)$'
libc_headers=(sys/socket.h netinet/in.h netinet/tcp.h)
libc_pattern='^(AF_|PF_|SOCK_|MSG_|SOL_|SCM_|SHUT_)'

# macro_names FILE.c PATTERN EXCLUDE FLAGS...: object-like macros matching PATTERN.
macro_names() {
  local src=$1 pattern=$2 exclude=$3; shift 3
  "$cc" -E -dM "$@" "$src" | sed -nE 's/^#define ([A-Za-z0-9_]+) .*/\1/p' \
    | grep -E "$pattern" | grep -vE "$exclude" | sort -u
}

# print_values NAME PROLOGUE-FILE NAMES-FILE FLAGS...: "NAME VALUE" lines,
# dropping the names that are not integer constants.
print_values() {
  local tag=$1 prologue=$2 names=$3; shift 3
  local prog="$work/$tag.c" list="$work/$tag.list"
  cp "$names" "$list"
  for attempt in 1 2 3 4 5 6; do
    { cat "$prologue"
      echo "int printf(const char *, ...);"
      echo "int main(void) {"
      while read -r name; do
        echo "  printf(\"%s %lld\\n\", \"$name\", (long long)(($name) * 1LL));"
      done < "$list"
      echo "  return 0;"
      echo "}"; } > "$prog"
    if "$cc" "$@" -w -o "$work/$tag.bin" "$prog" 2> "$work/$tag.err"; then
      "$work/$tag.bin" | sort -k1,1
      return 0
    fi
    # Drop the names on the failing lines (main starts on line P+3).
    local first=$(( $(wc -l < "$prologue") + 3 ))
    grep -oE "$prog:[0-9]+:" "$work/$tag.err" | sed -E 's/.*:([0-9]+):$/\1/' | sort -un \
      | awk -v f="$first" '$1 >= f {print $1 - f + 1}' > "$work/$tag.drop"
    if [ ! -s "$work/$tag.drop" ]; then cat "$work/$tag.err" >&2; exit 1; fi
    awk 'NR==FNR {drop[$1]=1; next} !(FNR in drop)' "$work/$tag.drop" "$list" > "$list.new"
    mv "$list.new" "$list"
  done
  echo "gen-constants: could not compile the $tag program" >&2
  exit 1
}

uapi_prologue="$work/uapi.h"
printf '#include <%s>\n' "${uapi_headers[@]}" > "$uapi_prologue"
libc_prologue="$work/libc.h"
{ echo "#define _GNU_SOURCE"; printf '#include <%s>\n' "${libc_headers[@]}"; } > "$libc_prologue"
errno_prologue="$work/errno.h"
echo "#include <asm/errno.h>" > "$errno_prologue"

x86=(-nostdinc -I/usr/include/x86_64-linux-gnu -I/usr/include)
# enum_names HEADER ENUM: the constants of `enum ENUM { ... }` in HEADER.
enum_names() {
  awk -v start="enum $2 {" 'index($0, start) == 1 {inside = 1; next} inside && /^};/ {exit}
    inside {gsub(/\/\*.*\*\//, ""); if (match($0, /^[ \t]*[A-Z][A-Z0-9_]*/)) {n = substr($0, RSTART, RLENGTH); gsub(/[ \t]/, "", n); print n}}' "$1"
}
{ macro_names "$uapi_prologue" "$uapi_pattern" "$uapi_exclude" "${x86[@]}"
  enum_names /usr/include/linux/bpf.h bpf_cmd | grep -vE '^(__MAX_BPF_CMD|BPF_PROG_RUN)$'
  enum_names /usr/include/linux/io_uring.h io_uring_op | grep -v '^IORING_OP_LAST$'
} | sort -u > "$work/uapi.names"
print_values uapi "$uapi_prologue" "$work/uapi.names" "${x86[@]}" > "$work/uapi.values"
macro_names "$libc_prologue" "$libc_pattern" '^$' > "$work/libc.names"
print_values libc "$libc_prologue" "$work/libc.names" > "$work/libc.values"
macro_names "$errno_prologue" '^E[A-Z0-9]+$' '^$' "${x86[@]}" > "$work/errno.names"
print_values errno "$errno_prologue" "$work/errno.names" "${x86[@]}" | sort -k2,2n -k1,1 > "$work/errno.values"

# One table: UAPI values win over glibc's for a name both define.
sort -k1,1 -u "$work/uapi.values" "$work/libc.values" "$work/errno.values" > "$work/common.values"

overrides() {
  local arch=$1 inc=$2 flags=$3
  if [ ! -d "$inc" ]; then
    echo "gen-constants: $inc is missing (run scripts/install-deps.sh)" >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  print_values "uapi-$arch" "$uapi_prologue" "$work/uapi.names" -nostdinc -I"$inc" $flags \
    | join -j1 - "$work/uapi.values" | awk '$2 != $3 {print $1, $2}'
}

{
  echo "// Generated by scripts/gen-constants.sh from the Linux UAPI headers and glibc's"
  echo "// <sys/socket.h>. Do not edit: run the script again. One line a constant:"
  echo "// name, then its value as a signed 64-bit integer."
  echo
  echo "extension ConstantTable {"
  echo "    /// The x86 values (x86_64, i386, x32): $(wc -l < "$work/common.values") names."
  echo "    static let commonSource = \"\"\""
  sed 's/^/    /' "$work/common.values"
  echo "    \"\"\""
  echo
  echo "    /// The errno names, by value: $(wc -l < "$work/errno.values") names."
  echo "    static let errnoSource = \"\"\""
  sed 's/^/    /' "$work/errno.values"
  echo "    \"\"\""
  for spec in "aarch64|/usr/aarch64-linux-gnu/include|" "arm|/usr/arm-linux-gnueabihf/include|-D__ARM_EABI__" \
              "riscv64|/usr/riscv64-linux-gnu/include|" "ppc64le|/usr/powerpc64le-linux-gnu/include|-D__powerpc64__ -D__LITTLE_ENDIAN__" \
              "s390x|/usr/s390x-linux-gnu/include|-D__s390x__ -D__s390__"; do
    IFS='|' read -r arch inc flags <<< "$spec"
    overrides "$arch" "$inc" "$flags" > "$work/$arch.over"
    echo
    echo "    /// Where $arch's headers differ from x86's: $(wc -l < "$work/$arch.over") names."
    echo "    static let ${arch}Overrides = \"\"\""
    sed 's/^/    /' "$work/$arch.over"
    echo "    \"\"\""
  done
  echo "}"
} > "$work/ConstantTables.swift"

finish_generated gen-constants "$out" "$work/ConstantTables.swift" "${1:-}"
