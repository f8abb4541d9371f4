#!/usr/bin/env bash
# The test command: installs what the tests need, then runs every test.
# Tests load filters into the live kernel (in child processes), compile C
# with cc and link libseccomp, so they need the packages install-deps.sh adds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The release binaries too: the README's benchmark command (Benchmarks/run.sh) runs in the tests.
swift build -c release --product cordon
swift build -c release --product cordon-bench
swift build --build-tests
swift test --skip-build --disable-swift-testing "$@"
