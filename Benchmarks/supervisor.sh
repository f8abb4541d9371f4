#!/usr/bin/env bash
# What supervision costs: the slowdown of `cordon learn` and of
# `cordon run --audit` against a plain run, for real workloads (git, tar,
# cc, make), and the cost of one notified call. Prints figures; asserts
# nothing. Usage: Benchmarks/supervisor.sh [REPEATS]   (default 5; medians)
# Uses the release build (built here if missing) and a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-5}
[ -x .build/release/cordon ] || swift build -c release --product cordon >/dev/null
cordon="$PWD/.build/release/cordon"
work=$(mktemp -d "${TMPDIR:-/tmp}/cordon-bench-supervisor.XXXXXX")
trap 'rm -rf "$work"' EXIT

export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org LC_ALL=C
mkdir -p "$HOME"

# Each workload: a setup (files in the current folder) and a script.
setup_git()  { mkdir -p src; for i in $(seq 20); do echo "file $i" > "src/f$i.txt"; done; }
script_git='git init -q . && git add . && git commit -q -m first'
setup_tar()  { mkdir -p src; for i in $(seq 50); do head -c 20000 /dev/urandom | base64 > "src/f$i.txt"; done; }
script_tar='tar czf a.tgz src && mkdir out && tar xzf a.tgz -C out'
setup_cc()   { printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' > hello.c; }
script_cc='cc -O1 -o hello hello.c'
setup_make() { printf 'all: one two\none:\n\t@echo 1 > one\ntwo: one\n\t@cat one > two\n' > Makefile; }
script_make='make -s'

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Runs "$@" in a fresh copy of workload $1's folder; prints milliseconds.
time_one() {
  local name=$1; shift
  local dir="$work/run.$RANDOM$RANDOM"
  mkdir -p "$dir"; (cd "$dir" && "setup_$name")
  local start end
  start=$(now); (cd "$dir" && "$@" >/dev/null 2>"$work/stderr") || { echo "failed: $*" >&2; cat "$work/stderr" >&2; exit 1; }
  end=$(now); rm -rf "$dir"
  echo $(( (end - start) / 1000 ))
}

# Median over the repeats, modes alternating (ABCD ABCD ...).
printf 'refuse-all policy: every call notified and decided by the interpreter\n'
printf 'x86_64 {\n    return errno EPERM\n}\ni386 {\n    return errno EPERM\n}\n' > "$work/refuse-all.tcl"
printf '\n%-6s %10s %18s %24s %24s %10s\n' workload "plain ms" "learn ms (x)" "audit learned ms (x)" "audit refuse-all (x)" "calls"
for name in git tar cc make; do
  script_var="script_$name"; script=${!script_var}
  dir="$work/learn.$name"; mkdir -p "$dir"; (cd "$dir" && "setup_$name")
  (cd "$dir" && "$cordon" learn -o "$work/$name.tcl" -- sh -c "$script" >/dev/null 2>"$work/learn.err")
  calls=$(sed -n 's/^cordon learn: \([0-9]*\) calls.*/\1/p' "$work/learn.err")
  plain=(); learn=(); audit=(); strict=()
  for _ in $(seq "$repeats"); do
    plain+=("$(time_one "$name" sh -c "$script")")
    learn+=("$(time_one "$name" "$cordon" learn -o "$work/again.tcl" -- sh -c "$script")")
    audit+=("$(time_one "$name" "$cordon" run "$work/$name.tcl" --audit -- sh -c "$script")")
    strict+=("$(time_one "$name" "$cordon" run "$work/refuse-all.tcl" --audit --report-file "$work/report.txt" -- sh -c "$script")")
  done
  p=$(printf '%s\n' "${plain[@]}" | median); l=$(printf '%s\n' "${learn[@]}" | median)
  a=$(printf '%s\n' "${audit[@]}" | median); s=$(printf '%s\n' "${strict[@]}" | median)
  printf '%-6s %10.1f %11.1f (%4.2f) %17.1f (%4.2f) %17.1f (%4.2f) %10s\n' "$name" \
    "$(echo "$p/1000" | bc -l)" "$(echo "$l/1000" | bc -l)" "$(echo "$l/$p" | bc -l)" \
    "$(echo "$a/1000" | bc -l)" "$(echo "$a/$p" | bc -l)" "$(echo "$s/1000" | bc -l)" "$(echo "$s/$p" | bc -l)" "$calls"
done

# One notified call: a program making N getppid calls, plain and under learn.
n=200000
printf '#include <unistd.h>\n#include <stdlib.h>\nint main(int c, char **v) { long n = atol(v[1]); for (long i = 0; i < n; i++) getppid(); return 0; }\n' > "$work/calls.c"
cc -O2 -o "$work/calls" "$work/calls.c"
plain=(); learn=(); audit=()
printf 'x86_64 {\n    if {$nr eq getppid} { return errno EPERM }\n    return allow\n}\n' > "$work/getppid.tcl"
for _ in $(seq "$repeats"); do
  s=$(now); "$work/calls" $n; e=$(now); plain+=($(( (e - s) / 1000 )))
  s=$(now); "$cordon" learn -o "$work/calls.tcl" -- "$work/calls" $n 2>/dev/null; e=$(now); learn+=($(( (e - s) / 1000 )))
  s=$(now); "$cordon" run "$work/getppid.tcl" --audit --report-file "$work/r.txt" -- "$work/calls" $n 2>/dev/null; e=$(now); audit+=($(( (e - s) / 1000 )))
done
p=$(printf '%s\n' "${plain[@]}" | median); l=$(printf '%s\n' "${learn[@]}" | median); a=$(printf '%s\n' "${audit[@]}" | median)
printf '\none notified call (%d getppid calls): plain %.2f us, learn %.2f us, audit %.2f us per call\n' $n \
  "$(echo "$p/$n" | bc -l)" "$(echo "$l/$n" | bc -l)" "$(echo "$a/$n" | bc -l)"
printf 'host: %s, %s cores, Linux %s; %d repeats, medians\n' "$(uname -m)" "$(nproc)" "$(uname -r)" "$repeats"
