#!/usr/bin/env bash
# WebSocket benchmarks (issue #6): Squall's WebSocketHandler next to Tornado 6.6.1, same machine, same run.
#
#   Benchmarks/ws-bench.sh [squall] [tornado]      (default: both)
#
#   (a) idle memory: 10,000 open, idle WebSockets on one server; server RSS before and after, KiB per connection
#   (b) echo rate: 64 connections, each sending a 100-byte text message and waiting for its echo
#
# Each server runs on CPU 0 with one event loop (taskset -c 0; squall-ws-echo --threads 1), the Python
# `websockets` clients of ../shared/bench/peers/clients on CPU 1. Everything listens on 127.0.0.1 only; every
# process started here is stopped by its PID. The echo client is Python (it saturates near 40k msg/s on this
# machine, so check its CPU column: at ~100% the figure is the client's limit, not the server's).
#
# Environment: IDLE_CONNS=10000 ECHO_CONNS=64 ECHO_SIZE=100 ECHO_DURATION=10 PORT=9301
#   PEERS=/work/shared/bench/peers  VENV=/tmp/squall-ws-bench-venv (tornado==6.6.1 + websockets)
#   SCRATCH=.build (swift build scratch path of the root package)  SKIP_BUILD=1 (use the built binary as is)
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PEERS="${PEERS:-$ROOT/../shared/bench/peers}"
VENV="${VENV:-/tmp/squall-ws-bench-venv}"
SCRATCH="${SCRATCH:-.build}"
IDLE_CONNS="${IDLE_CONNS:-10000}"
ECHO_CONNS="${ECHO_CONNS:-64}"
ECHO_SIZE="${ECHO_SIZE:-100}"
ECHO_DURATION="${ECHO_DURATION:-10}"
PORT="${PORT:-9301}"
SERVERS=("$@"); [ ${#SERVERS[@]} -eq 0 ] && SERVERS=(squall tornado)
OUT="$HERE/results/ws-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import tornado, websockets' 2>/dev/null; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q tornado==6.6.1 websockets
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product squall-ws-echo >&2) || exit 2
fi
ECHO_BIN="$(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/squall-ws-echo"

SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; }
trap cleanup EXIT
rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
wait_port() {
  for _ in $(seq 1 100); do
    "$VENV/bin/python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
start() {
  case "$1" in
    squall) taskset -c 0 "$ECHO_BIN" server --port "$PORT" --threads 1 --no-compression >"$OUT/$1.log" 2>&1 & ;;
    tornado) PORT=$PORT taskset -c 0 "$VENV/bin/python" "$PEERS/tornado/server.py" >"$OUT/$1.log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  wait_port || { echo "$1 did not start" >&2; exit 2; }
}
stop() { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "| server | idle conns opened | RSS before (MiB) | RSS with conns (MiB) | KiB per connection | echo msg/s | server CPU % | client line |" > "$OUT/summary.md"
echo "|---|---|---|---|---|---|---|---|" >> "$OUT/summary.md"
for name in "${SERVERS[@]}"; do
  start "$name"
  # Warm-up: lazily created state is not charged to the idle connections.
  taskset -c 1 "$VENV/bin/python" "$PEERS/clients/ws_idle.py" --port "$PORT" --conns 200 --hold 0 >/dev/null 2>&1
  sleep 1
  before=$(rss_kib "$SERVER_PID")
  taskset -c 1 "$VENV/bin/python" "$PEERS/clients/ws_idle.py" --port "$PORT" --conns "$IDLE_CONNS" --hold 10 \
    >"$OUT/$name-idle.txt" 2>&1 &
  client=$!
  for _ in $(seq 1 3000); do grep -q '^READY' "$OUT/$name-idle.txt" && break; sleep 0.1; done
  sleep 4
  after=$(rss_kib "$SERVER_PID")
  wait "$client"
  opened=$(grep -o 'ok=[0-9]*' "$OUT/$name-idle.txt" | head -1 | cut -d= -f2)
  per=$(awk -v a="$before" -v b="$after" -v n="${opened:-0}" 'BEGIN{ if (n>0) printf "%.1f", (b-a)/n; else print "nan" }')
  sleep 2
  t0=$(cpu_ticks "$SERVER_PID")
  taskset -c 1 "$VENV/bin/python" "$PEERS/clients/ws_echo.py" --port "$PORT" --conns "$ECHO_CONNS" \
    --duration "$ECHO_DURATION" --size "$ECHO_SIZE" >"$OUT/$name-echo.txt" 2>&1
  t1=$(cpu_ticks "$SERVER_PID")
  result=$(grep '^RESULT' "$OUT/$name-echo.txt" | head -1)
  rate=$(echo "$result" | grep -o 'msgs_per_s=[0-9.]*' | cut -d= -f2)
  hz=$(getconf CLK_TCK)
  server_cpu=$(awk -v d="$((t1 - t0))" -v hz="$hz" -v s="$ECHO_DURATION" 'BEGIN{printf "%.0f", 100 * d / hz / (s + 1)}')
  printf '| %s | %s | %.1f | %.1f | %s | %s | %s | %s |\n' "$name" "${opened:-0}" \
    "$(awk -v k="$before" 'BEGIN{print k/1024}')" "$(awk -v k="$after" 'BEGIN{print k/1024}')" "$per" \
    "${rate:-?}" "$server_cpu" "$result" >> "$OUT/summary.md"
  stop
done
cat "$OUT/summary.md"
