#!/usr/bin/env bash
# Mutation-fuzzes every importer and the rules for a bounded time (default 60 s) from the kept corpus
# (fuzz/regressions/ and tests/fixtures/). A panic or an input slower than the limit is saved in
# fuzz/crashes/ and the script fails. Runs on the stable toolchain; see examples/fuzz.rs.
#   scripts/fuzz.sh [SECONDS] [extra fuzz arguments, e.g. --seed 7 --limit-ms 2000]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
profile="${FUZZ_PROFILE:-release}"
if [ "$profile" = "release" ]; then
  cargo run --quiet --release --example fuzz -- --seconds "$seconds" "$@"
else
  cargo run --quiet --example fuzz -- --seconds "$seconds" "$@"
fi
