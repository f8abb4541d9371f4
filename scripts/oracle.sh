#!/usr/bin/env bash
# Runs the oracle long: random policies through both code generators, the
# emulator and the live kernel (see docs/compiler.md). Prints the counts;
# exits 1 on any disagreement, keeping the failing policies in ./oracle-failures.
#   scripts/oracle.sh [POLICIES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
policies=${1:-10000}
seed=${2:-$RANDOM}
swift build -c release --product cordon-oracle
mkdir -p oracle-failures
.build/release/cordon-oracle --seed "$seed" --policies "$policies" --inputs 1000 --kernel-inputs 40 --save oracle-failures
