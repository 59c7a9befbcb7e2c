#!/usr/bin/env bash
# Candor against DuckDB (SQL + regexes) and a plain grep, side by side on the same generated logs.
#
#   bash bench/scale/run.sh                      # 100k, 1M and 3M conversations, 2% of lines out of place
#   bash bench/scale/run.sh 100000 1000000       # chosen sizes
#   BENCH_DIR=/data/bench OUT_OF_PLACE=0 bash bench/scale/run.sh 1000000
#
# Needs the Rust toolchain, python3 with pip, and GNU time (/usr/bin/time; installed with apt if missing).
# The generated files (about 1.4 KB per conversation) are kept in $BENCH_DIR (default /tmp/candor-bench)
# for the next run. Results are printed as a Markdown table; BENCHMARKS.md records them.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! python3 -c "import duckdb" 2>/dev/null; then
    python3 -m pip install --quiet duckdb
fi
if [ ! -x /usr/bin/time ]; then
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
cargo build --release --quiet --bin candor --example generate_logs
exec python3 bench/scale/compare.py "$@"
