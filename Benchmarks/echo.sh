#!/usr/bin/env bash
# Echo throughput: Squall's TCPServer + IOStream against a raw SwiftNIO echo server, same client, same run.
#
#   Benchmarks/echo.sh                      # 3 runs of 10 s per server
#   RUNS=5 DURATION=20 CONNS=128 SIZE=1024 Benchmarks/echo.sh
#
# Knobs: RUNS (3), DURATION seconds measured per run (10), WARMUP seconds before it (2), CONNS (64),
# SIZE bytes per message, newline included (64). Everything listens on 127.0.0.1 and stops by itself.
# The output is also saved to Benchmarks/results/echo-<timestamp>.txt. See Benchmarks/README.md.
set -euo pipefail

RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNS=${CONNS:-64}
SIZE=${SIZE:-64}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

swift build -c release --package-path "$here" >&2
bin="$(swift build -c release --package-path "$here" --show-bin-path)/echo-bench"

# Server and client each get a core of their own when there are two; otherwise the scheduler decides.
server_pin=()
client_pin=()
pinning="none"
if command -v taskset >/dev/null && [[ "$(nproc)" -ge 2 ]]; then
    server_pin=(taskset -c 0)
    client_pin=(taskset -c 1)
    pinning="server on cpu 0, client on cpu 1"
fi

clock_ticks=$(getconf CLK_TCK)

# CPU ticks (user + system) a process has used so far, from /proc (0 where there is no /proc).
cpu_ticks() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
    # Fields after the command name, which sits in parentheses: utime and stime are the 12th and 13th.
    awk '{ print $12 + $13 }' <<<"${stat##*) }"
}

now() { date +%s.%N; }

# Runs one server and the client against it; appends to the results
# "server run msgs_per_sec p50_us p99_us errors client_cpu_pct server_cpu_pct server_cpu_us_per_msg".
measure() {
    local server=$1 run=$2 port="" line ticks_before ticks_after start end server_cpu
    "${server_pin[@]}" "$bin" server "$server" --port 0 >"$work/server.out" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 100); do
        port="$(awk '$1 == "READY" { print $2 }' "$work/server.out")"
        [[ -n "$port" ]] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [[ -z "$port" ]]; then
        echo "echo.sh: the $server server did not start:" >&2
        cat "$work/server.err" >&2
        exit 1
    fi

    ticks_before=$(cpu_ticks "$server_pid")
    start=$(now)
    line="$("${client_pin[@]}" "$bin" client --port "$port" --conns "$CONNS" --size "$SIZE" \
        --duration "$DURATION" --warmup "$WARMUP" | grep '^RESULT')"
    end=$(now)
    ticks_after=$(cpu_ticks "$server_pid")

    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""

    # Server CPU over the whole client run (warmup included), as a share of one core.
    server_cpu=$(awk -v b="$ticks_before" -v a="$ticks_after" -v s="$start" -v e="$end" -v hz="$clock_ticks" \
        'BEGIN { printf "%.1f", (a - b) / hz / (e - s) * 100 }')
    echo "  $server run $run: $line server_cpu_pct=$server_cpu" >&2
    awk -v server="$server" -v run="$run" -v scpu="$server_cpu" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        cost = f["msgs_per_sec"] > 0 ? scpu / 100 / f["msgs_per_sec"] * 1e6 : 0
        print server, run, f["msgs_per_sec"], f["p50_us"], f["p99_us"], f["errors"], f["client_cpu_pct"], scpu,
            sprintf("%.2f", cost)
    }' <<<"$line" >>"$work/results"
}

# Median of column $2 of the results for server $1.
median() {
    awk -v server="$1" -v col="$2" '$1 == server { print $col }' "$work/results" | sort -g | awk '
        { v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.10g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The whole measurement, once the output goes to the terminal and the results file.
benchmark() {
    echo "echo benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "runs=$RUNS duration=${DURATION}s warmup=${WARMUP}s conns=$CONNS size=${SIZE}B pinning: $pinning"
    swift --version 2>/dev/null | head -1
    echo "output saved to Benchmarks/results/$(basename "$out")"
    echo "cores=$(nproc) load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
    echo

    : >"$work/results"
    for run in $(seq "$RUNS"); do
        # Alternate which server goes first, so neither always gets the cooler machine.
        if ((run % 2 == 1)); then order=(squall nio); else order=(nio squall); fi
        for server in "${order[@]}"; do
            measure "$server" "$run"
        done
    done

    echo
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
    echo
    local row='%-8s %-6s %10s %9s %9s %6s %11s %11s %15s\n'
    printf "$row" server run msgs/s p50_us p99_us errors server_cpu% client_cpu% server_us/msg
    sort -k1,1r -k2,2n "$work/results" | while read -r server run rate p50 p99 errors ccpu scpu cost; do
        printf "$row" "$server" "$run" "$rate" "$p50" "$p99" "$errors" "$scpu" "$ccpu" "$cost"
    done

    echo
    for server in squall nio; do
        printf "$row" "$server" median "$(median "$server" 3)" "$(median "$server" 4)" "$(median "$server" 5)" \
            "$(median "$server" 6)" "$(median "$server" 8)" "$(median "$server" 7)" "$(median "$server" 9)"
    done
    echo
    # Throughput can be capped by the client (client_cpu% near 100); server CPU per message cannot.
    awk -v s="$(median squall 9)" -v n="$(median nio 9)" \
        'BEGIN { printf "server CPU per message: squall %.2f us, nio %.2f us; efficiency ratio squall/nio = %.2f\n", s, n, n / s }'
    awk -v s="$(median squall 3)" -v n="$(median nio 3)" 'BEGIN { printf "ratio squall/nio = %.2f\n", s / n }'
}

work="$(mktemp -d)"
server_pid=""
tee_pid=""

# Stops a server left running however the script ends, and lets tee write out the last lines.
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
    if [[ -n "$tee_pid" ]]; then
        exec >&- 2>&-
        wait "$tee_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$here/results"
out="$here/results/echo-$(date +%Y%m%d-%H%M%S).txt"
exec > >(tee "$out") 2>&1
tee_pid=$!
benchmark
