#!/usr/bin/env bash
# Fails when a hot-path module imports Foundation (Foundation parsing doubled CPU per request in our measurements).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for module in IOCore NetIO HTTP1 HTTP2 TraceCore TraceEncoding; do
    [ -d "Sources/$module" ] || continue
    if grep -rnE '^\s*(@_implementationOnly\s+|@preconcurrency\s+)?import\s+(struct\s+|class\s+|enum\s+|func\s+)?Foundation' "Sources/$module"; then
        echo "error: Sources/$module imports Foundation" >&2
        status=1
    fi
done
exit $status
