#!/usr/bin/env bash
# Whole-proxy load benchmark: tracegw vs nginx as a plain reverse proxy, in one run, same backend.
#
# Layout on a 2-core machine: the proxy under test is pinned to CPU 0; the backend (nginx, one worker) and the load
# generator (wrk, one thread) share CPU 1. Every run hits the same backend; ratios are computed within this run.
# Everything listens on 127.0.0.1 only.
#
# Usage: [ROUNDS=3] benchmarks/proxy/run.sh [duration-seconds] [connections...]
#   TRACEGW=path/to/tracegw (default: release build)
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
# tracegw variants, each its own process pinned to CPU 0 (only the one under load uses the CPU):
#   untraced     tracing disabled (OTEL_SDK_DISABLED=true): the plain proxy
#   traced-none  tracing at 100 %, spans created and dropped by exporter none
#   traced-stdout tracing at 100 %, spans exported by the stdout exporter to /dev/null
variants=(untraced traced-none traced-stdout)
declare -A variant_port
start_tracegw() { # name env args...
    local name=$1 envs=$2
    shift 2
    env $envs taskset -c 0 "$tracegw" --listen 127.0.0.1:0 --upstream "http://127.0.0.1:$backend_port" --workers 1 \
        "$@" >/dev/null 2>"$work/$name.err" &
    pids+=($!)
    for _ in $(seq 200); do grep -q "^listening on" "$work/$name.err" 2>/dev/null && break; sleep 0.05; done
    variant_port[$name]=$(grep -m1 "^listening on" "$work/$name.err" | sed 's/.*://')
}
start_tracegw untraced "OTEL_SDK_DISABLED=true" --exporter none
start_tracegw traced-none "" --exporter none --sampling-rate 1.0
start_tracegw traced-stdout "" --exporter stdout --sampling-rate 1.0
sleep 0.5

run_wrk() { # port connections -> requests/s
    taskset -c 1 wrk -t1 -c"$2" -d"${duration}s" "http://127.0.0.1:$1/" 2>/dev/null | awk '/Requests\/sec/ {print $2}'
}

# Each variant runs ROUNDS times (default 3), interleaved with the others, and the median is reported: on a shared
# VM the machine's speed drifts over a run, and interleaving keeps that drift out of the ratios.
rounds=${ROUNDS:-3}
printf "%-6s %12s %12s %12s %12s %12s %9s %9s %9s %9s %9s\n" conns direct nginx untraced traced-none traced-out \
    nginx/dir untr/ngx none/ngx out/ngx none/untr
for c in "${connections[@]}"; do
    run_wrk "$backend_port" "$c" >/dev/null # warm-up
    samples="$work/samples-$c"
    : > "$samples"
    for _ in $(seq "$rounds"); do
        echo "direct $(run_wrk "$backend_port" "$c")" >> "$samples"
        echo "nginx $(run_wrk "$nginx_proxy_port" "$c")" >> "$samples"
        echo "untraced $(run_wrk "${variant_port[untraced]}" "$c")" >> "$samples"
        echo "none $(run_wrk "${variant_port[traced-none]}" "$c")" >> "$samples"
        echo "out $(run_wrk "${variant_port[traced-stdout]}" "$c")" >> "$samples"
    done
    python3 - "$c" "$samples" <<'PY'
import collections, statistics, sys
c, path = sys.argv[1], sys.argv[2]
runs = collections.defaultdict(list)
for line in open(path):
    name, value = line.split()
    runs[name].append(float(value))
d, n, u, t, o = (statistics.median(runs[k]) for k in ("direct", "nginx", "untraced", "none", "out"))
print(f"{c:<6} {d:12.0f} {n:12.0f} {u:12.0f} {t:12.0f} {o:12.0f} {n/d:9.2f} {u/n:9.2f} {t/n:9.2f} {o/n:9.2f} {t/u:9.2f}")
PY
done
