#!/usr/bin/env bash
# Installs cordon under PREFIX (default /usr/local):
#   PREFIX/bin/cordon                                   the release binary
#   PREFIX/share/man/man1/cordon.1, cordon-COMMAND.1    man pages (cordon help --man)
#   PREFIX/share/bash-completion/completions/cordon     completion scripts
#   PREFIX/share/zsh/site-functions/_cordon             (cordon completion SHELL)
#   PREFIX/share/fish/vendor_completions.d/cordon.fish
# Usage: scripts/install.sh [PREFIX]     e.g. scripts/install.sh ~/.local
# With CORDON_INSTALL_PREBUILT=1 it installs .build/release/cordon as it is
# (the README's test runs inside `swift test`, which holds SwiftPM's lock).
set -euo pipefail
prefix="${1:-/usr/local}"
cd "$(dirname "$0")/.."
binary=.build/release/cordon
if [ -n "${CORDON_INSTALL_PREBUILT:-}" ]; then
  [ -x "$binary" ] || { echo "install.sh: $binary is missing: build it with swift build -c release --product cordon" >&2; exit 1; }
else
  swift build -c release --product cordon >/dev/null
fi
man="$prefix/share/man/man1"
install -d "$prefix/bin" "$man" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Everything is generated first, then installed: a failure leaves no half install.
"$binary" help --man > "$work/cordon.1"
commands=$("$binary" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
for command in $commands; do
  "$binary" help --man "$command" > "$work/cordon-$command.1"
done
"$binary" completion bash > "$work/cordon.bash"
"$binary" completion zsh > "$work/_cordon"
"$binary" completion fish > "$work/cordon.fish"
install -m 0755 "$binary" "$prefix/bin/cordon"
install -m 0644 "$work"/*.1 "$man/"
install -m 0644 "$work/cordon.bash" "$prefix/share/bash-completion/completions/cordon"
install -m 0644 "$work/_cordon" "$prefix/share/zsh/site-functions/_cordon"
install -m 0644 "$work/cordon.fish" "$prefix/share/fish/vendor_completions.d/cordon.fish"
echo "install.sh: cordon in $prefix/bin, $(ls "$work"/*.1 | wc -l) man pages in $man, completions for bash, zsh and fish"
