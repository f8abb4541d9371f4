#!/usr/bin/env bash
# Generates Sources/CordonLinux/Generated/SyscallParameterTables.swift: for
# every syscall of every architecture, its parameters' kernel names, widths
# in bytes and argument slots (scripts/python/syscall_args.py says how).
# Sources, in scripts/data/ (see its README): google/kafel's x86_64 and i386
# tables, and the kernel's own declarations for the syscalls Kafel does not
# know and for the architectures that declare one differently (clone's order,
# s390x's mmap). A syscall without known parameters stops the script.
#
#   scripts/gen-syscall-args.sh           rewrite the Swift table
#   scripts/gen-syscall-args.sh --check   exit 1 if the committed table differs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Sources/CordonLinux/Generated/SyscallParameterTables.swift"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/lib-generated.sh
. "$root/scripts/lib-generated.sh"
python3 "$root/scripts/python/syscall_args.py" "$root/Sources/CordonLinux/Generated/SyscallTables.swift" "$root/scripts/data" > "$work/out.swift"
finish_generated gen-syscall-args "$out" "$work/out.swift" "${1:-}"
