#!/usr/bin/env bash
# Instructions executed per syscall: cordon -O0 and -O2 against libseccomp
# (its default filter and its binary tree), for the same x86_64 allowlists,
# weighted by a measured syscall mix (../shared/data/syscall-mix-x86_64.tsv).
# Prints a table per allowlist; asserts nothing. Needs libseccomp-dev
# (scripts/install-deps.sh).
#   Benchmarks/compare-libseccomp.sh [MIX.tsv]
set -euo pipefail
cd "$(dirname "$0")/.."
mix=${1:-../shared/data/syscall-mix-x86_64.tsv}
swift build -c release --product cordon >/dev/null
swift build -c release --product cordon-bench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/allowlist" Benchmarks/libseccomp/allowlist.c -lseccomp

# The x86_64 names this project knows (the generated table, in number order).
sed -n '/x86_64Source = """/,/^    """/p' Sources/CordonLinux/Generated/SyscallTables.swift \
  | awk 'NF == 2 {print $1}' > "$work/table"

compare() {
  local label=$1 list=$2
  mapfile -t names < "$list"
  printf 'x86_64 {\n    if {$nr in {%s}} { return allow }\n    return errno EPERM\n}\n' "${names[*]}" > "$work/policy.tcl"
  .build/release/cordon compile "$work/policy.tcl" -O0 -o "$work/O0.bpf"
  .build/release/cordon compile "$work/policy.tcl" -O2 -o "$work/O2.bpf"
  "$work/allowlist" "$work/plain.bpf" plain "${names[@]}"
  "$work/allowlist" "$work/tree.bpf" tree "${names[@]}"
  echo "== $label: ${#names[@]} syscalls allowed"
  .build/release/cordon-bench mix "$mix" libseccomp="$work/plain.bpf" libseccomp-tree="$work/tree.bpf" \
    cordon-O0="$work/O0.bpf" cordon-O2="$work/O2.bpf"
}

# The workload's own syscalls, as a tight allowlist has them.
grep -v '^#' "$mix" | cut -f1 | grep -Fxf "$work/table" > "$work/workload"
compare "the workload's syscalls" "$work/workload"

# A broad allowlist: the workload's syscalls and the table's others, 300 in all,
# as a container profile allows.
cat "$work/workload" "$work/table" | grep -vxE 'uretprobe|uprobe' | awk '!seen[$0]++' | head -300 > "$work/broad"
compare "a broad allowlist" "$work/broad"
