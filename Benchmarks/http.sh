#!/usr/bin/env bash
# HTTP hello-world: Squall's HTTPServer (a handler closure) against a raw SwiftNIO server and Tornado, plus
# Hummingbird when the company's shared peers (../shared/bench/peers) are there; all measured with wrk in one run.
#
#   Benchmarks/http.sh                                     # 3 runs of 10 s per server and endpoint
#   RUNS=5 DURATION=20 SERVERS="squall nio hummingbird-nioexec hummingbird tornado" Benchmarks/http.sh
#
# Knobs: RUNS (3), DURATION seconds per run (10), WARMUP seconds of un-recorded load per server and endpoint (2),
# CONNS wrk connections (64), SERVERS ("squall nio hummingbird-nioexec tornado"; also: hummingbird),
# ENDPOINTS ("plaintext json"), QUIET_MAX (15) and QUIET_WAIT (15): before each run wait at most QUIET_WAIT s for
# the machine to be below QUIET_MAX % of one core busy, DISTURBED (10) and RETRIES (2): measure a run with more
# "other CPU %" than DISTURBED again, at most RETRIES times, NICE (-10 as root, else 0), PEERS (the shared peers).
# Everything listens on 127.0.0.1 and stops by itself. The report is printed and saved to
# Benchmarks/results/http-<timestamp>.md, the raw wrk outputs beside it. See Benchmarks/README.md.
set -euo pipefail

RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNS=${CONNS:-64}
SERVERS=${SERVERS:-squall nio hummingbird-nioexec tornado}
ENDPOINTS=${ENDPOINTS:-plaintext json}
QUIET_MAX=${QUIET_MAX:-15}
QUIET_WAIT=${QUIET_WAIT:-15}
DISTURBED=${DISTURBED:-10}
RETRIES=${RETRIES:-2}
DASHBOARD_RATE=${DASHBOARD_RATE:-10}
if [[ $(id -u) -eq 0 ]]; then NICE=${NICE:--10}; else NICE=${NICE:-0}; fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERS=${PEERS:-$here/../../shared/bench/peers}
venv="$here/.venv"
py="$venv/bin/python"
# Hummingbird is built from a copy of the shared peer package, so the shared folder is only ever read.
peers_copy="$here/.build-peers"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { log "http.sh: $*"; exit 1; }

for knob in RUNS DURATION WARMUP CONNS QUIET_MAX QUIET_WAIT DISTURBED RETRIES; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || die "$knob must be a whole number, not '${!knob}'"
done
((RUNS >= 1 && DURATION >= 1 && CONNS >= 1)) || die "RUNS, DURATION and CONNS must be at least 1"
read -r -a servers <<<"$SERVERS"
read -r -a endpoints <<<"$ENDPOINTS"
for server in "${servers[@]}"; do
    case $server in
    squall | squall-web | squall-web-monitor | squall-web-dashboard | nio | tornado | hummingbird | hummingbird-nioexec) ;;
    *) die "unknown server '$server' (known: squall squall-web squall-web-monitor squall-web-dashboard nio tornado" \
        "hummingbird hummingbird-nioexec)" ;;
    esac
done
for endpoint in "${endpoints[@]}"; do
    case $endpoint in plaintext | json) ;; *) die "unknown endpoint '$endpoint' (known: plaintext json)" ;; esac
done
((${#servers[@]} > 0 && ${#endpoints[@]} > 0)) || die "SERVERS and ENDPOINTS must not be empty"

# ---------------------------------------------------------------- setup: only what is missing

if ! command -v wrk >/dev/null; then
    log "installing wrk"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq wrk >&2 || { apt-get update -qq >&2 && apt-get install -y -qq wrk >&2; }
fi
command -v curl >/dev/null || die "curl is needed to check the servers' answers"

if [[ " ${servers[*]} " == *" tornado "* || " ${servers[*]} " == *" squall-web-dashboard "* ]] &&
    ! "$py" -c 'import sys, tornado; sys.exit(tornado.version != "6.6.1")' 2>/dev/null; then
    log "making $venv with tornado==6.6.1"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q tornado==6.6.1 >&2
fi

log "building http-bench-server and nio-http-peer (release)"
swift build -c release --package-path "$here" --product http-bench-server >&2
swift build -c release --package-path "$here" --product nio-http-peer >&2
bin="$(swift build -c release --package-path "$here" --show-bin-path)"

# The Hummingbird binary: one built in the shared folder itself if there is one, else our build of a copy of
# the shared package (with the shared build.sh), made or refreshed here. Prints nothing if there is none.
hummingbird_binary() {
    local shared_bin="$PEERS/hummingbird/HBServer/.build/release/HBServer"
    local copy="$peers_copy/hummingbird/HBServer" copy_bin
    copy_bin="$copy/.build/release/HBServer"
    if [[ -x $shared_bin ]]; then
        echo "$shared_bin"
        return
    fi
    [[ -f $PEERS/build.sh && -d $PEERS/hummingbird/HBServer ]] || return 0
    local stale=0
    if ! diff -q "$PEERS/build.sh" "$peers_copy/build.sh" >/dev/null 2>&1 ||
        ! diff -rq --exclude=.build --exclude=Package.resolved "$PEERS/hummingbird/HBServer" "$copy" >/dev/null 2>&1; then
        stale=1
        rm -rf "$copy"
        mkdir -p "$peers_copy/hummingbird"
        cp "$PEERS/build.sh" "$peers_copy/build.sh"
        cp -R "$PEERS/hummingbird/HBServer" "$copy"
        chmod -R u+w "$peers_copy"
    fi
    if [[ $stale == 1 || ! -x $copy_bin ]]; then
        log "building the shared Hummingbird peer from a copy in $peers_copy (takes minutes the first time)"
        "$peers_copy/build.sh" hummingbird >&2 || {
            log "the Hummingbird build failed (log: $peers_copy/results/build-hummingbird.log)"
            return 0
        }
    fi
    [[ -x $copy_bin ]] && echo "$copy_bin"
    return 0
}

hummingbird_bin=""
notes=()
if [[ " ${servers[*]} " == *" hummingbird"* ]]; then
    if [[ ! -d $PEERS ]]; then
        notes+=("The shared peers ($PEERS) are not here, so the Hummingbird servers were left out.")
    else
        hummingbird_bin="$(hummingbird_binary)"
        [[ -n $hummingbird_bin ]] || notes+=("The Hummingbird peer could not be built, so it was left out.")
    fi
    if [[ -z $hummingbird_bin ]]; then
        kept=()
        for server in "${servers[@]}"; do [[ $server == hummingbird* ]] || kept+=("$server"); done
        servers=("${kept[@]}")
        log "${notes[-1]}"
    fi
fi
((${#servers[@]} > 0)) || die "no server left to measure"

# ---------------------------------------------------------------- processes and measurements

# Server on CPU 0 and wrk on CPU 1 when there are two cores, both at a raised priority (as the shared harness).
server_pin=(nice -n "$NICE")
load_pin=(nice -n "$NICE")
pinning="none (fewer than 2 cores or no taskset)"
if command -v taskset >/dev/null && [[ "$(nproc)" -ge 2 ]]; then
    server_pin+=(taskset -c 0)
    load_pin+=(taskset -c 1)
    pinning="server on CPU 0, wrk on CPU 1"
fi
clock_ticks=$(getconf CLK_TCK)

# CPU ticks (user + system, all threads) process $1 has used so far; 0 when it is gone.
cpu_ticks() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
    # After the command name (in parentheses) utime and stime are the 12th and 13th fields.
    awk '{ print $12 + $13 }' <<<"${stat##*) }"
}
# Busy ticks of the whole machine (user, nice, system, irq, softirq, steal; all CPUs).
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# Ticks $1 -> $2 over seconds $3 -> $4 as a percentage of one core.
percent() {
    awk -v a="$1" -v b="$2" -v t0="$3" -v t1="$4" -v hz="$clock_ticks" \
        'BEGIN { printf "%.0f", (b - a) / hz / (t1 - t0) * 100 }'
}
now() { date +%s.%N; }

quiet_waited=0
quiet_gave_up=0
# Waits (at most QUIET_WAIT s) until the machine is below QUIET_MAX % of one core busy; our servers are idle here,
# so what it sees is load from outside the benchmark.
wait_quiet() {
    local start m0 t0 busy
    start=$(date +%s)
    while :; do
        m0=$(machine_ticks)
        t0=$(now)
        sleep 1
        busy=$(percent "$m0" "$(machine_ticks)" "$t0" "$(now)")
        ((busy <= QUIET_MAX)) && break
        if (($(date +%s) - start >= QUIET_WAIT)); then
            quiet_gave_up=$((quiet_gave_up + 1))
            log "  machine still ${busy}% busy after ${QUIET_WAIT} s; measuring anyway"
            break
        fi
    done
    quiet_waited=$((quiet_waited + $(date +%s) - start))
}

declare -A pid port dashboard_summary
# A free port for a server that cannot pick its own (Hummingbird has no port 0 and no READY line).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts server $1 with one loop, pinned; sets pid[$1] and port[$1].
start_server() {
    local name=$1 out="$raw/server-$1.out" p="" i
    # Made here, not by the server's redirection, so that it exists before the server gets to run.
    : >"$out"
    case $name in
    squall) (exec "${server_pin[@]}" "$bin/http-bench-server" --port 0 --threads 1 >"$out" 2>&1) & ;;
    squall-web) (exec "${server_pin[@]}" "$bin/web-bench-server" --port 0 --threads 1 >"$out" 2>&1) & ;;
    squall-web-monitor | squall-web-dashboard)
        (exec env MONITOR=1 "${server_pin[@]}" "$bin/web-bench-server" --port 0 --threads 1 >"$out" 2>&1) &
        ;;
    nio) (exec "${server_pin[@]}" "$bin/nio-http-peer" --port 0 --threads 1 >"$out" 2>&1) & ;;
    tornado) (exec "${server_pin[@]}" "$py" "$here/peers/tornado_server.py" --port 0 >"$out" 2>&1) & ;;
    hummingbird | hummingbird-nioexec)
        p=$(free_port)
        local executor=0
        [[ $name == hummingbird-nioexec ]] && executor=1
        (exec env PORT="$p" THREADS=1 NIO_EXECUTOR=$executor "${server_pin[@]}" "$hummingbird_bin" >"$out" 2>&1) &
        ;;
    esac
    pid[$name]=$!
    # Ours print READY <port>; Hummingbird's port counts once it accepts (its log line comes before the bind).
    for ((i = 0; i < 300; i++)); do
        kill -0 "${pid[$name]}" 2>/dev/null || break
        [[ -n $p ]] || p="$(awk '$1 == "READY" { print $2; exit }' "$out")"
        [[ -n $p ]] && port_open "$p" && break
        sleep 0.1
    done
    if ! kill -0 "${pid[$name]}" 2>/dev/null || [[ -z $p ]] || ! port_open "$p"; then
        cat "$out" >&2
        die "the $name server did not start (output above)"
    fi
    port[$name]=$p
    log "  started $name: pid ${pid[$name]} ($(cat "/proc/${pid[$name]}/comm")), port $p"
    [[ $name == squall-web-dashboard ]] && start_dashboard "$name"
    return 0
}

# Attaches a headless dashboard (Benchmarks/dashboard_client.py: every view at DASHBOARD_RATE Hz, as squall-top
# subscribes) to the monitor of server $1, on wrk's CPU; its process is dashboard_pid[$1].
declare -A dashboard_pid
start_dashboard() {
    local name=$1 out="$raw/dashboard-$1.out" admin i
    admin="$(awk '$1 == "ADMIN" { print $2, $3; exit }' "$raw/server-$name.out")"
    [[ -n $admin ]] || die "the $name server printed no ADMIN line"
    : >"$out"
    # shellcheck disable=SC2086
    (exec "${load_pin[@]}" "$py" "$here/dashboard_client.py" --port ${admin% *} --token "${admin#* }" \
        --rate "$DASHBOARD_RATE" --seconds 3600 >"$out" 2>&1) &
    dashboard_pid[$name]=$!
    for ((i = 0; i < 100; i++)); do
        grep -q '^ATTACHED' "$out" && break
        kill -0 "${dashboard_pid[$name]}" 2>/dev/null || break
        sleep 0.1
    done
    grep -q '^ATTACHED' "$out" || { cat "$out" >&2; die "the dashboard client did not attach to $name"; }
    log "  attached a dashboard at $DASHBOARD_RATE Hz to $name (pid ${dashboard_pid[$name]})"
}

stop_servers() {
    local name i
    for name in "${!dashboard_pid[@]}"; do
        kill "${dashboard_pid[$name]}" 2>/dev/null || true
        wait "${dashboard_pid[$name]}" 2>/dev/null || true
        dashboard_summary[$name]="$(awk '$1 == "DASHBOARD"' "$raw/dashboard-$name.out" 2>/dev/null)"
        unset "dashboard_pid[$name]"
    done
    for name in "${!pid[@]}"; do kill "${pid[$name]}" 2>/dev/null || true; done
    for name in "${!pid[@]}"; do
        for ((i = 0; i < 50; i++)); do kill -0 "${pid[$name]}" 2>/dev/null || break; sleep 0.1; done
        kill -9 "${pid[$name]}" 2>/dev/null || true
        wait "${pid[$name]}" 2>/dev/null || true
        unset "pid[$name]"
    done
}

# Fetches $2 from server $1 once and says what is wrong with the answer, if anything.
check_answer() {
    local name=$1 endpoint=$2 status body
    status=$(curl -s -o "$raw/$name-$endpoint.body" -D "$raw/$name-$endpoint.headers" -w '%{http_code}' \
        --max-time 5 "http://127.0.0.1:${port[$name]}/$endpoint") || status="no answer"
    body="$(cat "$raw/$name-$endpoint.body" 2>/dev/null || true)"
    case $endpoint in
    plaintext) [[ $status == 200 && $body == "Hello, World!" ]] && return ;;
    json) [[ $status == 200 && $body =~ ^\{\"message\":\ ?\"Hello,\ World!\"\}$ ]] && return ;;
    esac
    log "  WARNING: $name /$endpoint answered $status '$body'"
    notes+=("$name /$endpoint answered $status \`$body\` to a check request; its figures are not comparable.")
}

# wrk latency ("512.00us", "1.20ms", "1.01s") in microseconds.
to_us() {
    awk -v v="$1" 'BEGIN { n = v + 0
        if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1000000
        else print "nan" }'
}

retried=0
# Measured run $3 of server $1 at endpoint $2; appends a line to $work/results:
# "server endpoint run req_s p50_us p99_us server_cpu wrk_cpu other_cpu errors".
# A run that outside load disturbed (other CPU above DISTURBED %) is measured again, at most RETRIES times; the
# last attempt counts.
measure() {
    local attempt
    for ((attempt = 0; ; attempt++)); do
        measure_once "$@" "$attempt"
        ((last_other > DISTURBED && attempt < RETRIES)) || break
        retried=$((retried + 1))
        log "  disturbed (other CPU ${last_other}%): measuring it again"
    done
    echo "$last_result" >>"$work/results"
}

# One wrk run against server $1 at endpoint $2 for run $3, attempt $4; sets last_result and last_other.
measure_once() {
    local name=$1 endpoint=$2 run=$3 f="$raw/$1-$2-$3.txt" c0 c1 d0 d1 m0 m1 t0 t1 rate p50 p99 scpu wcpu dcpu other errors
    (($4 == 0)) || f="$raw/$1-$2-$3-retry$4.txt"
    wait_quiet
    c0=$(cpu_ticks "${pid[$name]}")
    d0=$(cpu_ticks "${dashboard_pid[$name]:-0}")
    m0=$(machine_ticks)
    t0=$(now)
    {
        local TIMEFORMAT='%U %S'
        time timeout $((DURATION + 30)) "${load_pin[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency \
            "http://127.0.0.1:${port[$name]}/$endpoint" >"$f" 2>&1 || true
    } 2>"$f.cpu"
    c1=$(cpu_ticks "${pid[$name]}")
    d1=$(cpu_ticks "${dashboard_pid[$name]:-0}")
    m1=$(machine_ticks)
    t1=$(now)
    rate=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
    [[ -n $rate ]] || { cat "$f" >&2; die "wrk gave no result against $name /$endpoint (output above)"; }
    p50=$(to_us "$(awk '$1 == "50%" { print $2 }' "$f")")
    p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$f")")
    scpu=$(percent "$c0" "$c1" "$t0" "$t1")
    wcpu=$(awk -v t0="$t0" -v t1="$t1" '{ printf "%.0f", ($1 + $2) / (t1 - t0) * 100 }' "$f.cpu")
    # The dashboard client's CPU (when one is attached) is part of the benchmark, not outside load.
    dcpu=$(percent "$d0" "$d1" "$t0" "$t1")
    other=$(awk -v m="$(percent "$m0" "$m1" "$t0" "$t1")" -v s="$scpu" -v w="$wcpu" -v d="$dcpu" \
        'BEGIN { o = m - s - w - d; printf "%.0f", o < 0 ? 0 : o }')
    [[ -n ${dashboard_pid[$name]:-} ]] && log "  dashboard client CPU ${dcpu}%"
    # Non-2xx/3xx responses plus every kind of socket error (connect, read, write, timeout).
    errors=$(awk '/^ *Non-2xx or 3xx responses:/ { n += $NF }
        /^ *Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
        END { print n + 0 }' "$f")
    log "  $name /$endpoint run $run: $rate req/s, p50 ${p50} us, p99 ${p99} us, CPU server ${scpu}% wrk ${wcpu}%" \
        "other ${other}%, errors $errors"
    last_result="$name $endpoint $run $rate $p50 $p99 $scpu $wcpu $other $errors"
    last_other=$other
}

# Median of column $3 of the results for server $1 and endpoint $2 (empty if there are none).
median() {
    awk -v s="$1" -v e="$2" -v c="$3" '$1 == s && $2 == e { print $c }' "$work/results" | sort -g | awk '
        { v[NR] = $1 }
        END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.10g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# "a/b = r" for the figures a of server $1 and b of server $2 in column $4 at endpoint $3, with the goal met or not
# (goal $5: ">=0.9" or "<=1"); nothing when either server has no figures.
ratio_line() {
    local a b
    a=$(median "$1" "$3" "$4")
    b=$(median "$2" "$3" "$4")
    [[ -n $a && -n $b ]] || return 0
    awk -v a="$a" -v b="$b" -v goal="$5" -v what="$6" 'BEGIN {
        r = a / b; bound = substr(goal, 3) + 0
        met = (substr(goal, 1, 2) == ">=") ? (r >= bound) : (r <= bound)
        printf "%s = %.2f (%s; goal %s: %s)\n", what, r, sprintf("%.0f vs %.0f", a, b), goal, met ? "met" : "NOT met"
    }'
}

# Server CPU per request of squall and nio at endpoint $1, and nio's over squall's: the comparison that does not
# depend on wrk keeping up (higher is better for Squall, as the req/s ratio).
efficiency_line() {
    local s_cpu s_rate n_cpu n_rate
    s_cpu=$(median squall "$1" 7)
    s_rate=$(median squall "$1" 4)
    n_cpu=$(median nio "$1" 7)
    n_rate=$(median nio "$1" 4)
    [[ -n $s_cpu && -n $n_cpu ]] || return 0
    awk -v sc="$s_cpu" -v sr="$s_rate" -v nc="$n_cpu" -v nr="$n_rate" 'BEGIN {
        s = sc / 100 / sr * 1e6; n = nc / 100 / nr * 1e6
        printf "- server CPU per request: squall %.1f µs, nio %.1f µs; efficiency squall/nio = %.2f\n", s, n, n / s
    }'
}

# The runs at endpoint $1 that outside load disturbed (other CPU above DISTURBED %) even after their retries;
# a median may hide them.
disturbed_line() {
    awk -v e="$1" -v limit="$DISTURBED" '$2 == e && $9 > limit {
            list = list sep sprintf("%s run %s (%s %%, %.0f req/s, p99 %.0f µs)", $1, $3, $9, $4, $6); sep = "; " }
        END { if (list != "") printf "- **disturbed runs** (other CPU > %s %%): %s\n", limit, list }' "$work/results"
}

# ---------------------------------------------------------------- the benchmark

work="$(mktemp -d)"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$here/results"
report="$here/results/http-$stamp.md"
raw="$here/results/http-$stamp-raw"
mkdir -p "$raw"

cleanup() {
    stop_servers
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
m0=$(machine_ticks)
t0=$(now)
sleep 2
busy_before=$(percent "$m0" "$(machine_ticks)" "$t0" "$(now)")
started=$(date +%s)

log "starting servers: ${servers[*]}"
for server in "${servers[@]}"; do start_server "$server"; done
for endpoint in "${endpoints[@]}"; do
    for server in "${servers[@]}"; do check_answer "$server" "$endpoint"; done
done

: >"$work/results"
for endpoint in "${endpoints[@]}"; do
    log "/$endpoint: ${WARMUP} s warm-up per server"
    for server in "${servers[@]}"; do
        ((WARMUP > 0)) && "${load_pin[@]}" wrk -t1 -c"$CONNS" -d"${WARMUP}s" \
            "http://127.0.0.1:${port[$server]}/$endpoint" >/dev/null 2>&1
    done
    # Runs are interleaved and the order rotates, so a change of load on the shared machine hits every server.
    for ((run = 1; run <= RUNS; run++)); do
        count=${#servers[@]}
        for ((i = 0; i < count; i++)); do
            measure "${servers[(i + run - 1) % count]}" "$endpoint" "$run"
        done
    done
done
threads_line=""
for server in "${servers[@]}"; do
    threads_line+="$server $(awk '/^Threads:/ { print $2 }' "/proc/${pid[$server]}/status"), "
done
stop_servers
elapsed=$(($(date +%s) - started))

{
    echo "# HTTP hello-world benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "- command: \`RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP CONNS=$CONNS SERVERS=\"${servers[*]}\"" \
        "ENDPOINTS=\"${endpoints[*]}\" Benchmarks/http.sh\`"
    echo "- machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), kernel $(uname -r);" \
        "load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg); busy before start ${busy_before}% of one core"
    echo "- $(swift --version 2>/dev/null | head -1); wrk $(wrk --version 2>&1 | head -1 | awk '{ print $2 }');" \
        "$([[ -x $py ]] && "$py" -c 'import sys, tornado; print(f"Python {sys.version.split()[0]}, Tornado {tornado.version}")')"
    echo "- method: one event loop per server (Tornado: one process); $pinning; nice $NICE;" \
        "\`wrk -t1 -c$CONNS -d${DURATION}s --latency\`; ${WARMUP} s warm-up per server and endpoint; $RUNS runs each," \
        "interleaved in rotating order; medians of each column taken separately"
    echo "- waited ${quiet_waited} s in all for a quiet machine (< ${QUIET_MAX}% busy); gave up $quiet_gave_up time(s)" \
        "after ${QUIET_WAIT} s; measured $retried disturbed run(s) again (other CPU > ${DISTURBED}%, at most" \
        "$RETRIES times each); total ${elapsed} s"
    echo "- OS threads per server process: ${threads_line%, }"
    [[ -n $hummingbird_bin ]] && echo "- Hummingbird binary: \`$hummingbird_bin\`"
    echo "- raw wrk output: \`Benchmarks/results/$(basename "$raw")/\`"
    for note in "${notes[@]+"${notes[@]}"}"; do echo "- **Note:** $note"; done
    for name in "${!dashboard_summary[@]}"; do
        echo "- dashboard client of $name (every view at ${DASHBOARD_RATE} Hz, on wrk's CPU): \`${dashboard_summary[$name]}\`"
    done

    for endpoint in "${endpoints[@]}"; do
        echo
        echo "## /$endpoint"
        echo
        echo "| server | median req/s | runs req/s | p50 µs | p99 µs | server CPU % | wrk CPU % | other CPU % | server µs/req | errors |"
        echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
        for server in "${servers[@]}"; do
            rate=$(median "$server" "$endpoint" 4)
            runs=$(awk -v s="$server" -v e="$endpoint" '$1 == s && $2 == e { printf "%s%.0f", sep, $4; sep = " " }' \
                "$work/results")
            errors=$(awk -v s="$server" -v e="$endpoint" '$1 == s && $2 == e { n += $10 } END { print n + 0 }' \
                "$work/results")
            scpu=$(median "$server" "$endpoint" 7)
            awk -v s="$server" -v r="$rate" -v runs="$runs" -v p50="$(median "$server" "$endpoint" 5)" \
                -v p99="$(median "$server" "$endpoint" 6)" -v scpu="$scpu" -v wcpu="$(median "$server" "$endpoint" 8)" \
                -v other="$(median "$server" "$endpoint" 9)" -v errors="$errors" 'BEGIN {
                    printf "| %s | %.0f | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %d |\n",
                        s, r, runs, p50, p99, scpu, wcpu, other, scpu / 100 / r * 1e6, errors }'
        done
        echo
        ratio_line squall nio "$endpoint" 4 ">=0.9" "squall/nio req/s" | sed 's/^/- /'
        efficiency_line "$endpoint"
        ratio_line squall-web-monitor squall-web "$endpoint" 4 ">=0.97" "monitor on / off req/s" | sed 's/^/- /'
        ratio_line squall-web-dashboard squall-web "$endpoint" 4 ">=0.95" \
            "monitor on + dashboard at ${DASHBOARD_RATE} Hz / off req/s" | sed 's/^/- /'
        for hb in hummingbird-nioexec hummingbird; do
            ratio_line squall "$hb" "$endpoint" 6 "<=1" "squall p99 / $hb p99" | sed 's/^/- /'
        done
        disturbed_line "$endpoint"
    done
    echo
    echo "errors = wrk's non-2xx/3xx responses plus socket errors (connect, read, write, timeout), summed over the runs." \
        "CPU % is of one core over each run; 'other CPU %' = whole-machine busy − server − wrk (load from outside" \
        "the benchmark; compare only rows where it is near 0). server µs/req = server CPU / req/s, from the medians."
} >"$work/report"

cp "$work/report" "$report"
cat "$report"
log "saved to Benchmarks/results/$(basename "$report")"
