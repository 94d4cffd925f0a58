# Shared by the whole-proxy benchmark scripts (proxy/run.sh, proxy/cpu-per-request.sh, exporters/run.sh); sourced,
# not run. Everything listens on 127.0.0.1 only.
#
# After sourcing: `work` is a scratch directory removed on exit, and every pid appended to `pids` is killed on exit.

require_tools() { # tool...
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$tool is required (see scripts/setup.sh)" >&2; exit 1; }
    done
}

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime of PID, in clock ticks

# Busy and total ticks of CPU 0 and CPU 1 so far, as `busy0 total0 busy1 total1` (from /proc/stat; idle and iowait
# are the only ticks not counted as busy).
cpu_busy_ticks() {
    awk '/^cpu0 / {b0 = $2+$3+$4+$7+$8+$9; t0 = b0+$5+$6} /^cpu1 / {b1 = $2+$3+$4+$7+$8+$9; t1 = b1+$5+$6}
         END {print b0, t0, b1, t1}' /proc/stat
}

# The busy shares of CPU 0 and CPU 1 between two `cpu_busy_ticks` readings, as `share0 share1` (0–1).
cpu_busy_shares() { # before after
    echo "$1 $2" | awk '{printf "%.3f %.3f", ($5-$1)/($6-$2), ($7-$3)/($8-$4)}'
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Writes $work/NAME/nginx.conf: one worker pinned by CPU-MASK (nginx's worker_cpu_affinity bits, e.g. 10 = CPU 1),
# no access log, unlimited keep-alive, temp paths under $work/NAME, and HTTP-BODY inside `http { }`.
write_nginx_conf() { # name cpu-mask http-body
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

start_nginx() { # name (after write_nginx_conf)
    nginx -c "$work/$1/nginx.conf" -p "$work/$1" 2>/dev/null & pids+=($!)
}

# Starts a tracegw (BINARY, one worker pinned to CPU 0, upstream the backend on $backend_port) with the
# environment assignments ENVS (space-separated, may be empty) and ARGS; records its port in tracegw_port[NAME] and
# its pid in tracegw_pid[NAME] once it logged `listening on`. TRACEGW_LAUNCHER (words, default none) runs the binary
# under another program (instructions.sh: valgrind).
declare -A tracegw_port tracegw_pid
start_tracegw() { # name binary envs args...
    local name=$1 binary=$2 envs=$3
    shift 3
    # shellcheck disable=SC2086  # ENVS is a list of assignments, TRACEGW_LAUNCHER a command line
    env $envs taskset -c 0 ${TRACEGW_LAUNCHER:-} "$binary" --listen 127.0.0.1:0 --upstream "http://127.0.0.1:$backend_port" --workers 1 \
        "$@" >/dev/null 2>"$work/$name.err" &
    tracegw_pid[$name]=$!
    pids+=($!)
    for _ in $(seq 200); do grep -q "^listening on" "$work/$name.err" 2>/dev/null && break; sleep 0.05; done
    tracegw_port[$name]=$(grep -m1 "^listening on" "$work/$name.err" | sed 's/.*://')
}

# Starts tracegw variant NAME (start_tracegw) in MODE: untraced (OTEL_SDK_DISABLED=true), none (100 % sampled,
# exporter none) or stdout (100 %, stdout to /dev/null), optionally followed by environment settings for that process,
# e.g. stdout+OTEL_BSP_MAX_EXPORT_BATCH_SIZE=64.
start_tracegw_mode() { # name binary mode[+NAME=VALUE...]
    local name=$1 binary=$2 mode=$3 extra=""
    if [[ $mode == *+* ]]; then extra=${mode#*+} extra=${extra//+/ } mode=${mode%%+*}; fi
    case $mode in
        untraced) start_tracegw "$name" "$binary" "OTEL_SDK_DISABLED=true $extra" --exporter none ;;
        none) start_tracegw "$name" "$binary" "$extra" --exporter none --sampling-rate 1.0 ;;
        stdout) start_tracegw "$name" "$binary" "$extra" --exporter stdout --sampling-rate 1.0 ;;
        *) echo "unknown mode $mode for $name (untraced, none or stdout)" >&2; exit 2 ;;
    esac
}

# Stops tracegw NAME gracefully (SIGTERM, as an operator would) and prints how many spans it dropped because an
# exporter queue was full, from the total it logs at shutdown (0 when it logs none). A traced variant that drops
# spans did less work per request than one that exports them all, so its figures are not comparable: the proxy
# scripts print this count beside every traced variant.
tracegw_spans_dropped() { # name
    local pid=${tracegw_pid[$1]}
    kill -TERM "$pid" 2>/dev/null || true
    local state
    for _ in $(seq 300); do  # until it exited (gone, or a zombie not yet reaped), at most 15 s
        state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
        [ -z "$state" ] || [ "$state" = Z ] && break
        sleep 0.05
    done
    local dropped
    dropped=$(sed -n 's/.* \([0-9][0-9]*\) spans were dropped because an exporter queue was full.*/\1/p' "$work/$1.err" | tail -1)
    echo "${dropped:-0}"
}

# Stops each tracegw NAME (tracegw_spans_dropped) and prints `NAME=COUNT ...`, the dropped-span column of a summary.
spans_dropped_list() { # name...
    local name list=""
    for name in "$@"; do list="$list $name=$(tracegw_spans_dropped "$name")"; done
    echo "${list# }"
}

# Prints the warning when any count in a `spans_dropped_list` is above 0; WHAT says which figures it spoils
# (e.g. "figures are").
warn_if_spans_dropped() { # list what
    if echo "$1" | tr ' ' '\n' | awk -F= '$2 > 0 {found = 1} END {exit !found}'; then
        echo "WARNING: a variant dropped spans (exporter queue full): it did less work per request than the others, so its $2 not comparable"
    fi
}

# Starts the backend every proxy run hits (nginx `return 200`, one worker on CPU 1) on $backend_port, and nginx as a
# plain reverse proxy to it (one worker on CPU 0, upstream keep-alive pool over HTTP/1.1) on $nginx_proxy_port.
start_backend_and_nginx_proxy() {
    backend_port=$(free_port)
    nginx_proxy_port=$(free_port)
    write_nginx_conf backend 10 "server { listen 127.0.0.1:$backend_port; location / { return 200 \"hello world\\n\"; } }"
    write_nginx_conf proxy 01 "upstream be { server 127.0.0.1:$backend_port; keepalive 1024; }
    server { listen 127.0.0.1:$nginx_proxy_port; location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
    start_nginx backend
    start_nginx proxy
}
