#!/usr/bin/env bash
# End-to-end test of squall-top in a real terminal (tmux): attach to a server, see a test client's connection,
# kill it with `k` `y` (the client must observe EOF), relayout on resize, quit with `q` and get the terminal back;
# then `squall-demo --attach` (the README's main command): the dashboard in the server's terminal, detach, stop.
#
#   Tests/EndToEnd/squall-top-tmux.sh            # against `squall-demo --port 0` (the real monitor)
#   SERVER=fake Tests/EndToEnd/squall-top-tmux.sh  # against Tests/EndToEnd/fake_monitor.py (needs python websockets)
#   CONFIGURATION=release Tests/EndToEnd/squall-top-tmux.sh  # the optimized build (SIGTERM was once ignored only there)
#
# Needs tmux and python3. Exits non-zero with the last screen on the first failed check.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SERVER="${SERVER:-demo}"
SCRATCH="${SCRATCH_PATH:-.build}"
CONFIGURATION="${CONFIGURATION:-debug}"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d /tmp/squall-top-e2e.XXXXXX)"
SESSION="squall-top-e2e-$$"
export XDG_RUNTIME_DIR="$WORK/run"   # private discovery directory
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
SERVER_PID=""
CLIENT_PID=""

cleanup() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    [ -n "$CLIENT_PID" ] && kill "$CLIENT_PID" 2>/dev/null || true
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    echo "---- last screen ----" >&2
    tmux capture-pane -p -t "$SESSION" 2>/dev/null >&2 || true
    echo "---- server log ----" >&2
    tail -20 "$WORK/server.log" >&2 || true
    exit 1
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND every 0.2 s.
wait_for() {
    local what="$1" seconds="$2"
    shift 2
    local tries=$((seconds * 5))
    for _ in $(seq "$tries"); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    fail "timed out waiting for: $what"
}

screen() { tmux capture-pane -p -t "$SESSION"; }
screen_has() { screen | grep -qF -- "$1"; }

cd "$ROOT"
echo "== building"
swift build -c "$CONFIGURATION" --scratch-path "$SCRATCH" --product squall-top >/dev/null 2>&1 || fail "build failed"
BIN="$(swift build -c "$CONFIGURATION" --scratch-path "$SCRATCH" --show-bin-path)"

echo "== starting the server ($SERVER)"
if [ "$SERVER" = fake ]; then
    "$PYTHON" "$ROOT/Tests/EndToEnd/fake_monitor.py" --token e2e-token >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
else
    swift build -c "$CONFIGURATION" --scratch-path "$SCRATCH" --product squall-demo >/dev/null 2>&1 || fail "build failed"
    "$BIN/squall-demo" --port 0 >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
fi
wait_for "the monitor line" 30 grep -q '^monitor: ws://' "$WORK/server.log"
URL="$(sed -n 's/^monitor: \(ws:[^ ]*\) token=.*/\1/p' "$WORK/server.log" | head -1)"
TOKEN="$(sed -n 's/^monitor: ws:[^ ]* token=\([^ ]*\).*/\1/p' "$WORK/server.log" | head -1)"
if [ "$SERVER" = fake ]; then
    APP="$(sed -n 's/^app: //p' "$WORK/server.log" | head -1)"
else
    wait_for "the discovery file" 10 ls "$XDG_RUNTIME_DIR/squall/$SERVER_PID.json"
    APP="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["appAddresses"][0])' "$XDG_RUNTIME_DIR/squall/$SERVER_PID.json")"
fi
APP_PORT="${APP##*:}"
echo "   monitor $URL, app port $APP_PORT"

echo "== starting a keep-alive test client"
"$PYTHON" - "$APP_PORT" "$WORK/client" <<'PY' &
import socket, sys
port, out = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
open(out + ".port", "w").write(str(s.getsockname()[1]))
# One keep-alive request, then wait: the connection stays open and idle until someone closes it.
s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
while True:
    try:
        data = s.recv(65536)
    except OSError:
        data = b""
    if not data:
        open(out + ".eof", "w").write("eof")
        break
PY
CLIENT_PID=$!
wait_for "the client's port" 10 test -s "$WORK/client.port"
CLIENT_PORT="$(cat "$WORK/client.port")"
PEER="127.0.0.1:$CLIENT_PORT"

echo "== squall-top in tmux (100x30)"
tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "'$BIN/squall-top' --url '$URL' --token '$TOKEN' --refresh 10; echo \$? > '$WORK/exit'; sleep 60"
wait_for "the client's connection $PEER on screen" 30 screen_has "$PEER"
screen_has "1 Connections" || fail "no tab bar"

echo "== k then y on the client's row"
tmux send-keys -t "$SESSION" / "$CLIENT_PORT" Enter
wait_for "the filter to narrow the table to one row" 10 screen_has "1 shown"
tmux send-keys -t "$SESSION" k
wait_for "the kill confirmation" 10 screen_has "Kill connection"
screen | grep -F "Kill connection" | grep -qF "$PEER" || fail "the confirmation does not name the peer"
tmux send-keys -t "$SESSION" y
wait_for "the client to observe EOF" 10 test -f "$WORK/client.eof"
wait_for "the ack in the status line" 10 screen_has "ok: "

echo "== resize relayouts"
tmux send-keys -t "$SESSION" Escape
tmux resize-window -t "$SESSION" -x 80 -y 24
wait_for "the 80-column layout" 10 screen_has "1 Conns"
[ "$(screen | wc -l)" -le 24 ] || fail "more than 24 lines after resize"
screen | awk 'length($0) > 80 { bad = 1 } END { exit bad }' || fail "a line wider than 80 columns"
tmux resize-window -t "$SESSION" -x 50 -y 12
wait_for "the too-small notice" 10 screen_has "terminal too small"
tmux resize-window -t "$SESSION" -x 100 -y 30
wait_for "the full layout again" 10 screen_has "1 Connections"

echo "== q exits and restores the terminal"
tmux send-keys -t "$SESSION" q
wait_for "squall-top to exit" 5 test -s "$WORK/exit"
[ "$(cat "$WORK/exit")" = 0 ] || fail "exit status $(cat "$WORK/exit")"
[ "$(tmux display-message -p -t "$SESSION" '#{alternate_on}')" = 0 ] || fail "still on the alternate screen"
screen_has "1 Connections" && fail "the dashboard is still on screen after exit"

echo "== a wrong token is a clear error with exit code 3"
tmux kill-session -t "$SESSION"
rm -f "$WORK/exit"
tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "'$BIN/squall-top' --url '$URL' --token wrong-token 2>'$WORK/stderr'; echo \$? > '$WORK/exit'; sleep 60"
wait_for "squall-top to give up on the token" 15 test -s "$WORK/exit"
[ "$(cat "$WORK/exit")" = 3 ] || fail "exit status $(cat "$WORK/exit") for a wrong token (expected 3)"
grep -q "refused the token" "$WORK/stderr" || fail "no clear message for a wrong token: $(cat "$WORK/stderr")"

echo "== an unreachable server: retrying, and Ctrl-C still quits at once"
tmux kill-session -t "$SESSION"
rm -f "$WORK/exit"
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "'$BIN/squall-top' --url '$URL' --token '$TOKEN' --theme '$ROOT/Themes/gruvbox.theme'; echo \$? > '$WORK/exit'; sleep 60"
wait_for "the retrying notice" 15 screen_has "disconnected, retrying"
tmux send-keys -t "$SESSION" C-c
wait_for "squall-top to exit on Ctrl-C" 5 test -s "$WORK/exit"
[ "$(cat "$WORK/exit")" = 130 ] || fail "exit status $(cat "$WORK/exit") after Ctrl-C (expected 130)"
[ "$(tmux display-message -p -t "$SESSION" '#{alternate_on}')" = 0 ] || fail "still on the alternate screen after Ctrl-C"

echo "== a crash signal restores the terminal"
tmux kill-session -t "$SESSION"
rm -f "$WORK/exit"
# Swift's own crash backtracer is interactive on a terminal (it waits for keys): keep it from prompting, so
# a crash that squall-top's handler did not catch ends the process and fails the checks below instead of hanging.
tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "SWIFT_BACKTRACE=interactive=no exec '$BIN/squall-top' --url '$URL' --token '$TOKEN'"
wait_for "squall-top to start" 15 screen_has "disconnected, retrying"
TOP_PID="$(tmux display-message -p -t "$SESSION" '#{pane_pid}')"
tmux set-option -t "$SESSION" remain-on-exit on >/dev/null
kill -SEGV "$TOP_PID"
# A function, so the pane's state is read again on every poll (a "$(...)" argument is read once, at the call).
pane_dead() { [ "$(tmux display-message -p -t "$SESSION" '#{pane_dead}' 2>/dev/null)" = 1 ]; }
wait_for "the pane to show the crashed program" 5 pane_dead
[ "$(tmux display-message -p -t "$SESSION" '#{alternate_on}')" = 0 ] || fail "still on the alternate screen after SIGSEGV"

echo "== SIGTERM quits with 130; closing the terminal ends squall-top"
tmux kill-session -t "$SESSION"
rm -f "$WORK/exit"
tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "'$BIN/squall-top' --url '$URL' --token '$TOKEN'; echo \$? > '$WORK/exit'; sleep 60"
wait_for "squall-top to start" 15 screen_has "disconnected, retrying"
kill -TERM "$(pgrep -P "$(tmux display-message -p -t "$SESSION" '#{pane_pid}')")"
wait_for "squall-top to exit on SIGTERM" 5 test -s "$WORK/exit"
[ "$(cat "$WORK/exit")" = 130 ] || fail "exit status $(cat "$WORK/exit") after SIGTERM (expected 130)"
[ "$(tmux display-message -p -t "$SESSION" '#{alternate_on}')" = 0 ] || fail "still on the alternate screen after SIGTERM"
tmux kill-session -t "$SESSION"
tmux new-session -d -s "$SESSION" -x 100 -y 30 "exec '$BIN/squall-top' --url '$URL' --token '$TOKEN'"
wait_for "squall-top to start" 15 screen_has "disconnected, retrying"
TOP_PID="$(tmux display-message -p -t "$SESSION" '#{pane_pid}')"
tmux kill-session -t "$SESSION"   # hangs up its terminal
# Running: the process exists and is not a zombie waiting for its parent.
top_running() { [ -e "/proc/$TOP_PID" ] && [ "$(cut -d')' -f2 "/proc/$TOP_PID/stat" 2>/dev/null | cut -d' ' -f2)" != Z ]; }
for _ in $(seq 25); do top_running || break; sleep 0.2; done
if top_running; then
    kill -9 "$TOP_PID"
    fail "squall-top still running 5 s after its terminal closed"
fi

if [ "$SERVER" = demo ]; then
    # The README's main command: the demo with the dashboard in the same terminal.
    # attached_app_port: the app port of the attached demo, from its discovery file (the only live one now).
    attached_app_port() {
        local f
        for f in "$XDG_RUNTIME_DIR"/squall/*.json; do
            [ -f "$f" ] || continue
            "$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["appAddresses"][0].rsplit(":",1)[1])' "$f"
            return 0
        done
        return 1
    }
    app_answers() { curl -fsS --max-time 2 "http://127.0.0.1:$1$2" >/dev/null; }
    detached_log_has() { grep -qF -- "$1" "$WORK/detached.log" 2>/dev/null; }

    echo "== squall-demo --attach: the dashboard in the server's terminal; q then d detaches"
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    rm -f "$WORK/exit" "$XDG_RUNTIME_DIR"/squall/*.json
    tmux new-session -d -s "$SESSION" -x 120 -y 32 \
        "SWIFT_BACKTRACE=interactive=no '$BIN/squall-demo' --attach --port 0 --log-file '$WORK/detached.log'; echo \$? > '$WORK/exit'; sleep 60"
    wait_for "the attached dashboard" 30 screen_has "1 Connections"
    wait_for "the discovery file of the attached demo" 10 attached_app_port
    ATTACHED_PORT="$(attached_app_port)"
    app_answers "$ATTACHED_PORT" /api/status || fail "the attached demo does not serve /api/status"
    tmux send-keys -t "$SESSION" 5
    wait_for "the request on the Logs screen" 10 screen_has "GET /api/status"
    tmux send-keys -t "$SESSION" q
    wait_for "the stop-or-detach question" 10 screen_has "detach"
    tmux send-keys -t "$SESSION" d
    wait_for "the detached notice" 10 screen_has "detached; still serving"
    [ "$(tmux display-message -p -t "$SESSION" '#{alternate_on}')" = 0 ] || fail "still on the alternate screen after detaching"
    app_answers "$ATTACHED_PORT" /api/status?after=detach || fail "the demo stopped serving after detaching"
    wait_for "the access log in the detached log file" 10 detached_log_has "/api/status?after=detach"
    tmux send-keys -t "$SESSION" C-c
    wait_for "the detached demo to stop on Ctrl-C" 10 test -s "$WORK/exit"

    echo "== squall-demo --attach: q then s stops the server"
    tmux kill-session -t "$SESSION"
    rm -f "$WORK/exit"
    tmux new-session -d -s "$SESSION" -x 120 -y 32 \
        "SWIFT_BACKTRACE=interactive=no '$BIN/squall-demo' --attach --port 0 --log-file '$WORK/detached.log'; echo \$? > '$WORK/exit'; sleep 60"
    wait_for "the attached dashboard" 30 screen_has "1 Connections"
    wait_for "the discovery file of the attached demo" 10 attached_app_port
    ATTACHED_PORT="$(attached_app_port)"
    tmux send-keys -t "$SESSION" q
    wait_for "the stop-or-detach question" 10 screen_has "detach"
    tmux send-keys -t "$SESSION" s
    wait_for "the demo to exit" 10 test -s "$WORK/exit"
    [ "$(cat "$WORK/exit")" = 0 ] || fail "exit status $(cat "$WORK/exit") after stopping from the dashboard"
    app_answers "$ATTACHED_PORT" /api/status 2>/dev/null && fail "the demo still serves after stopping from the dashboard"
    [ "$(tmux display-message -p -t "$SESSION" '#{alternate_on}')" = 0 ] || fail "still on the alternate screen after stopping"
fi

echo "PASS: squall-top end to end ($SERVER server)"
