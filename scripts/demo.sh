#!/usr/bin/env bash
# The gateway's main job on an embedded default: tracegw in front of a small sample backend it starts here,
# a few requests through it, and the spans on stdout. No external collector is needed (stdout exporter).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product tracegw >&2
work=$(mktemp -d)
backend_pid=""
gateway_pid=""
cleanup() {
    [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null || true
    [ -n "$backend_pid" ] && kill "$backend_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

python3 scripts/sample_backend.py 0 2>"$work/backend.err" &
backend_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/backend.err" 2>/dev/null && break; sleep 0.05; done
backend_port=$(grep -m1 "listening on" "$work/backend.err" | sed 's/.*://')

cat > "$work/tracegw.yaml" <<CONF
service_name: demo-gateway
stdout_format: ${DEMO_FORMAT:-text}
routes:
  - path: /jobs/submit
  - path: /jobs/progress/{job.id}
  - path: /jobs/{job.id}
  - prefix: /
CONF
.build/release/tracegw --config "$work/tracegw.yaml" --listen 127.0.0.1:0 \
    --upstream "http://127.0.0.1:$backend_port" --workers 1 >"$work/spans.out" 2>"$work/tracegw.err" &
gateway_pid=$!
for _ in $(seq 100); do grep -q "^listening on" "$work/tracegw.err" 2>/dev/null && break; sleep 0.05; done
port=$(grep -m1 "^listening on" "$work/tracegw.err" | sed 's/.*://')
echo "== tracegw listening on 127.0.0.1:$port in front of the sample backend on 127.0.0.1:$backend_port" >&2

echo "== POST /jobs/submit (a caller with its own trace)" >&2
curl -s -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' \
    -H 'content-type: application/json' -d '{"vm":"web-01"}' "http://127.0.0.1:$port/jobs/submit" >&2
echo "== GET /jobs/1 and /jobs/progress/1 (new traces)" >&2
curl -s "http://127.0.0.1:$port/jobs/1" >&2
curl -s "http://127.0.0.1:$port/jobs/progress/1" >&2
echo "== GET /health" >&2
curl -s "http://127.0.0.1:$port/health" >&2

kill -TERM "$gateway_pid"
wait "$gateway_pid" || true
gateway_pid=""
echo "== spans written to stdout by tracegw:" >&2
cat "$work/spans.out"
