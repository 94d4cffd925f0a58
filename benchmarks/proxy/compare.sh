#!/usr/bin/env bash
# Paired comparison of tracegw builds or modes through the whole proxy, against nginx as a plain reverse proxy.
#
# Each round runs wrk once against nginx and once against every variant, seconds apart, so the VM's drift (which
# moves single runs by ±20 % here) cancels in the ratios taken within a round. Prints, per variant, the median
# requests/s and the median [min–max] of its per-round ratio to nginx, then for each PAIRS entry `a/b` the median
# and quartiles of the per-round ratio a÷b. Same layout as run.sh (proxy on CPU 0, backend and wrk on CPU 1).
#
# Also prints each variant's median busy share of CPU 0 (the proxy's) and CPU 1 (wrk's and the backend's) during its
# runs: a proxy that leaves CPU 0 idle while CPU 1 is saturated is limited by the load generator, not by its own cost.
# And, per variant, the spans it dropped over the whole run (exporter queue full; from the total it logs when stopped
# with SIGTERM at the end): a traced variant that drops spans skipped export work, so its figures are not comparable.
#
# Usage: [PAIRS="new/old ..."] benchmarks/proxy/compare.sh ROUNDS SECONDS CONNECTIONS NAME=BINARY:MODE...
#   MODE is untraced (OTEL_SDK_DISABLED=true), none (100 % sampled, exporter none) or stdout (100 %, to /dev/null),
#   optionally followed by environment settings for that process: stdout+OTEL_BSP_MAX_EXPORT_BATCH_SIZE=64
# Example: PAIRS="new/old" benchmarks/proxy/compare.sh 16 2 32 old=/tmp/tracegw-main:none new=.build/release/tracegw:none
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 4 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
rounds=$1 seconds=$2 connections=$3
shift 3
source benchmarks/lib/common.sh
require_tools nginx wrk
start_backend_and_nginx_proxy
names=(nginx)
tracegw_port[nginx]=$nginx_proxy_port
for spec in "$@"; do
    name=${spec%%=*} rest=${spec#*=}
    start_tracegw_mode "$name" "${rest%%:*}" "${rest##*:}"
    names+=("$name")
done
sleep 0.5
taskset -c 1 wrk -t1 -c"$connections" -d1s "http://127.0.0.1:$backend_port/" >/dev/null 2>&1  # warm-up
for _ in $(seq "$rounds"); do
    line=""
    busy=""
    for name in "${names[@]}"; do
        before=$(cpu_busy_ticks)
        rps=$(taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" "http://127.0.0.1:${tracegw_port[$name]}/" 2>/dev/null |
            awk '/Requests\/sec/ {print $2}')
        after=$(cpu_busy_ticks)
        line="$line $name=${rps:-0}"
        busy="$busy $name=$(cpu_busy_shares "$before" "$after" | tr ' ' ,)"
    done
    echo "$line" >> "$work/rounds"
    echo "$busy" >> "$work/busy"
done
dropped="nginx=0 $(spans_dropped_list "${names[@]:1}")"
PAIRS=${PAIRS:-} python3 - "$work/rounds" "$work/busy" "$dropped" <<'PY'
import os, statistics, sys
rows = [dict(kv.split("=") for kv in line.split()) for line in open(sys.argv[1])]
busy = [dict(kv.split("=") for kv in line.split()) for line in open(sys.argv[2])]
dropped = dict(kv.split("=") for kv in sys.argv[3].split())
keep = [i for i, r in enumerate(rows) if all(float(v) > 0 for v in r.values())]
rows, busy = [rows[i] for i in keep], [busy[i] for i in keep]
print(f"{len(rows)} rounds; {'variant':10} {'req/s':>9} {'÷ nginx, median [min-max]':>28}   busy CPU 0 / CPU 1 (median)"
      "   spans dropped")
for name in rows[0]:
    values = [float(r[name]) for r in rows]
    q = sorted(float(r[name]) / float(r["nginx"]) for r in rows)
    b0 = statistics.median(float(b[name].split(",")[0]) for b in busy)
    b1 = statistics.median(float(b[name].split(",")[1]) for b in busy)
    print(f"{'':10}{name:10} {statistics.median(values):9.0f} {statistics.median(q):10.3f} [{q[0]:.3f}-{q[-1]:.3f}]"
          f"   {100 * b0:5.1f} % / {100 * b1:5.1f} %   {dropped[name]:>13}")
for pair in os.environ["PAIRS"].split():
    a, b = pair.split("/")
    q = sorted(float(r[a]) / float(r[b]) for r in rows)
    print(f"{pair:20} per-round ratio: median {statistics.median(q):.3f}, quartiles {q[len(q) // 4]:.3f}-{q[(3 * len(q)) // 4]:.3f}")
PY
warn_if_spans_dropped "$dropped" "figures are"
