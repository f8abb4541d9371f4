#!/usr/bin/env bash
# Installs the Debian packages that cordon's tests and table generators need:
#   libseccomp-dev                     libseccomp, the peer whose programs the tests read
#   python3-seccomp                    libseccomp's Python binding: Docker's profile built as runc
#                                      builds it (Tests/Fixtures/libseccomp/profile.py)
#   bubblewrap                         bwrap, which the tests hand a raw filter (--seccomp FD)
#   strace                             holds cordon inside fsync(2) so a test can interrupt a write
#   linux-libc-dev-{arm64,armhf,riscv64,ppc64el,s390x}-cross
#                                      kernel headers of the other architectures,
#                                      for scripts/gen-syscalls.sh and gen-constants.sh
#   gcc, libc6-dev                     the C compiler and headers (usually present)
#   gcc-multilib                       gcc -m32: an i386 program for cordon learn to watch
#   git, make, python3, tar, gzip      real workloads that cordon learn and --report run
#   zsh, fish                          the shells whose completion scripts cordon completion writes
#   man-db, groff-base                 man -l, which renders the generated man pages in a test
#   golang-go, golang-golang-x-sys-dev Go and golang.org/x/sys/unix: a test builds --format go output
#                                      and loads it in a child (GOPATH=/usr/share/gocode, no network)
# Run as root (or with sudo available). Does nothing when all are installed.
set -euo pipefail
packages=(libseccomp-dev python3-seccomp bubblewrap strace linux-libc-dev-arm64-cross linux-libc-dev-armhf-cross linux-libc-dev-riscv64-cross
  linux-libc-dev-ppc64el-cross linux-libc-dev-s390x-cross gcc libc6-dev gcc-multilib git make python3 tar gzip
  zsh fish man-db groff-base golang-go golang-golang-x-sys-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
