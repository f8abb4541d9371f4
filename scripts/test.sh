#!/usr/bin/env bash
# The test command: installs what the tests need, then runs every test.
# Tests load filters into the live kernel (in child processes), compile C
# with cc and link libseccomp, so they need the packages install-deps.sh adds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build --disable-swift-testing "$@"
