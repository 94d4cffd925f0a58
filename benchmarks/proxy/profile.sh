#!/usr/bin/env bash
# Where a proxied request's CPU goes, per symbol and thread, in microseconds per request: `perf record` of one tracegw
# variant under wrk, each sample weighed as 1/frequency seconds and divided by the requests wrk completed while it
# recorded. Same layout as run.sh (proxy on CPU 0; nginx backend and wrk on CPU 1; 127.0.0.1 only). Interleave runs
# of the builds you compare (old, new, old, new): single runs move by ±10 % on a shared machine.
#
# Usage: [CONNECTIONS=256] [RECORD_SECONDS=5] [TOP=40] benchmarks/proxy/profile.sh BINARY MODE [perf.data]
#   MODE: untraced (OTEL_SDK_DISABLED=true), none (100 % sampled, exporter none), stdout (100 %, stdout to /dev/null).
#   Prints kernel and user µs per request, the share of each thread (`loop`: the event loop on its Dispatch thread;
#   the binary's name: the export thread), then the TOP user-space symbols (thread, library, symbol); the recording
#   stays in perf.data (default $TMPDIR/tracegw-profile.data) for `perf report` or `perf annotate`.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
binary=$1 mode=$2 data=${3:-${TMPDIR:-/tmp}/tracegw-profile.data}
connections=${CONNECTIONS:-256} seconds=${RECORD_SECONDS:-5} top=${TOP:-40}
frequency=4999
source "$(dirname "$0")/../lib/common.sh"
require_tools nginx wrk perf python3
backend_port=$(free_port)
write_nginx_conf backend 10 "server { listen 127.0.0.1:$backend_port; location / { return 200 \"hello world\\n\"; } }"
start_nginx backend
start_tracegw_mode p "$binary" "$mode"
sleep 0.3
# wrk runs a second longer on each side of the recording, so every recorded sample is under full load.
taskset -c 1 wrk -t1 -c"$connections" -d$((seconds + 2))s "http://127.0.0.1:${tracegw_port[p]}/" > "$work/wrk.out" 2>&1 &
wrk_pid=$!
sleep 1
perf record -F "$frequency" -g -o "$data" -p "${tracegw_pid[p]}" -- sleep "$seconds" >/dev/null 2>&1
wait "$wrk_pid"
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
echo "$mode, $connections connections: $rps requests/s"
perf report -i "$data" --no-children --sort comm,dso,sym -g none -n --percent-limit 0 2>/dev/null |
python3 -c '
import re, sys
frequency, rps, seconds, top = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
scale = 1e6 / (frequency * rps * seconds)  # µs per request for one sample
rows, kernel, user, threads = [], 0.0, 0.0, {}
for line in sys.stdin:
    m = re.match(r"\s*[\d.]+%\s+(\d+)\s+(\S+)\s+(\S+)\s+\[(.)\]\s+(.*)", line)
    if not m: continue
    cost = int(m.group(1)) * scale
    thread = "loop" if "qos" in m.group(2) else m.group(2)
    threads[thread] = threads.get(thread, 0.0) + cost
    if m.group(4) == "k": kernel += cost
    else:
        user += cost
        rows.append((cost, thread, m.group(3), m.group(5).strip()))
print(f"µs per request: kernel {kernel:.2f}, user {user:.2f}, total {kernel + user:.2f}")
print("by thread: " + ", ".join(f"{name} {cost:.2f}" for name, cost in sorted(threads.items(), key=lambda t: -t[1])))
for cost, thread, library, symbol in sorted(rows, reverse=True)[:top]:
    print(f"{cost:7.3f}  {thread[:14]:14}  {library[:12]:12}  {symbol}")
' "$frequency" "$rps" "$seconds" "$top" | if command -v swift >/dev/null; then swift demangle --simplified --compact; else cat; fi |
cut -c1-160
