#!/usr/bin/env bash
# Generates Sources/CordonLinux/Generated/SyscallTables.swift: every syscall
# name and number of each architecture cordon supports, up to Linux 7.2.
#
# The numbers come from the `system-calls` package on PyPI (version 7.2, MIT
# licence, https://github.com/hrw/syscalls-table), whose tables reach Linux
# 7.2 for every architecture. They are cross-checked against the kernel UAPI
# headers installed here: the host's x86 headers (x86_64, i386, x32) and
# Debian's linux-libc-dev-*-cross packages (aarch64, arm, riscv64, ppc64le,
# s390x; scripts/install-deps.sh installs them). For each architecture the
# __NR_* macros are listed with the preprocessor and a small C program prints
# their values, so every header number is the header's own. A name both know
# with different numbers stops the generator. Names only the headers define
# (syscalls the kernel has retired, whose numbers stay reserved: uselib,
# _sysctl, ...) are kept, marked as such, so a policy can still refuse them by
# name. loongarch64 has no cross headers in this Debian release: its table is
# the package's alone, and the generator says so.
#
#   scripts/gen-syscalls.sh           rewrite the Swift table
#   scripts/gen-syscalls.sh --check   exit 1 if the committed table differs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Sources/CordonLinux/Generated/SyscallTables.swift"
cc=${CC:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/lib-generated.sh
. "$root/scripts/lib-generated.sh"
# shellcheck source=scripts/pypi-package.sh
. "$root/scripts/pypi-package.sh"

# arch | package table | include dir | header | extra preprocessor flags
archs=(
  "x86_64|x86_64|/usr/include/x86_64-linux-gnu|asm/unistd_64.h|"
  "i386|i386|/usr/include/x86_64-linux-gnu|asm/unistd_32.h|"
  "x32|x32|/usr/include/x86_64-linux-gnu|asm/unistd.h|-D__ILP32__"
  "aarch64|arm64|/usr/aarch64-linux-gnu/include|asm/unistd.h|"
  "arm|arm|/usr/arm-linux-gnueabihf/include|asm/unistd.h|-D__ARM_EABI__"
  "riscv64|riscv64|/usr/riscv64-linux-gnu/include|asm/unistd.h|"
  "ppc64le|powerpc64|/usr/powerpc64le-linux-gnu/include|asm/unistd_64.h|"
  "s390x|s390x|/usr/s390x-linux-gnu/include|asm/unistd_64.h|"
  "loongarch64|loongarch64|||"
)

# header_table ARCH INCLUDE HEADER FLAGS: "name number" lines from the headers.
header_table() {
  local arch=$1 inc=$2 header=$3 flags=$4
  if [ ! -f "$inc/$header" ]; then
    echo "gen-syscalls: $inc/$header is missing (run scripts/install-deps.sh)" >&2
    exit 1
  fi
  local incs=(-nostdinc -I"$inc")
  [ "$inc" = /usr/include/x86_64-linux-gnu ] && incs+=(-I/usr/include)
  # shellcheck disable=SC2086
  echo "#include <$header>" | "$cc" -E -dM "${incs[@]}" $flags -x c - \
    | sed -nE 's/^#define (__NR_|__ARM_NR_)([a-z0-9_]+)[ (].*/\1\2 \2/p' \
    | grep -vE '^__NR_(syscalls|arch_specific_syscall) ' | sort -u > "$work/$arch.names"
  {
    echo "#include <$header>"
    echo "int printf(const char *, ...);"
    echo "int main(void) {"
    while read -r macro name; do
      echo "  printf(\"%s %lu\\n\", \"$name\", (unsigned long)($macro));"
    done < "$work/$arch.names"
    echo "  return 0;"
    echo "}"
  } > "$work/$arch.c"
  # shellcheck disable=SC2086
  "$cc" "${incs[@]}" $flags -w -o "$work/$arch.bin" "$work/$arch.c"
  "$work/$arch.bin" | sort -k2,2n -k1,1 > "$work/headers/$arch"
}

mkdir -p "$work/headers"
specs=()
for spec in "${archs[@]}"; do
  IFS='|' read -r arch table inc header flags <<< "$spec"
  if [ -n "$inc" ]; then
    header_table "$arch" "$inc" "$header" "$flags"
    specs+=("$arch|$table|\`$header\` from \`$inc\`${flags:+ with \`$flags\`}")
  else
    specs+=("$arch|$table|")
  fi
done

package=$(pypi_package system-calls 7.2)
PYTHONPATH="$package" python3 "$root/scripts/python/syscall_tables.py" "$work/headers" "${specs[@]}" > "$work/SyscallTables.swift"
finish_generated gen-syscalls "$out" "$work/SyscallTables.swift" "${1:-}"
