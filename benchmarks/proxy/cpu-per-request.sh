#!/usr/bin/env bash
# CPU time per proxied request of tracegw variants, robust on a shared machine where requests/s swing with other load:
# the proxy's own CPU time (utime + stime of all its threads, from /proc) divided by the requests wrk completed.
# Same layout as run.sh (proxy on CPU 0; nginx backend and wrk on CPU 1; 127.0.0.1 only). Variants run in turn,
# ROUNDS times; the summary gives the minimum and median per variant (the minimum is the least disturbed round).
#
# Usage: [ROUNDS=3] [CONNECTIONS=32] benchmarks/proxy/cpu-per-request.sh [seconds-per-run] NAME=BINARY:MODE...
#   MODE: untraced (OTEL_SDK_DISABLED=true), none (100 % sampled, exporter none), stdout (100 %, stdout to /dev/null),
#   optionally followed by environment settings for that process (stdout+OTEL_BSP_MAX_EXPORT_BATCH_SIZE=64);
#   NAME=nginx:peer measures nginx as a plain reverse proxy (one worker on CPU 0) in the same rounds.
#   e.g. ROUNDS=5 benchmarks/proxy/cpu-per-request.sh 3 old=/tmp/tracegw-old:none new=.build/release/tracegw:none
#   PAIRS="a/b ..." adds, per pair, the median and quartiles of the per-round ratio of a's CPU per request to b's
#   (rounds run the variants seconds apart, so the machine's drift mostly cancels in them).
#   Each tracegw variant's spans dropped over the run (exporter queue full) are printed beside it: one that drops
#   spans skipped export work, so its CPU per request is not comparable.
set -euo pipefail
duration=${1:-3}
shift || true
source "$(dirname "$0")/../lib/common.sh"
require_tools nginx wrk
backend_port=$(free_port)
write_nginx_conf backend 10 "server { listen 127.0.0.1:$backend_port; location / { return 200 \"hello world\\n\"; } }"
start_nginx backend

names=()
tracegw_names=()
for spec in "$@"; do
    name=${spec%%=*}; rest=${spec#*=}; binary=${rest%%:*}; mode=${rest##*:}
    if [ "$mode" = peer ]; then
        port=$(free_port)
        write_nginx_conf "$name" 01 "upstream be { server 127.0.0.1:$backend_port; keepalive 1024; }
    server { listen 127.0.0.1:$port; location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
        start_nginx "$name"
        for _ in $(seq 100); do [ -s "$work/$name/nginx.pid" ] && pgrep -P "$(cat "$work/$name/nginx.pid")" >/dev/null && break; sleep 0.05; done
        tracegw_pid[$name]=$(pgrep -P "$(cat "$work/$name/nginx.pid")" | head -1)  # the worker does the proxying
        tracegw_port[$name]=$port
        names+=("$name")
        continue
    fi
    start_tracegw_mode "$name" "$binary" "$mode"
    names+=("$name")
    tracegw_names+=("$name")
done

hz=$(getconf CLK_TCK)
results="$work/results"
taskset -c 1 wrk -t1 -c32 -d1s "http://127.0.0.1:$backend_port/" >/dev/null 2>&1
for _ in $(seq "${ROUNDS:-3}"); do
    for name in "${names[@]}"; do
        before=$(cpu_ticks "${tracegw_pid[$name]}")
        out=$(taskset -c 1 wrk -t1 -c"${CONNECTIONS:-32}" -d"${duration}s" "http://127.0.0.1:${tracegw_port[$name]}/" 2>/dev/null)
        after=$(cpu_ticks "${tracegw_pid[$name]}")
        requests=$(echo "$out" | awk '/requests in/ {print $1}')
        rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
        echo "$name $(( after - before )) $requests $rps" >> "$results"
    done
done
dropped=$(spans_dropped_list "${tracegw_names[@]}")
PAIRS=${PAIRS:-} python3 - "$results" "$hz" "$dropped" <<'PY'
import collections, os, statistics, sys
cpu, rps = collections.defaultdict(list), collections.defaultdict(list)
hz = float(sys.argv[2])
dropped = dict(kv.split("=") for kv in sys.argv[3].split())
for line in open(sys.argv[1]):
    name, ticks, requests, r = line.split()
    cpu[name].append(float(ticks) / hz * 1e6 / float(requests))
    rps[name].append(float(r))
print(f"{'variant':<12} {'us CPU/req min':>15} {'median':>8} {'req/s median':>13} {'spans dropped':>14}")
for name in cpu:
    print(f"{name:<12} {min(cpu[name]):15.2f} {statistics.median(cpu[name]):8.2f} {statistics.median(rps[name]):13.0f}"
          f" {dropped.get(name, '-'):>14}")
for pair in os.environ["PAIRS"].split():
    a, b = pair.split("/")
    q = sorted(x / y for x, y in zip(cpu[a], cpu[b]))
    print(f"{pair:20} per-round CPU ratio: median {statistics.median(q):.3f}, quartiles {q[len(q) // 4]:.3f}-{q[(3 * len(q)) // 4]:.3f}")
PY
warn_if_spans_dropped "$dropped" "CPU per request is"
