#!/usr/bin/env bash
# squall-top's CPU while attached to a server holding many open connections, and the server's cost of serving
# it (issue #8).
#
#   Benchmarks/top-cpu.sh
#   CONNS=10000 REFRESH="4 10" DURATION=20 RUNS=1 Benchmarks/top-cpu.sh
#
# Builds release `squall-demo` and `squall-top` (scratch path .build-topbench), starts `squall-demo --port 0`,
# opens CONNS idle keep-alive connections to it (Benchmarks/idle_conns.py: one GET each, then idle), then per
# run measures one window without a dashboard (the server's baseline) and one window per refresh rate with
# `squall-top --refresh HZ` running in a detached tmux session (a private tmux server, WIDTHxHEIGHT). CPU is
# utime+stime from /proc/PID/stat (per thread from /proc/PID/task/TID/stat) over the same wall-clock window.
# A window only counts when squall-top's screen shows the CONNS connections (footer "… of N", header
# "conns"); otherwise the run fails. Everything listens on 127.0.0.1 and every process started here is
# stopped by its PID when the script ends (also if it is killed: a watchdog stops the server).
#
# Environment (defaults): CONNS=10000 REFRESH="4 10" DURATION=20 SETTLE=5 RUNS=1 WIDTH=200 HEIGHT=50
#   GOAL=10 (% of one core for squall-top at the first REFRESH rate)  SCRATCH=.build-topbench  SKIP_BUILD=0
#   PYTHON=python3  TOP_LOCALE=C.UTF-8 (LC_ALL inside the tmux pane; empty: inherit)  TOP_ARGS= (more flags)
# Output: a table on stdout, saved with the header to Benchmarks/results/top-cpu-<timestamp>.txt, the last
# screen of each dashboard window in Benchmarks/results/top-cpu-<timestamp>-screens/ (gitignored).
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CONNS="${CONNS:-10000}"
REFRESH="${REFRESH:-4 10}"
DURATION="${DURATION:-20}"
SETTLE="${SETTLE:-5}"
RUNS="${RUNS:-1}"
WIDTH="${WIDTH:-200}"
HEIGHT="${HEIGHT:-50}"
GOAL="${GOAL:-10}"
SCRATCH="${SCRATCH:-.build-topbench}"
PYTHON="${PYTHON:-python3}"
TOP_LOCALE="${TOP_LOCALE-C.UTF-8}"
TOP_ARGS="${TOP_ARGS:-}"
STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="$HERE/results/top-cpu-$STAMP.txt"
SCREENS="$HERE/results/top-cpu-$STAMP-screens"
WORK="$(mktemp -d /tmp/squall-top-cpu.XXXXXX)"
TMUX_SOCKET="squall-top-cpu-$$"
HZ_TICKS="$(getconf CLK_TCK)"
SERVER_PID=""
CLIENT_PID=""
WATCHDOG_PID=""

for tool in tmux "$PYTHON"; do
    command -v "$tool" >/dev/null || { echo "top-cpu: needs $tool" >&2; exit 2; }
done
mkdir -p "$HERE/results" "$SCREENS"

tmx() { tmux -L "$TMUX_SOCKET" -f /dev/null "$@"; }

cleanup() {
    tmx kill-server 2>/dev/null
    exec 4>&-  # the client stops when its standard input closes
    [ -n "$CLIENT_PID" ] && kill "$CLIENT_PID" 2>/dev/null
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    [ -n "$CLIENT_PID" ] && wait "$CLIENT_PID" 2>/dev/null
    [ -n "$SERVER_PID" ] && wait "$SERVER_PID" 2>/dev/null
    [ -n "$WATCHDOG_PID" ] && kill "$WATCHDOG_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

fail() {
    echo "top-cpu: FAIL: $*" >&2
    if tmx has-session -t top 2>/dev/null; then
        echo "---- squall-top's screen ----" >&2
        tmx capture-pane -p -t top >&2
    fi
    echo "---- server log (tail) ----" >&2
    tail -5 "$WORK/server.log" >&2 2>/dev/null
    echo "---- client log ----" >&2
    cat "$WORK/client.log" >&2 2>/dev/null
    exit 1
}

# ticks PID: utime+stime of a process (all threads), or of one thread given as PID/task/TID.
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
now() { date +%s.%N; }
# running PID: the process exists and is not a zombie waiting for its parent to collect it.
running() { [ -e "/proc/$1" ] && [ "$(cut -d')' -f2 "/proc/$1/stat" 2>/dev/null | cut -d' ' -f2)" != Z ]; }
pct() { awk -v d="$1" -v s="$2" -v hz="$HZ_TICKS" 'BEGIN { printf "%.1f", (s > 0 ? 100 * d / hz / s : 0) }'; }
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# The monitor's admin listener has an event loop thread of its own (a MultiThreadedEventLoopGroup of one
# thread, named NIO-ELT-*); the application's loops are NIO's singleton group (NIO-SGLTN-*).
admin_threads() {
    local t
    for t in /proc/"$SERVER_PID"/task/*; do
        case "$(cat "$t/comm" 2>/dev/null)" in NIO-ELT-*) echo "${t##*/}" ;; esac
    done
}
admin_ticks() {
    local sum=0 tid
    for tid in $ADMIN_TIDS; do sum=$((sum + $(ticks "$SERVER_PID/task/$tid"))); done
    echo "$sum"
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s; false on timeout.
wait_for() {
    local tries=$(($1 * 5))
    shift
    for _ in $(seq "$tries"); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}

screen() { tmx capture-pane -p -t top 2>/dev/null; }
# The connection total squall-top shows: the Connections footer "500 shown of 10000" (or "N shown").
shown_total() {
    screen | sed -n 's/^ *\([0-9]*\) shown\( of \([0-9]*\)\)\{0,1\}.*/\1 \3/p' | awk 'NR == 1 { print ($2 != "" ? $2 : $1) }'
}
header_conns() { screen | grep -o 'conns [0-9.]*[kM]\{0,1\}' | head -1 | cut -d' ' -f2; }
shows_all() { local n; n="$(shown_total)"; [ -n "$n" ] && [ "$n" -ge "$CONNS" ]; }

# --- build ------------------------------------------------------------------------------------------------
cd "$ROOT" || exit 2
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "== building squall-demo and squall-top (release, $SCRATCH)" >&2
    for product in squall-demo squall-top; do
        swift build -c release --scratch-path "$SCRATCH" --product "$product" >"$WORK/build.log" 2>&1 \
            || { tail -30 "$WORK/build.log" >&2; fail "release build of $product failed"; }
    done
fi
BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)"
[ -x "$BIN/squall-demo" ] && [ -x "$BIN/squall-top" ] || fail "no release binaries in $BIN (SKIP_BUILD=1 needs a build)"

# --- server and connections --------------------------------------------------------------------------------
ulimit -n "$(ulimit -Hn)" 2>/dev/null
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((CONNS + 200)) ] \
    || fail "open-file limit $(ulimit -n) is too low for $CONNS connections"
export XDG_RUNTIME_DIR="$WORK/run"  # a private discovery directory
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== starting squall-demo" >&2
"$BIN/squall-demo" --port 0 --address 127.0.0.1 --monitor-port 0 --log-file "$WORK/detached.log" \
    >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
# If this script is killed outright (no trap runs), the watchdog stops the server; the client stops on its own.
(
    while kill -0 $$ 2>/dev/null; do sleep 2; done
    kill "$SERVER_PID" 2>/dev/null
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null
) >/dev/null 2>&1 &
WATCHDOG_PID=$!
wait_for 60 grep -q '^monitor: ws://' "$WORK/server.log" || fail "squall-demo did not print its monitor line"
APP_PORT="$(sed -n 's|^squall-demo: serving http://[^ ]*:\([0-9]*\)/.*|\1|p' "$WORK/server.log" | head -1)"
URL="$(sed -n 's/^monitor: \(ws:[^ ]*\) token=.*/\1/p' "$WORK/server.log" | head -1)"
TOKEN="$(sed -n 's/^monitor: ws:[^ ]* token=\([^ ]*\).*/\1/p' "$WORK/server.log" | head -1)"
[ -n "$APP_PORT" ] && [ -n "$URL" ] && [ -n "$TOKEN" ] || fail "could not read the app port, admin URL and token"
ADMIN_HTTP="${URL#ws://}"
ADMIN_HTTP="http://${ADMIN_HTTP%%/*}"

echo "== opening $CONNS idle keep-alive connections to 127.0.0.1:$APP_PORT" >&2
BUDGET=$((120 + RUNS * (1 + $(echo "$REFRESH" | wc -w)) * (DURATION + SETTLE + 45)))
mkfifo "$WORK/client.in"
"$PYTHON" "$HERE/idle_conns.py" --port "$APP_PORT" --conns "$CONNS" --hold "$BUDGET" --stdin-eof \
    <"$WORK/client.in" >"$WORK/client.log" 2>&1 &
CLIENT_PID=$!
exec 4>"$WORK/client.in"
wait_for 300 grep -q '^READY\|^ERROR' "$WORK/client.log" || fail "the client did not open its connections in 300 s"
READY="$(grep '^READY\|^ERROR' "$WORK/client.log" | head -1)"
OPENED="$(echo "$READY" | sed -n 's/.*opened=\([0-9]*\).*/\1/p')"
[ "${OPENED:-0}" -ge "$CONNS" ] || fail "the client opened ${OPENED:-0} of $CONNS connections: $READY"
echo "   $READY" >&2

metric() {
    "$PYTHON" - "$ADMIN_HTTP/metrics" "$TOKEN" "$1" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
for line in urllib.request.urlopen(req, timeout=5).read().decode().splitlines():
    if line.startswith(sys.argv[3] + " ") or line.startswith(sys.argv[3] + "{"):
        print(int(float(line.split()[-1])))
        break
PY
}
SERVER_CONNS="$(metric squall_connections_open)"
[ "${SERVER_CONNS:-0}" -ge "$CONNS" ] || fail "the server reports ${SERVER_CONNS:-?} open connections, expected $CONNS"
ADMIN_TIDS="$(admin_threads)"
[ -n "$ADMIN_TIDS" ] || echo "   note: no NIO-ELT-* thread in the server; admin-thread CPU will read 0" >&2
sleep 3  # let the server settle after the connection storm

# --- windows ------------------------------------------------------------------------------------------------
ROWS="$WORK/rows.tsv"
NOTES="$WORK/notes.txt"
: >"$ROWS"
: >"$NOTES"
# window RUN LABEL TOP_PID TMUX_PID: measures DURATION seconds; appends one row to $ROWS.
window() {
    local run="$1" label="$2" top="$3" tmuxp="$4"
    local w0 s0 a0 t0 m0 w1 s1 a1 t1 m1 secs
    w0="$(now)"; s0="$(ticks "$SERVER_PID")"; a0="$(admin_ticks)"
    t0="$([ -n "$top" ] && ticks "$top" || echo 0)"; m0="$([ -n "$tmuxp" ] && ticks "$tmuxp" || echo 0)"
    sleep "$DURATION"
    w1="$(now)"; s1="$(ticks "$SERVER_PID")"; a1="$(admin_ticks)"
    t1="$([ -n "$top" ] && ticks "$top" || echo 0)"; m1="$([ -n "$tmuxp" ] && ticks "$tmuxp" || echo 0)"
    secs="$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.3f", b - a }')"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$label" "$secs" \
        "$(pct $((t1 - t0)) "$secs")" "$(pct $((m1 - m0)) "$secs")" "$(pct $((s1 - s0)) "$secs")" \
        "$(pct $((a1 - a0)) "$secs")" "$([ -n "$top" ] && rss_mib "$top" || echo -)" "${5:--}" >>"$ROWS"
}

for run in $(seq 1 "$RUNS"); do
    echo "== run $run/$RUNS: baseline, no dashboard (${DURATION}s)" >&2
    window "$run" none "" "" ""
    for hz in $REFRESH; do
        echo "== run $run/$RUNS: squall-top --refresh $hz in tmux ${WIDTH}x${HEIGHT}" >&2
        env_prefix=""
        [ -n "$TOP_LOCALE" ] && env_prefix="LC_ALL=$TOP_LOCALE "
        tmx new-session -d -s top -x "$WIDTH" -y "$HEIGHT" \
            "${env_prefix}exec '$BIN/squall-top' --url '$URL' --token '$TOKEN' --refresh $hz $TOP_ARGS" \
            4>&- || fail "tmux could not start squall-top"
        TOP_PID="$(tmx display-message -p -t top '#{pane_pid}')"
        TMUX_PID="$(tmx display-message -p -t top '#{pid}')"
        wait_for 60 shows_all || fail "squall-top does not show $CONNS connections (shown: $(shown_total))"
        sleep "$SETTLE"
        window "$run" "$hz" "$TOP_PID" "$TMUX_PID" "pending"
        running "$TOP_PID" || fail "squall-top exited during the window"
        shows_all || fail "squall-top no longer shows $CONNS connections (shown: $(shown_total))"
        screen >"$SCREENS/run$run-${hz}hz.txt"
        # The footer's total and the header's "conns" figure go in the table.
        sed -i "\$s/pending\$/$(shown_total) ($(header_conns))/" "$ROWS"
        # Closing the session hangs up squall-top's terminal: it must exit by itself (SIGHUP, or the hung-up
        # terminal); one that is still running 5 s later is noted in the report, then killed.
        tmx kill-session -t top 2>/dev/null
        if ! wait_for 5 eval '! running '"$TOP_PID"; then
            echo "note: squall-top (--refresh $hz) was still running 5 s after its terminal closed; killed" >>"$NOTES"
            kill -9 "$TOP_PID" 2>/dev/null
        fi
        sleep 2  # the server notices the closed session
    done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
grep -q '^DROPPED' "$WORK/client.log" && fail "the server closed idle connections during the run: $(grep '^DROPPED' "$WORK/client.log" | tail -1)"

# --- report -------------------------------------------------------------------------------------------------
{
    echo "# squall-top CPU with $CONNS open connections ($STAMP)"
    echo "host $(hostname), $(nproc) cores, $(uname -sr); load average before $LOAD_BEFORE, after $LOAD_AFTER"
    echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- Sources 2>/dev/null || echo ' (Sources modified)'), $(swift --version 2>/dev/null | head -1)"
    echo "CONNS=$CONNS DURATION=$DURATION SETTLE=$SETTLE RUNS=$RUNS REFRESH=\"$REFRESH\" terminal ${WIDTH}x${HEIGHT} (tmux), LC_ALL=${TOP_LOCALE:-inherited}"
    echo "server open connections (from /metrics) $SERVER_CONNS; admin thread(s): $(for t in $ADMIN_TIDS; do printf '%s(%s) ' "$t" "$(cat "/proc/$SERVER_PID/task/$t/comm" 2>/dev/null)"; done)"
    echo
    "$PYTHON" - "$ROWS" "$GOAL" "$(echo "$REFRESH" | awk '{ print $1 }')" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
goal, goal_rate = float(sys.argv[2]), sys.argv[3]
base = {r[0]: float(r[5]) for r in rows if r[1] == "none"}
head = ("run", "refresh", "seconds", "top_cpu%", "tmux_cpu%", "server_cpu%", "server_delta%", "admin_thread%",
        "top_rss_MiB", "shown (header)")
out = []
for run, label, secs, top, tmx, srv, adm, rss, shown in rows:
    hz = "none" if label == "none" else label + " Hz"
    delta = "-" if label == "none" else f"{float(srv) - base.get(run, 0.0):.1f}"
    if label == "none":
        top = tmx = "-"
    out.append((run, hz, secs, top, tmx, srv, delta, adm, rss, shown))
if len({r[0] for r in rows}) > 1:
    for label in dict.fromkeys(r[1] for r in rows):
        group = [o for o, r in zip(out, rows) if r[1] == label]
        med = lambda i: "-" if group[0][i] == "-" else f"{statistics.median(float(g[i]) for g in group):.1f}"
        out.append(("median", group[0][1], "-", med(3), med(4), med(5), med(6), med(7), "-", "-"))
widths = [max(len(str(x)) for x in col) for col in zip(head, *out)]
for line in [head] + out:
    print("  ".join(str(x).rjust(w) for x, w in zip(line, widths)))
print()
print("100 = one core. server_delta% = server_cpu% minus the same run's no-dashboard window (the cost of serving")
print("the dashboard); admin_thread% = the monitor's admin event-loop thread alone; tmux_cpu% = the tmux server")
print("drawing squall-top's output (the terminal's cost, not squall-top's).")
top4 = [float(r[3]) for r in rows if r[1] == goal_rate]
if top4:
    m = statistics.median(top4)
    verdict = "met" if m < goal else "NOT met"
    print(f"goal: squall-top at {goal_rate} Hz under {goal:g}% of one core: {m:.1f}% -> {verdict}")
PY
    cat "$NOTES"
} | tee "$OUT"
echo "saved to ${OUT#"$ROOT"/} (screens in ${SCREENS#"$ROOT"/}/)" >&2
