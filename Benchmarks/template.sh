#!/usr/bin/env bash
# Template rendering: Squall vs Tornado 6.6.1 on the same templates and data (Benchmarks/template-bench).
# Usage: RENDERS=300 TORNADO_PYTHON=/tmp/tornado-venv/bin/python Benchmarks/template.sh
set -euo pipefail
cd "$(dirname "$0")"
RENDERS=${RENDERS:-300}
PYTHON=${TORNADO_PYTHON:-python3}
SCRATCH=${SCRATCH:-../.build-tplbench}
swift build -c release --scratch-path "$SCRATCH" --product template-bench >/dev/null
BIN="$SCRATCH/release/template-bench"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
TORNADO=$("$PYTHON" template-bench/tornado_template_bench.py "$RENDERS" "$OUT" | grep '^RESULT')
echo "tornado  $TORNADO"
SQUALL=$("$BIN" "$RENDERS" "$OUT")
echo "$SQUALL" | grep -v '^RESULT'
SQUALL=$(echo "$SQUALL" | grep '^RESULT')
echo "squall   $SQUALL"
T=$(echo "$TORNADO" | sed -E 's/.*renders_per_sec=([0-9.]+).*/\1/')
S=$(echo "$SQUALL" | sed -E 's/.*RESULT renders_per_sec=([0-9.]+).*/\1/')
C=$(echo "$SQUALL" | sed -E 's/.*converting_renders_per_sec=([0-9.]+).*/\1/')
awk -v s="$S" -v t="$T" -v c="$C" 'BEGIN { printf "ratio squall/tornado = %.2f (with conversion from Swift dictionaries each render: %.2f)\n", s / t, c / t }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
