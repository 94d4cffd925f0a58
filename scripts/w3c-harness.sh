#!/usr/bin/env bash
# Runs the official W3C Trace Context test harness against tracegw in front of a pass-through test service.
# The harness is not vendored: pass the path of a checkout of w3c/trace-context (its test/ folder), e.g.
#   bash scripts/w3c-harness.sh /path/to/trace-context
# Needs: pip install aiohttp. Everything listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
harness=${1:?path to a w3c/trace-context checkout}
tracegw=${TRACEGW:-$(swift build --show-bin-path)/tracegw}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
service_port=$(free_port)
port=$(free_port)
work=$(mktemp -d)
# The harness listens on 127.0.0.1:7777; tracegw routes /test to the service and everything else (the harness's
# callback URLs, which the service calls through tracegw) to the harness.
cat > "$work/tracegw.yaml" <<CONF
routes:
  - path: /test
    upstream: http://127.0.0.1:$service_port
  - prefix: /
    upstream: http://127.0.0.1:7777
CONF
python3 Tests/IntegrationTests/w3c_test_service.py "$service_port" "$port" &
service=$!
"$tracegw" --listen "127.0.0.1:$port" --config "$work/tracegw.yaml" --exporter none --workers 1 2>"$work/err" &
gateway=$!
trap 'kill $service $gateway 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "^listening on" "$work/err" && break; sleep 0.05; done
cd "$harness/test"
SERVICE_ENDPOINT="http://127.0.0.1:$port/test" STRICT_LEVEL=${STRICT_LEVEL:-2} SPEC_LEVEL=${SPEC_LEVEL:-2} python3 test.py
