#!/usr/bin/env bash
# The proxy's throughput with a network exporter whose collector is up vs down (issue 5, goal: within 5 %).
#
# The collector is nginx acting as a sink on 127.0.0.1: OTLP/HTTP (`return 200` to POST /v1/traces) and OTLP/gRPC
# over h2c (a Trailers-Only `grpc-status: 0` answer), so the collector costs almost no CPU. "Down" points the
# exporter at a port where nothing listens. Each configuration runs benchmarks/proxy/run.sh (tracegw pinned to
# CPU 0, backend and wrk on CPU 1) and the tracegw req/s column is compared. 127.0.0.1 only.
#
# Usage: benchmarks/exporters/run.sh [duration-seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
conns=${2:-32}
tracegw=${TRACEGW:-.build/release/tracegw}
if [ ! -x "$tracegw" ]; then swift build -c release --product tracegw >&2; fi
export TRACEGW="$tracegw"

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
grpc_port=$(free_port)
dead_port=$(free_port)

cat > "$work/nginx.conf" <<CONF
worker_processes 1;
worker_cpu_affinity 10;
daemon off;
error_log $work/error.log warn;
pid $work/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/body;
    client_max_body_size 64m;
    client_body_buffer_size 4m;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    server { listen 127.0.0.1:$http_port; location / { return 200; } }
    server {
        listen 127.0.0.1:$grpc_port http2;
        location / { add_header content-type application/grpc always; add_header grpc-status 0 always; return 200; }
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null & pids+=($!)
sleep 0.5

run() { # label endpoint args...
    local label=$1 endpoint=$2
    shift 2
    local line
    line=$(env OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" TRACEGW_ARGS="$*" benchmarks/proxy/run.sh "$duration" "$conns" | tail -1)
    printf "%-34s %s\n" "$label" "$(echo "$line" | awk '{print $4}')"
}

echo "tracegw req/s at $conns connections, ${duration} s per run"
run "no exporter (--exporter none)" "http://127.0.0.1:$dead_port" --exporter none
run "otlp-http, collector up" "http://127.0.0.1:$http_port" --exporter otlp-http
run "otlp-http, collector down" "http://127.0.0.1:$dead_port" --exporter otlp-http
run "otlp grpc, collector up" "http://127.0.0.1:$grpc_port" --exporter otlp
run "otlp grpc, collector down" "http://127.0.0.1:$dead_port" --exporter otlp
