#!/usr/bin/env bash
# cordon's performance record, in one run on this machine: the filters
# cordon writes (-O0, -O2) beside libseccomp's (its default, -O1, and its
# binary tree, -O2) for the same policies; what each costs in the live
# kernel; how long cordon takes to compile generated policies of 500, 5,000
# and 50,000 rules, and its peak memory; and the emulator's speed.
# Prints figures, asserts nothing. Needs libseccomp-dev and python3-seccomp
# (scripts/install-deps.sh); the syscall mix comes from ../shared/data when
# present.
#   Benchmarks/run.sh [ROUNDS]      ROUNDS of the kernel's ABAB timing (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
mix=../shared/data/syscall-mix-x86_64.tsv
[ -f "$mix" ] || { mix=$(mktemp); printf 'read\t1\n' > "$mix"; }
cordon=$PWD/.build/release/cordon
bench=$PWD/.build/release/cordon-bench
# Build the release binaries when missing or older than a source. Under
# CORDON_BENCH_PREBUILT=1 (the README's test, inside `swift test`, which holds
# SwiftPM's lock; scripts/test.sh builds them first) they are used as they are.
for product in cordon cordon-bench; do
  binary=.build/release/$product
  if [ -n "${CORDON_BENCH_PREBUILT:-}" ]; then
    [ -x "$binary" ] || { echo "run.sh: $binary is missing: build it (scripts/test.sh does)" >&2; exit 1; }
  elif [ ! -x "$binary" ] || [ -n "$(find Sources Benchmarks/cordon-bench Package.swift -newer "$binary" -type f -print -quit)" ]; then
    swift build -c release --product "$product" >/dev/null
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/allowlist" Benchmarks/libseccomp/allowlist.c -lseccomp
cc -O2 -o "$work/kernel-ns" Benchmarks/libseccomp/kernel-ns.c

echo "# cordon benchmark, $(date -u +%Y-%m-%d), $(uname -r), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "# cordon $(git rev-parse --short HEAD 2>/dev/null || echo '?'), libseccomp $(dpkg-query -W -f='${Version}' libseccomp-dev 2>/dev/null || echo '?')"

# --- The workloads ----------------------------------------------------------
# Docker's default profile: cordon's import, and libseccomp's build as runc makes it.
cp Tests/Fixtures/docker/default.json "$work/"
"$cordon" import "$work/default.json" -o "$work/docker.tcl"
/usr/bin/python3 Tests/Fixtures/libseccomp/profile.py "$work/default.json" "$work/docker.lib1.bpf" --optimize 1
/usr/bin/python3 Tests/Fixtures/libseccomp/profile.py "$work/default.json" "$work/docker.lib2.bpf" --optimize 2

# 300 syscalls of the x86_64 table (number order), allowed; then the same with
# every third allowed only when args[0] == 3.
sed -n '/x86_64Source = """/,/^    """/p' Sources/CordonLinux/Generated/SyscallTables.swift \
  | awk 'NF == 2 {print $1}' | grep -vxE 'uretprobe|uprobe' | head -300 > "$work/names"
mapfile -t names < "$work/names"
printf 'x86_64 {\n    if {$nr in {%s}} { return allow }\n    return errno EPERM\n}\n' "${names[*]}" > "$work/allow300.tcl"
plain=() checked=()
for i in "${!names[@]}"; do
  if [ $((i % 3)) -eq 2 ]; then checked+=("${names[$i]}"); else plain+=("${names[$i]}"); fi
done
printf 'x86_64 {\n    if {$nr in {%s}} { return allow }\n    if {$nr in {%s} && $args(0) == 3} { return allow }\n    return errno EPERM\n}\n' \
  "${plain[*]}" "${checked[*]}" > "$work/args300.tcl"
"$work/allowlist" "$work/allow300.lib1.bpf" plain "${names[@]}"
"$work/allowlist" "$work/allow300.lib2.bpf" tree "${names[@]}"
"$work/allowlist" "$work/args300.lib1.bpf" plain --args "${names[@]}"
"$work/allowlist" "$work/args300.lib2.bpf" tree --args "${names[@]}"

# OpenSSH's hand-written preauth filter, and cordon's compile of its decompiled policy.
cp Tests/Fixtures/openssh/preauth-x86_64.bpf "$work/openssh.bpf"
"$cordon" decompile "$work/openssh.bpf" -o "$work/openssh.tcl"

for policy in docker allow300 args300 openssh; do
  "$cordon" compile "$work/$policy.tcl" -O0 --format raw -o "$work/$policy.O0.bpf" 2>/dev/null
  "$cordon" compile "$work/$policy.tcl" -O2 --format raw -o "$work/$policy.O2.bpf" 2>/dev/null
done
samples=()
for sample in samples/*.tcl; do
  name=$(basename "$sample" .tcl)
  "$cordon" compile "$sample" -O0 --format raw -o "$work/sample-$name.O0.bpf" 2>/dev/null
  "$cordon" compile "$sample" -O2 --format raw -o "$work/sample-$name.O2.bpf" 2>/dev/null
  samples+=("$name")
done

# --- Filters: length, executed instructions, cacheable syscalls ---------------
echo
echo "## Filters (instructions executed per syscall: every syscall of the table, arguments 0; mix: the measured x86_64 mix)"
row() { echo "$1=$work/$2"; }  # LABEL (no spaces) FILE
"$bench" table "$mix" \
  $(row "docker/cordon-O0" docker.O0.bpf) $(row "docker/cordon-O2" docker.O2.bpf) \
  $(row "docker/libseccomp-O1" docker.lib1.bpf) $(row "docker/libseccomp-O2" docker.lib2.bpf) \
  $(row "allow300/cordon-O0" allow300.O0.bpf) $(row "allow300/cordon-O2" allow300.O2.bpf) \
  $(row "allow300/libseccomp-O1" allow300.lib1.bpf) $(row "allow300/libseccomp-O2" allow300.lib2.bpf) \
  $(row "args300/cordon-O0" args300.O0.bpf) $(row "args300/cordon-O2" args300.O2.bpf) \
  $(row "args300/libseccomp-O1" args300.lib1.bpf) $(row "args300/libseccomp-O2" args300.lib2.bpf) \
  $(row "openssh/hand-written" openssh.bpf) $(row "openssh/cordon-O0" openssh.O0.bpf) $(row "openssh/cordon-O2" openssh.O2.bpf) \
  $(for s in "${samples[@]}"; do row "$s/cordon-O0" "sample-$s.O0.bpf"; row "$s/cordon-O2" "sample-$s.O2.bpf"; done)
echo
echo "## Ratios, cordon -O2 against libseccomp -O2 (length; mix mean)"
"$bench" table "$mix" $(row a docker.O2.bpf) $(row b docker.lib2.bpf) $(row c allow300.O2.bpf) $(row d allow300.lib2.bpf) \
  $(row e args300.O2.bpf) $(row f args300.lib2.bpf) | awk '
  NR > 1 { len[$1] = $2; mix[$1] = $(NF - 1) }
  END {
    split("docker allow300 args300", w, " ")
    split("a b c d e f", k, " ")
    for (i = 1; i <= 3; i++) printf "  %-10s length %.2fx   mix mean %.2fx\n", w[i], len[k[2*i-1]] / len[k[2*i]], mix[k[2*i-1]] / mix[k[2*i]]
  }'

# --- The kernel: nanoseconds per call, paired and repeated ---------------------
# A denied call (syscall 400: no x86_64 syscall has that number, so every filter
# refuses it and the bare kernel says ENOSYS) and an argument-checked one
# (personality(0xffffffff), a query Docker's profile checks by argument; for the
# allowlists, open(3), which args300 checks). Each round runs the bare kernel and
# the filter one after the other (ABAB); the medians are printed, with the
# filter's cost above the bare call.
echo
echo "## Kernel: ns per call, medians of $rounds ABAB rounds of 200,000 calls ($(uname -m))"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
measure() {  # LABEL FILTER NR ARG0
  local bare=() filtered=()
  for _ in $(seq "$rounds"); do
    bare+=("$("$work/kernel-ns" none "$3" "$4" 200000)")
    filtered+=("$("$work/kernel-ns" "$2" "$3" "$4" 200000 2>/dev/null || echo killed)")
  done
  local b f
  b=$(printf '%s\n' "${bare[@]}" | median)
  if printf '%s\n' "${filtered[@]}" | grep -q killed; then
    printf '  %-34s bare %7.1f   filtered: the filter kills this call\n' "$1" "$b"
    return
  fi
  f=$(printf '%s\n' "${filtered[@]}" | median)
  printf '  %-34s bare %7.1f   filtered %7.1f   cost %+7.1f\n' "$1" "$b" "$f" "$(echo "$f - $b" | bc -l)"
}
for pair in "docker cordon -O2:docker.O2.bpf" "docker libseccomp -O2:docker.lib2.bpf" "docker libseccomp -O1:docker.lib1.bpf"; do
  measure "${pair%%:*}, denied" "$work/${pair#*:}" 400 0
  measure "${pair%%:*}, personality(-1)" "$work/${pair#*:}" 135 0xffffffff
done
for pair in "allow300 cordon -O2:allow300.O2.bpf" "allow300 libseccomp -O2:allow300.lib2.bpf" \
            "args300 cordon -O2:args300.O2.bpf" "args300 libseccomp -O2:args300.lib2.bpf"; do
  measure "${pair%%:*}, denied" "$work/${pair#*:}" 400 0
  measure "${pair%%:*}, open(3)" "$work/${pair#*:}" 2 3
done
for pair in "openssh (hand-written):openssh.bpf" "openssh cordon -O2:openssh.O2.bpf"; do
  measure "${pair%%:*}, denied" "$work/${pair#*:}" 400 0
done

# --- The compiler at scale --------------------------------------------------------
# Generated rules: `if {$nr eq NAME && $args(A) == V} { return errno E }`, cycling
# through the table's syscalls: to a program, or to the size error when it cannot fit.
echo
echo "## Compiling generated policies (-O2, release, whole process)"
for n in 500 5000 50000; do
  awk -v n="$n" 'NR == FNR { name[c++] = $1; next } END {
      print "x86_64 {"
      for (i = 0; i < n; i++) printf "    if {$nr eq %s && $args(%d) == %d} { return errno %d }\n", name[i % c], i % 3, i, 1 + i % 30
      print "    return allow"; print "}" }' "$work/names" /dev/null > "$work/gen$n.tcl"
  out=$( { /usr/bin/time -f '%e %M' "$cordon" compile "$work/gen$n.tcl" --format raw -o "$work/gen$n.bpf" 2>&1 >/dev/null || true; } | tail -1)
  result="program of $(( $(stat -c %s "$work/gen$n.bpf" 2>/dev/null || echo 0) / 8 )) instructions"
  [ -f "$work/gen$n.bpf" ] || result="size error"
  printf '  %6d rules   %6.2f s   peak %4d MB   %s\n' "$n" "${out% *}" "$(( ${out#* } / 1024 ))" "$result"
done
# Issue 12's 1,000 rules over 20 syscalls, 3 arguments and 8 values: 480
# distinct tests (first match wins, so a repeated test is dead code).
awk 'BEGIN { split("read write open close stat fstat lstat poll lseek mmap mprotect munmap brk ioctl pread64 pwrite64 readv writev access pipe", n, " ")
    print "x86_64 {"
    for (i = 0; i < 1000; i++) printf "    if {$nr eq %s && $args(%d) == %d} { return errno %d }\n", n[i % 20 + 1], int(i / 20) % 3, int(i / 60) % 8, 1 + i % 30
    print "    return allow"; print "}" }' > "$work/rules1000.tcl"
"$cordon" compile "$work/rules1000.tcl" --format raw -o "$work/rules1000.bpf" -w 2>/dev/null || true
printf '  %-12s   %6d instructions (1,000 rules over 20 syscalls, 3 arguments, 8 values)\n' "1000 rules" "$(( $(stat -c %s "$work/rules1000.bpf" 2>/dev/null || echo 0) / 8 ))"
# The Docker sample is quick: the median of 21 runs, in milliseconds.
out=$( { /usr/bin/time -f '%e %M' "$cordon" compile samples/docker-default.tcl --format raw -o "$work/d.bpf" 2>&1 >/dev/null; } | tail -1)
runs=()
for _ in $(seq 21); do
  start=$(date +%s%N)
  "$cordon" compile samples/docker-default.tcl --format raw -o "$work/d.bpf" 2>/dev/null
  runs+=($(( ($(date +%s%N) - start) / 1000 )))
done
median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 11p)
printf '  %-12s   %6.1f ms (median of 21 runs)   peak %4d MB\n' "Docker sample" "$(echo "$median" | awk '{ print $1 / 1000 }')" "$(( ${out#* } / 1024 ))"

# --- The search over syscall numbers against the optimal one ---------------------
echo
echo "## Search over syscall numbers against the optimal search (lower bound)"
"$bench" bound samples/docker-default.tcl samples/stdio.tcl samples/no-namespaces.tcl

# --- The emulator -----------------------------------------------------------------
echo
echo "## Emulator"
"$bench"
