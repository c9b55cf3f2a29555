#!/usr/bin/env bash
# Squall's Autobahn|Testsuite conformance run (issue #6). Stands alone: builds squall-ws-echo, sets up wstest
# (Python 2.7 code) in a virtualenv on first use, runs
#   server mode: wstest fuzzingclient against `squall-ws-echo server` (tests Squall's WebSocketHandler)
#   client mode: wstest fuzzingserver against `squall-ws-echo client` (tests Squall's websocketConnect)
# and prints, per mode, a per-category table and "N OK, N NON-STRICT, N INFORMATIONAL, N FAILED".
#
#   Tests/Conformance/autobahn/run.sh [server|client|both]      (default both)
#
# Environment (optional):
#   CASES           comma-separated case patterns (default: all but 9.*, the performance cases; CI uses this)
#   EXCLUDE         comma-separated cases to leave out
#   OUTDIR          where reports go (default .build-autobahn/reports under the package root)
#   AUTOBAHN_VENV   where the wstest virtualenv lives (default ~/.cache/squall-autobahn)
#   PYTHON27        a python2.7 interpreter (default: python2.7 on PATH or pyenv's 2.7.x)
#   SCRATCH         swift build scratch path (default .build)
#   CONFIG          debug or release build of squall-ws-echo (default debug; release for the 9.* timings)
#   PORT            server-mode port (default 9001); client mode uses PORT+1
# Exit status: 0 when every case ran and none FAILED, 1 when some FAILED, 2 when the run could not complete.
# Everything listens on 127.0.0.1 only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
MODE="${1:-both}"
CASES="${CASES:-1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*,12.*,13.*}"
EXCLUDE="${EXCLUDE:-}"
OUTDIR="${OUTDIR:-$ROOT/.build-autobahn/reports}"
VENV="${AUTOBAHN_VENV:-$HOME/.cache/squall-autobahn}"
SCRATCH="${SCRATCH:-.build}"
CONFIG="${CONFIG:-debug}"
PORT="${PORT:-9001}"
CLIENT_PORT=$((PORT + 1))

find_python27() {
  local root="${PYENV_ROOT:-$HOME/.pyenv}" p
  # A pyenv shim named python2.7 may be on PATH without working, so every candidate is run.
  for p in ${PYTHON27:-} "$(command -v python2.7 2>/dev/null || true)" "$root"/versions/2.7*/bin/python2.7; do
    if [[ -n "$p" && -x "$p" ]] && "$p" -c 'import sys; sys.exit(sys.version_info[:2] != (2, 7))' >/dev/null 2>&1
    then echo "$p"; return; fi
  done
  return 1
}

ensure_wstest() {
  [[ -x "$VENV/py27/bin/wstest" ]] && return 0
  local py27
  py27="$(find_python27)" || { echo "no python2.7 (set PYTHON27); wstest is Python 2.7 code" >&2; return 2; }
  echo "setting up wstest in $VENV with $py27 ..." >&2
  mkdir -p "$VENV"
  if [[ ! -x "$VENV/boot/bin/virtualenv" ]]; then
    python3 -m venv "$VENV/boot"
    # virtualenv < 20.22 is the last that creates Python 2.7 environments.
    "$VENV/boot/bin/pip" install -q "virtualenv<20.22" >&2
  fi
  "$VENV/boot/bin/virtualenv" -q -p "$py27" "$VENV/py27" >&2
  "$VENV/py27/bin/pip" install -q --no-python-version-warning -r "$HERE/requirements-wstest-py27.txt" >&2
  [[ -x "$VENV/py27/bin/wstest" ]] || { echo "wstest install failed" >&2; return 2; }
}

# write_spec TEMPLATE_KIND URL OUT: the wstest spec for one mode.
write_spec() {
  python3 - "$1" "$2" "$3" "$CASES" "$EXCLUDE" <<'PY'
import json, sys
kind, url, outdir, cases, exclude = sys.argv[1:]
spec = {"outdir": outdir, "cases": [c for c in cases.split(",") if c],
        "exclude-cases": [c for c in exclude.split(",") if c], "exclude-agent-cases": {}}
if kind == "fuzzingclient":
    spec["options"] = {"failByDrop": False}
    spec["servers"] = [{"agent": "squall", "url": url, "options": {"version": 18}}]
else:
    spec["url"] = url
print(json.dumps(spec, indent=2, sort_keys=True))
PY
}

summarize() {
  python3 - "$1" "$2" <<'PY'
import collections, json, os, sys
outdir, mode = sys.argv[1:]
names = {"1": "Framing", "2": "Pings/Pongs", "3": "Reserved Bits", "4": "Opcodes", "5": "Fragmentation",
         "6": "UTF-8 Handling", "7": "Close Handling", "9": "Limits/Performance", "10": "Misc",
         "12": "Compression (payloads)", "13": "Compression (parameters)"}
main = ["OK", "NON-STRICT", "INFORMATIONAL", "FAILED"]
try:
    index = json.load(open(os.path.join(outdir, "index.json")))
except (OSError, ValueError) as error:
    print("%s: no report (%s)" % (mode, error))
    print("0 OK, 0 NON-STRICT, 0 INFORMATIONAL, 0 FAILED, run incomplete")
    sys.exit(2)
per = collections.defaultdict(collections.Counter)
total = collections.Counter()
failed = []
for agent, cases in index.items():
    for case, result in cases.items():
        behavior = result.get("behavior", "?")
        if behavior == "OK" and result.get("behaviorClose") not in (None, "OK", "INFORMATIONAL"):
            pass
        category = case.split(".")[0]
        per[category][behavior] += 1
        total[behavior] += 1
        if behavior == "FAILED" or result.get("behaviorClose") == "FAILED":
            failed.append(case)
print("%s mode:" % mode)
print("%-28s %5s %10s %13s %6s" % ("category", "OK", "NON-STRICT", "INFORMATIONAL", "FAILED"))
for category in sorted(per, key=int):
    c = per[category]
    print("%-28s %5d %10d %13d %6d" % ("%s %s" % (category, names.get(category, "")), c["OK"], c["NON-STRICT"],
                                       c["INFORMATIONAL"], c["FAILED"]))
if failed:
    print("failed: " + " ".join(sorted(set(failed), key=lambda k: tuple(int(p) for p in k.split(".")))))
extra = "".join(", %d %s" % (n, k) for k, n in sorted(total.items()) if k not in main)
print("%d OK, %d NON-STRICT, %d INFORMATIONAL, %d FAILED%s" % (total["OK"], total["NON-STRICT"],
      total["INFORMATIONAL"], total["FAILED"], extra))
sys.exit(1 if total["FAILED"] or extra else 0)
PY
}

# wstest with its listener on 127.0.0.1 only (autobahn's listenWS binds every interface by default).
WSTEST_LOOPBACK='
import autobahn.twisted.websocket as ws
original = ws.listenWS
def loopback(factory, contextFactory=None, backlog=50, interface=""):
    return original(factory, contextFactory, backlog, "127.0.0.1")
ws.listenWS = loopback
import autobahntestsuite.fuzzing as fuzzing
fuzzing.listenWS = loopback
from autobahntestsuite.wstest import run
run()
'

ensure_wstest || exit 2
echo "building squall-ws-echo ..." >&2
(cd "$ROOT" && swift build -c "$CONFIG" --scratch-path "$SCRATCH" --product squall-ws-echo >&2)
ECHO="$(cd "$ROOT" && swift build -c "$CONFIG" --scratch-path "$SCRATCH" --show-bin-path)/squall-ws-echo"
mkdir -p "$OUTDIR"
STATUS=0
PIDS=()
cleanup() { for pid in "${PIDS[@]:-}"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for_port() {
  for _ in $(seq 1 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 0.2)" "$1" 2>/dev/null
    then return 0; fi
    sleep 0.1
  done
  return 1
}

if [[ "$MODE" == server || "$MODE" == both ]]; then
  out="$OUTDIR/server"; rm -rf "$out"; mkdir -p "$out"
  "$ECHO" server --port "$PORT" > "$out/squall.log" 2>&1 & PIDS+=($!)
  wait_for_port "$PORT" || { echo "squall-ws-echo server did not start" >&2; exit 2; }
  write_spec fuzzingclient "ws://127.0.0.1:$PORT/" "$out" > "$out/spec.json"
  echo "wstest fuzzingclient -> Squall server (cases: $CASES) ..." >&2
  (cd "$out" && "$VENV/py27/bin/python" -c "$WSTEST_LOOPBACK" -m fuzzingclient -s spec.json > wstest.log 2>&1) || true
  summarize "$out" server || STATUS=$?
fi

if [[ "$MODE" == client || "$MODE" == both ]]; then
  out="$OUTDIR/client"; rm -rf "$out"; mkdir -p "$out"
  write_spec fuzzingserver "ws://127.0.0.1:$CLIENT_PORT" "$out" > "$out/spec.json"
  (cd "$out" && "$VENV/py27/bin/python" -c "$WSTEST_LOOPBACK" -m fuzzingserver -s spec.json > wstest.log 2>&1) &
  PIDS+=($!)
  wait_for_port "$CLIENT_PORT" || { echo "wstest fuzzingserver did not start" >&2; exit 2; }
  echo "Squall client -> wstest fuzzingserver (cases: $CASES) ..." >&2
  "$ECHO" client --url "ws://127.0.0.1:$CLIENT_PORT" --agent squall > "$out/squall.log" 2>&1 || true
  # wstest writes the client report under OUTDIR/ (index.json) when asked by updateReports.
  summarize "$out" client || { rc=$?; [[ $STATUS -eq 0 || $rc -eq 2 ]] && STATUS=$rc; }
fi
exit $STATUS
