#!/usr/bin/env bash
# User-space instructions per proxied request of tracegw variants, counted by Valgrind's callgrind: a figure that does
# not move with the machine's load (requests/s and CPU time per request move by ±5–20 % here), so a change of a few
# hundred instructions per request shows in a single run. It counts work, not time: cache misses, system calls and
# the kernel's share (most of a proxied request's CPU) are not in it, so confirm a gain with compare.sh or
# cpu-per-request.sh.
#
# Each variant runs twice under callgrind behind the same nginx backend (127.0.0.1 only), answering FEW and then
# FEW + REQUESTS requests from fixed_requests.py over CONNECTIONS keep-alive connections, and is stopped with
# SIGTERM (which exports every queued span); the difference between the two runs divided by REQUESTS leaves out
# start-up and shutdown. All of the process's threads count (the event loop and the export thread).
#
# Usage: [REQUESTS=8000] [CONNECTIONS=32] [TOP=0] benchmarks/proxy/instructions.sh NAME=BINARY:MODE...
#   MODE: untraced, none or stdout, optionally with environment settings, as in cpu-per-request.sh.
#   TOP=N also lists, for each variant after the first, the N functions whose instructions per request differ most
#   from the first variant's (same binary in two modes: what tracing costs; two builds: what a change moved).
#   e.g. TOP=15 benchmarks/proxy/instructions.sh u=.build/release/tracegw:untraced s=.build/release/tracegw:stdout
# Needs valgrind (Debian package `valgrind`). Valgrind 3.19 cannot read the DWARF 5 debug information Swift writes,
# so each binary runs as a copy stripped of it (symbols stay, function names are kept).
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,20p' "$0" >&2; exit 2; }
requests=${REQUESTS:-8000} connections=${CONNECTIONS:-32} top=${TOP:-0} few=1000
source "$(dirname "$0")/../lib/common.sh"
require_tools nginx valgrind callgrind_annotate strip python3
client=$(dirname "$0")/fixed_requests.py
backend_port=$(free_port)
write_nginx_conf backend 10 "server { listen 127.0.0.1:$backend_port; location / { return 200 \"hello world\\n\"; } }"
start_nginx backend

# Prints the callgrind output of one run of variant NAME answering COUNT requests.
run_once() { # name binary mode count
    local name=$1 binary=$2 mode=$3 count=$4 out=$work/$1-$4.callgrind
    TRACEGW_LAUNCHER="valgrind --tool=callgrind --callgrind-out-file=$out" start_tracegw_mode "$name-$count" "$binary" "$mode"
    local port=${tracegw_port[$name-$count]}
    [ -n "$port" ] || { echo "$name did not start under valgrind:" >&2; cat "$work/$name-$count.err" >&2; exit 1; }
    python3 "$client" "$port" "$count" "$connections"
    kill -TERM "${tracegw_pid[$name-$count]}"
    wait "${tracegw_pid[$name-$count]}" 2>/dev/null || true
    echo "$out"
}

names=()
declare -A first second
for spec in "$@"; do
    name=${spec%%=*} rest=${spec#*=}
    binary=${rest%%:*} mode=${rest#*:}
    stripped=$work/$name.tracegw
    strip --strip-debug -o "$stripped" "$binary"
    first[$name]=$(run_once "$name" "$stripped" "$mode" "$few")
    second[$name]=$(run_once "$name" "$stripped" "$mode" "$((few + requests))")
    names+=("$name")
done

args=()
for name in "${names[@]}"; do args+=("$name" "${first[$name]}" "${second[$name]}"); done
python3 - "$requests" "$top" "$few" "${args[@]}" <<'PY'
import re, subprocess, sys
requests, top, few = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rest = sys.argv[4:]
variants = [(rest[i], rest[i + 1], rest[i + 2]) for i in range(0, len(rest), 3)]

def per_function(path):
    """Self instructions per function (callgrind_annotate), the binary's path left out of the name."""
    out = subprocess.run(["callgrind_annotate", "--threshold=100", path], capture_output=True, text=True).stdout
    costs, total = {}, 0
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)", line)
        if not m:
            continue
        value = int(m.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in m.group(2):
            total = value
            continue
        name = re.sub(r" \[[^]]*\]$", "", m.group(2))
        costs[name] = costs.get(name, 0) + value
    return total, costs

results = {}
print(f"{'variant':14} {'instructions/request':>22}   (a run of {few + requests} requests less one of {few})")
for name, a, b in variants:
    (total_a, costs_a), (total_b, costs_b) = per_function(a), per_function(b)
    per_request = {k: (costs_b.get(k, 0) - costs_a.get(k, 0)) / requests for k in set(costs_a) | set(costs_b)}
    results[name] = per_request
    print(f"{name:14} {(total_b - total_a) / requests:22.0f}")

if top > 0 and len(variants) > 1:
    base = variants[0][0]
    for name, _, _ in variants[1:]:
        keys = set(results[base]) | set(results[name])
        rows = sorted(keys, key=lambda k: -abs(results[name].get(k, 0) - results[base].get(k, 0)))[:top]
        lines = [f"{results[name].get(k, 0) - results[base].get(k, 0):8.0f} {results[base].get(k, 0):8.0f} "
                 f"{results[name].get(k, 0):8.0f}  {k}" for k in rows]
        text = "\n".join(lines)
        demangled = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input=text,
                                   capture_output=True, text=True)
        if demangled.returncode == 0:
            text = demangled.stdout.rstrip("\n")
        print(f"\n{name} against {base}: difference, {base}, {name} (instructions per request), function")
        for line in text.splitlines():
            print(line[:150])
PY
