#!/usr/bin/env bash
# The proxy's throughput with a network exporter whose collector is up vs down (issue 5; goal: within 5 %).
#
# One nginx serves as the backend (`return 200`) and as the collector sink on 127.0.0.1: OTLP/HTTP (`return 200` to
# POST /v1/traces) and OTLP/gRPC over h2c (a Trailers-Only `grpc-status: 0`), so the collector costs almost nothing.
# "Down" points the exporter at a port where nothing listens (connection refused, retried with backoff until
# export_timeout, queue full, spans dropped). Each tracegw variant is its own process pinned to CPU 0 with one
# worker; nginx and wrk share CPU 1. Variants are measured in interleaved rounds (ABCD ABCD ...) so drifting machine
# load hits all of them alike. Printed per variant: mean requests/s, and mean requests per tracegw CPU-second
# (utime+stime from /proc, robust against other load on the machine). 127.0.0.1 only.
#
# Usage: benchmarks/exporters/run.sh [seconds-per-run] [connections] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-8}
conns=${2:-32}
rounds=${3:-3}
tracegw=${TRACEGW:-.build/release/tracegw}
if [ ! -x "$tracegw" ]; then swift build -c release --product tracegw >&2; fi
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
http_port=$(free_port)
grpc_port=$(free_port)
dead_port=$(free_port)

cat > "$work/nginx.conf" <<CONF
worker_processes 1;
worker_cpu_affinity 10;
daemon off;
error_log $work/error.log warn;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $work/body;
    client_max_body_size 64m;
    client_body_buffer_size 4m;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    server { listen 127.0.0.1:$backend_port; location / { return 200 "hello world\n"; } }
    server { listen 127.0.0.1:$http_port; location / { return 200; } }
    server {
        listen 127.0.0.1:$grpc_port http2;
        location / { add_header content-type application/grpc always; add_header grpc-status 0 always; return 200; }
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null & pids+=($!)
sleep 0.5

declare -A port pid
start_tracegw() { # name endpoint args...
    local name=$1 endpoint=$2
    shift 2
    env OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" taskset -c 0 "$tracegw" --listen 127.0.0.1:0 \
        --upstream "http://127.0.0.1:$backend_port" --workers 1 --sampling-rate 1.0 "$@" >/dev/null 2>"$work/$name.err" &
    pid[$name]=$!
    pids+=($!)
    for _ in $(seq 200); do grep -q "^listening on" "$work/$name.err" 2>/dev/null && break; sleep 0.05; done
    port[$name]=$(grep -m1 "^listening on" "$work/$name.err" | sed 's/.*://')
}
variants=(traced-none http-up http-down grpc-up grpc-down)
start_tracegw traced-none "http://127.0.0.1:$dead_port" --exporter none
start_tracegw http-up "http://127.0.0.1:$http_port" --exporter otlp-http
start_tracegw http-down "http://127.0.0.1:$dead_port" --exporter otlp-http
start_tracegw grpc-up "http://127.0.0.1:$grpc_port" --exporter otlp
start_tracegw grpc-down "http://127.0.0.1:$dead_port" --exporter otlp
sleep 0.5

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
results="$work/results"
: > "$results"
for round in $(seq "$rounds"); do
    for v in "${variants[@]}"; do
        before=$(cpu_ticks "${pid[$v]}")
        out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${duration}s" "http://127.0.0.1:${port[$v]}/" 2>/dev/null)
        after=$(cpu_ticks "${pid[$v]}")
        rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
        total=$(echo "$out" | awk '/requests in/ {print $1}')
        echo "$v $rps $total $((after - before))" >> "$results"
    done
done
python3 - "$results" "$conns" "$duration" "$rounds" <<'PY'
import sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    v, rps, total, ticks = line.split()
    rows[v].append((float(rps), int(total), int(ticks)))
print(f"{sys.argv[4]} rounds x {sys.argv[3]} s at {sys.argv[2]} connections")
print(f"{'variant':<12} {'req/s (mean)':>13} {'req/s runs':>26} {'req per CPU-s':>14}")
means = {}
for v in ["traced-none", "http-up", "http-down", "grpc-up", "grpc-down"]:
    r = rows[v]
    mean = sum(x[0] for x in r) / len(r)
    per_cpu = sum(x[1] for x in r) / max(sum(x[2] for x in r) / 100, 1e-9)
    means[v] = (mean, per_cpu)
    print(f"{v:<12} {mean:13.0f} {' '.join(f'{x[0]:.0f}' for x in r):>26} {per_cpu:14.0f}")
for proto in ("http", "grpc"):
    up, down = means[f"{proto}-up"], means[f"{proto}-down"]
    print(f"{proto}: down/up throughput {down[0] / up[0]:.2f}, down/up requests per CPU-second {down[1] / up[1]:.2f}")
PY
for v in "${variants[@]}"; do
    if grep -q "error" "$work/$v.err" && [[ $v == *-up ]]; then echo "warning: $v logged export errors:" >&2; grep -m3 error "$work/$v.err" >&2; fi
done
