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
source benchmarks/lib/common.sh
require_tools nginx wrk
backend_port=$(free_port)
http_port=$(free_port)
grpc_port=$(free_port)
dead_port=$(free_port)

write_nginx_conf sinks 10 "client_max_body_size 64m;
    client_body_buffer_size 4m;
    server { listen 127.0.0.1:$backend_port; location / { return 200 \"hello world\\n\"; } }
    server { listen 127.0.0.1:$http_port; location / { return 200; } }
    server {
        listen 127.0.0.1:$grpc_port http2;
        location / { add_header content-type application/grpc always; add_header grpc-status 0 always; return 200; }
    }"
start_nginx sinks
sleep 0.5

variants=(traced-none http-up http-down grpc-up grpc-down)
otlp_at() { echo "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$1"; }
start_tracegw traced-none "$tracegw" "$(otlp_at "$dead_port")" --sampling-rate 1.0 --exporter none
start_tracegw http-up "$tracegw" "$(otlp_at "$http_port")" --sampling-rate 1.0 --exporter otlp-http
start_tracegw http-down "$tracegw" "$(otlp_at "$dead_port")" --sampling-rate 1.0 --exporter otlp-http
start_tracegw grpc-up "$tracegw" "$(otlp_at "$grpc_port")" --sampling-rate 1.0 --exporter otlp
start_tracegw grpc-down "$tracegw" "$(otlp_at "$dead_port")" --sampling-rate 1.0 --exporter otlp
sleep 0.5

results="$work/results"
: > "$results"
for round in $(seq "$rounds"); do
    for v in "${variants[@]}"; do
        before=$(cpu_ticks "${tracegw_pid[$v]}")
        out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${duration}s" "http://127.0.0.1:${tracegw_port[$v]}/" 2>/dev/null)
        after=$(cpu_ticks "${tracegw_pid[$v]}")
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
