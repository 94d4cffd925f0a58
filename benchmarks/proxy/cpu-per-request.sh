#!/usr/bin/env bash
# CPU time per proxied request of tracegw variants, robust on a shared machine where requests/s swing with other load:
# the proxy's own CPU time (utime + stime of all its threads, from /proc) divided by the requests wrk completed.
# Same layout as run.sh (proxy on CPU 0; nginx backend and wrk on CPU 1; 127.0.0.1 only). Variants run in turn,
# ROUNDS times; the summary gives the minimum and median per variant (the minimum is the least disturbed round).
#
# Usage: benchmarks/proxy/cpu-per-request.sh [seconds-per-run] NAME=BINARY:MODE...
#   MODE: untraced (OTEL_SDK_DISABLED=true), none (100 % sampled, exporter none), stdout (100 %, stdout to /dev/null)
#   e.g. ROUNDS=5 benchmarks/proxy/cpu-per-request.sh 3 old=/tmp/tracegw-old:none new=.build/release/tracegw:none
set -euo pipefail
duration=${1:-3}
shift || true
command -v nginx >/dev/null || { echo "nginx is required (apt-get install nginx-light)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
backend_port=$(free_port)
mkdir -p "$work/backend"
cat > "$work/backend/nginx.conf" <<CONF
worker_processes 1;
worker_cpu_affinity 10;
daemon off;
error_log $work/backend/error.log warn;
pid $work/backend/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $work/backend/body;
    proxy_temp_path $work/backend/proxy;
    fastcgi_temp_path $work/backend/fastcgi;
    uwsgi_temp_path $work/backend/uwsgi;
    scgi_temp_path $work/backend/scgi;
    server { listen 127.0.0.1:$backend_port; location / { return 200 "hello world\n"; } }
}
CONF
nginx -c "$work/backend/nginx.conf" -p "$work/backend" & pids+=($!)

names=()
declare -A port proxy_pid
for spec in "$@"; do
    name=${spec%%=*}; rest=${spec#*=}; binary=${rest%%:*}; mode=${rest##*:}
    case $mode in
        untraced) envs="OTEL_SDK_DISABLED=true"; args="--exporter none" ;;
        none) envs=""; args="--exporter none --sampling-rate 1.0" ;;
        stdout) envs=""; args="--exporter stdout --sampling-rate 1.0" ;;
        *) echo "unknown mode $mode" >&2; exit 1 ;;
    esac
    env $envs taskset -c 0 "$binary" --listen 127.0.0.1:0 --upstream "http://127.0.0.1:$backend_port" --workers 1 \
        $args >/dev/null 2>"$work/$name.err" &
    proxy_pid[$name]=$!; pids+=($!)
    for _ in $(seq 200); do grep -q "^listening on" "$work/$name.err" 2>/dev/null && break; sleep 0.05; done
    port[$name]=$(grep -m1 "^listening on" "$work/$name.err" | sed 's/.*://')
    names+=("$name")
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, in clock ticks
hz=$(getconf CLK_TCK)
results="$work/results"
taskset -c 1 wrk -t1 -c32 -d1s "http://127.0.0.1:$backend_port/" >/dev/null 2>&1
for _ in $(seq "${ROUNDS:-3}"); do
    for name in "${names[@]}"; do
        before=$(ticks "${proxy_pid[$name]}")
        out=$(taskset -c 1 wrk -t1 -c32 -d"${duration}s" "http://127.0.0.1:${port[$name]}/" 2>/dev/null)
        after=$(ticks "${proxy_pid[$name]}")
        requests=$(echo "$out" | awk '/requests in/ {print $1}')
        rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
        echo "$name $(( after - before )) $requests $rps" >> "$results"
    done
done
python3 - "$results" "$hz" <<'PY'
import collections, statistics, sys
cpu, rps = collections.defaultdict(list), collections.defaultdict(list)
hz = float(sys.argv[2])
for line in open(sys.argv[1]):
    name, ticks, requests, r = line.split()
    cpu[name].append(float(ticks) / hz * 1e6 / float(requests))
    rps[name].append(float(r))
print(f"{'variant':<12} {'us CPU/req min':>15} {'median':>8} {'req/s median':>13}")
for name in cpu:
    print(f"{name:<12} {min(cpu[name]):15.2f} {statistics.median(cpu[name]):8.2f} {statistics.median(rps[name]):13.0f}")
PY
