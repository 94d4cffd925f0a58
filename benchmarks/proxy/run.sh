#!/usr/bin/env bash
# Whole-proxy load benchmark: tracegw vs nginx as a plain reverse proxy, in one run, same backend.
#
# Layout on a 2-core machine: the proxy under test is pinned to CPU 0; the backend (nginx, one worker) and the load
# generator (wrk, one thread) share CPU 1. Every run hits the same backend; ratios are computed within this run.
# Everything listens on 127.0.0.1 only.
#
# Usage: benchmarks/proxy/run.sh [duration-seconds] [connections...]
#   TRACEGW=path/to/tracegw (default: release build), TRACEGW_ARGS="extra flags" (e.g. "--exporter none")
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
shift || true
connections=("${@:-32}")
[ ${#connections[@]} -eq 0 ] && connections=(32)
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
nginx_proxy_port=$(free_port)

write_nginx_conf() { # name cpu-mask body
    mkdir -p "$work/$1"
    cat > "$work/$1/nginx.conf" <<CONF
worker_processes 1;
worker_cpu_affinity $2;
daemon off;
error_log $work/$1/error.log warn;
pid $work/$1/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $work/$1/body;
    proxy_temp_path $work/$1/proxy;
    fastcgi_temp_path $work/$1/fastcgi;
    uwsgi_temp_path $work/$1/uwsgi;
    scgi_temp_path $work/$1/scgi;
    $3
}
CONF
}

write_nginx_conf backend 10 "server { listen 127.0.0.1:$backend_port; location / { return 200 \"hello world\\n\"; } }"
write_nginx_conf proxy 01 "upstream be { server 127.0.0.1:$backend_port; keepalive 1024; }
    server { listen 127.0.0.1:$nginx_proxy_port; location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"

nginx -c "$work/backend/nginx.conf" -p "$work/backend" & pids+=($!)
nginx -c "$work/proxy/nginx.conf" -p "$work/proxy" & pids+=($!)
taskset -c 0 "$tracegw" --listen 127.0.0.1:0 --upstream "http://127.0.0.1:$backend_port" --workers 1 \
    ${TRACEGW_ARGS:---exporter none} >/dev/null 2>"$work/tracegw.err" & pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/tracegw.err" 2>/dev/null && break; sleep 0.05; done
tracegw_port=$(grep -m1 "^listening on" "$work/tracegw.err" | sed 's/.*://')
sleep 0.5

run_wrk() { # port connections -> requests/s
    taskset -c 1 wrk -t1 -c"$2" -d"${duration}s" "http://127.0.0.1:$1/" 2>/dev/null | awk '/Requests\/sec/ {print $2}'
}

printf "%-6s %14s %14s %14s %10s %10s\n" conns "direct req/s" "nginx req/s" "tracegw req/s" "nginx/dir" "tgw/nginx"
for c in "${connections[@]}"; do
    run_wrk "$backend_port" "$c" >/dev/null # warm-up
    direct=$(run_wrk "$backend_port" "$c")
    nginx_rps=$(run_wrk "$nginx_proxy_port" "$c")
    tgw=$(run_wrk "$tracegw_port" "$c")
    python3 - "$c" "$direct" "$nginx_rps" "$tgw" <<'PY'
import sys
c, d, n, t = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"{c:<6} {d:14.0f} {n:14.0f} {t:14.0f} {n/d:10.2f} {t/n:10.2f}")
PY
done
