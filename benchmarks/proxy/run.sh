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
source benchmarks/lib/common.sh
require_tools nginx wrk
start_backend_and_nginx_proxy
# tracegw variants, each its own process pinned to CPU 0 (only the one under load uses the CPU):
#   untraced     tracing disabled (OTEL_SDK_DISABLED=true): the plain proxy
#   traced-none  tracing at 100 %, spans created and dropped by exporter none
#   traced-stdout tracing at 100 %, spans exported by the stdout exporter to /dev/null
variants=(untraced traced-none traced-stdout)
start_tracegw_mode untraced "$tracegw" untraced
start_tracegw_mode traced-none "$tracegw" none
start_tracegw_mode traced-stdout "$tracegw" stdout
sleep 0.5

run_wrk() { # port connections -> "requests/s busy0 busy1" (busy shares of CPU 0 and CPU 1 during the run)
    local before after rps
    before=$(cpu_busy_ticks)
    rps=$(taskset -c 1 wrk -t1 -c"$2" -d"${duration}s" "http://127.0.0.1:$1/" 2>/dev/null | awk '/Requests\/sec/ {print $2}')
    after=$(cpu_busy_ticks)
    echo "$rps $(cpu_busy_shares "$before" "$after")"
}

# Each variant runs ROUNDS times (default 3), interleaved with the others, and the median is reported: on a shared
# VM the machine's speed drifts over a run, and interleaving keeps that drift out of the ratios. A second line gives
# the ratios within each round (median and range over the rounds): single rounds swing by ±20 % on this VM, so use
# many short rounds (e.g. ROUNDS=30 run.sh 1 32) when comparing builds. A third line gives each variant's median busy
# share of CPU 0 (the proxy's) and CPU 1 (wrk's and the backend's): when CPU 1 is saturated and CPU 0 is not, the run
# measured the load generator's limit, not the proxy's.
rounds=${ROUNDS:-3}
printf "%-6s %12s %12s %12s %12s %12s %9s %9s %9s %9s %9s\n" conns direct nginx untraced traced-none traced-out \
    nginx/dir untr/ngx none/ngx out/ngx none/untr
for c in "${connections[@]}"; do
    run_wrk "$backend_port" "$c" >/dev/null # warm-up
    samples="$work/samples-$c"
    : > "$samples"
    for round in $(seq "$rounds"); do
        echo "$round direct $(run_wrk "$backend_port" "$c")" >> "$samples"
        echo "$round nginx $(run_wrk "$nginx_proxy_port" "$c")" >> "$samples"
        echo "$round untraced $(run_wrk "${tracegw_port[untraced]}" "$c")" >> "$samples"
        echo "$round none $(run_wrk "${tracegw_port[traced-none]}" "$c")" >> "$samples"
        echo "$round out $(run_wrk "${tracegw_port[traced-stdout]}" "$c")" >> "$samples"
    done
    python3 - "$c" "$samples" <<'PY'
import collections, statistics, sys
c, path = sys.argv[1], sys.argv[2]
runs = collections.defaultdict(list)
rounds = collections.defaultdict(dict)
busy = collections.defaultdict(list)
for line in open(path):
    index, name, value, busy0, busy1 = line.split()
    runs[name].append(float(value))
    rounds[index][name] = float(value)
    busy[name].append((float(busy0), float(busy1)))
d, n, u, t, o = (statistics.median(runs[k]) for k in ("direct", "nginx", "untraced", "none", "out"))
print(f"{c:<6} {d:12.0f} {n:12.0f} {u:12.0f} {t:12.0f} {o:12.0f} {n/d:9.2f} {u/n:9.2f} {t/n:9.2f} {o/n:9.2f} {t/u:9.2f}")
# The same ratios taken within each round (the runs of a round are seconds apart, so the machine's drift cancels)
# and summarised as median [min-max] over the rounds.
def paired(a, b):
    q = sorted(r[a] / r[b] for r in rounds.values())
    return f"{statistics.median(q):.2f} [{q[0]:.2f}-{q[-1]:.2f}]"
print(f"{'':6} per-round ratios, median [min-max]: untr/ngx {paired('untraced', 'nginx')}  none/ngx {paired('none', 'nginx')}"
      f"  out/ngx {paired('out', 'nginx')}  none/untr {paired('none', 'untraced')}  out/untr {paired('out', 'untraced')}")
def shares(name):
    return (f"{100 * statistics.median(b[0] for b in busy[name]):.1f} / "
            f"{100 * statistics.median(b[1] for b in busy[name]):.1f} %")
print(f"{'':6} busy CPU 0 / CPU 1 (median): direct {shares('direct')}  nginx {shares('nginx')}  untraced {shares('untraced')}"
      f"  none {shares('none')}  out {shares('out')}")
PY
done
# Spans the traced variants dropped over the whole run (exporter queue full; the totals they log when stopped with
# SIGTERM): a variant that drops spans skipped export work, so its figures above are not comparable.
echo "spans dropped over the run: traced-none $(tracegw_spans_dropped traced-none), traced-stdout $(tracegw_spans_dropped traced-stdout)"
