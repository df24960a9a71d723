#!/usr/bin/env bash
# Benchmark of `invalidate` (issue: invalidate): 1.2M keys, 700k of them lineage graphs to
# drop, 200k other ol: keys and 300k foreign keys that must survive. In one run, against
# the same keyspace (reloaded in between), it times
#   reference: redis-cli --scan --pattern 'ol:lineage:graph:*' | xargs -n 1000 redis-cli unlink
#   ours:      lineage-cache invalidate --kind lineage-graph --yes
# while a concurrent client GETs in a loop and records its latency (p50/p99/max).
#
# With --cluster, the keyspace goes to a private three-primary Redis Cluster (each key to the
# primary owning its slot); the reference then runs `redis-cli --scan | xargs unlink` on each
# primary one after another, `invalidate` runs with --cluster, and the latency client GETs
# from the primary that owns its key.
#
# Then, with RUNS=N (default 0), N runs each of `invalidate --all`, `--kind lineage-graph`
# and `--pattern 'ol:lineage:*'` (the keys reloaded before each), printing every run's wall
# time beside the redis-server CPU it caused: the server's work is the floor, and a wall
# time far above it means the server waited on us.
#
# Usage: [RUNS=N] bash scripts/bench-invalidate.sh [--cluster] [LINEAGE=700000] [OTHER=200000] [FOREIGN=300000]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=single
if [ "${1:-}" = "--cluster" ]; then mode=cluster; shift; fi
lineage=${1:-700000}
other=${2:-200000}
foreign=${3:-300000}

bash scripts/install-deps.sh
cargo build --release --quiet --bin lineage-cache
bin=$PWD/target/release/lineage-cache
work=$(mktemp -d /tmp/lc-bench-inv.XXXXXX)
# shellcheck source=scripts/bench/redis.sh
. scripts/bench/redis.sh
if [ "$mode" = cluster ]; then
    # shellcheck source=scripts/bench/cluster.sh
    . scripts/bench/cluster.sh
    cleanup() { cluster_stop; rm -rf "$work"; }
    trap cleanup EXIT
    cluster_start "$work"
    ports=("${CLUSTER_PORTS[@]}")
    port=${ports[0]}
    for p in "${ports[@]}"; do lat_port=$p; done
    load() { python3 scripts/bench/loadkeys.py "$@" | cluster_load >/dev/null; }
    dbsize() { cluster_dbsize; }
    ours=("$bin" --redis-url "redis://127.0.0.1:$port/0" --cluster)
else
    cleanup() { redis_stop; rm -rf "$work"; }
    trap cleanup EXIT
    redis_start "$work"
    port=$REDIS_PORT
    ports=("$port")
    lat_port=$port
    load() { python3 scripts/bench/loadkeys.py "$@" | redis-cli -p "$port" --pipe >/dev/null; }
    dbsize() { redis-cli -p "$port" dbsize; }
    ours=("$bin" --redis-url "redis://127.0.0.1:$port/0")
fi
r() { redis-cli -p "$port" "$@"; }

echo "== loading $lineage lineage + $other other ol: + $foreign foreign keys" >&2
load "$lineage" "$other" "$foreign"
total=$(dbsize)
# The latency client's key lives on one primary: GET it there.
for p in "${ports[@]}"; do
    [ "$(redis-cli -p "$p" exists session:0 2>/dev/null)" = 1 ] && lat_port=$p
done

# CPU seconds the redis-server main threads have used (INFO cpu), summed over the servers.
server_cpu() {
    for p in "${ports[@]}"; do redis-cli -p "$p" info cpu; done |
        awk -F: '/_main_thread/ {s += $2} END {printf "%.2f", s}'
}
probe() { # probe NAME CMD...: run CMD while the latency client runs; prints seconds, then the latency line
    local cpu0
    rm -f "$work/stop"
    python3 scripts/bench/latency.py "$lat_port" "$work/stop" 600 >"$work/$1.lat" &
    local lat_pid=$! start end
    sleep 0.5
    cpu0=$(server_cpu)
    start=$(date +%s.%N)
    "${@:2}" >"$work/$1.out" 2>&1
    end=$(date +%s.%N)
    python3 -c "print(round($(server_cpu) - $cpu0, 2))" >"$work/$1.cpu"
    touch "$work/stop"
    wait "$lat_pid"
    python3 -c "print(round($end - $start, 3))" >"$work/$1.secs"
}

ref_cmd=""
if [ "$mode" = cluster ]; then
    # A multi-key UNLINK across slots is refused (CROSSSLOT): on each primary, one UNLINK
    # per key, pipelined (`redis-cli --pipe` takes inline commands; the keys have no spaces).
    ref_name="on each primary: redis-cli --scan \\| UNLINK per key \\| redis-cli --pipe"
    for p in "${ports[@]}"; do
        ref_cmd+="redis-cli -p $p --scan --pattern 'ol:lineage:graph:*' | awk '{printf \"UNLINK %s\\r\\n\", \$0}' | redis-cli -p $p --pipe >/dev/null; "
    done
else
    ref_name="redis-cli --scan \\| xargs -n 1000 redis-cli unlink"
    ref_cmd="redis-cli -p $port --scan --pattern 'ol:lineage:graph:*' | xargs -n 1000 redis-cli -p $port unlink >/dev/null"
fi
echo "== reference: $ref_name" >&2
probe ref bash -c "$ref_cmd"
left_ref=$(dbsize)
echo "== reloading the lineage keys" >&2
load "$lineage" 0 0
echo "== lineage-cache invalidate --kind lineage-graph --yes" >&2
probe ours "${ours[@]}" invalidate --kind lineage-graph --yes --format json
left_ours=$(dbsize)
foreign_left=0
for p in "${ports[@]}"; do
    foreign_left=$((foreign_left + $(redis-cli -p "$p" --scan --pattern 'session:*' | wc -l)))
done

BENCH_MODE=$mode REF_NAME=$ref_name python3 - "$work" "$total" "$left_ref" "$left_ours" "$lineage" "$foreign_left" "$foreign" <<'PY'
import json, os, sys
work, total, left_ref, left_ours, lineage, foreign_left, foreign = sys.argv[1:]
rd = lambda n: open(os.path.join(work, n)).read().split()
ref_s, ours_s = float(rd("ref.secs")[0]), float(rd("ours.secs")[0])
ref_lat, ours_lat = rd("ref.lat"), rd("ours.lat")
report = json.load(open(os.path.join(work, "ours.out")))
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
print(f"Machine: {os.cpu_count()} cores ({cpu}); keyspace {total} keys, {lineage} to delete; {os.environ.get('BENCH_MODE', 'single')} Redis")
print()
ref_cpu, ours_cpu = rd("ref.cpu")[0], rd("ours.cpu")[0]
print("| | time | redis-server CPU | keys left | concurrent GET p50 / p99 / max (ms), samples |")
print("|---|---|---|---|---|")
print(f"| {os.environ['REF_NAME']} | {ref_s:.2f} s | {ref_cpu} s | {left_ref} | {ref_lat[0]} / {ref_lat[1]} / {ref_lat[2]}, {ref_lat[3]} |")
print(f"| lineage-cache invalidate --kind lineage-graph --yes | {ours_s:.2f} s (deleted {report['deleted']}, matched {report['matched']}) | {ours_cpu} s | {left_ours} | {ours_lat[0]} / {ours_lat[1]} / {ours_lat[2]}, {ours_lat[3]} |")
print()
print(f"Speed-up: {ref_s / ours_s:.1f}x. Foreign session keys left: {foreign_left} of {int(foreign)//4}.")
PY

runs=${RUNS:-0}
if [ "$runs" -gt 0 ]; then
    echo
    echo "| selection | run | wall | redis-server CPU | wall / CPU | deleted |"
    echo "|---|---|---|---|---|---|"
    for sel in "--all" "--kind lineage-graph" "--pattern ol:lineage:*"; do
        for i in $(seq "$runs"); do
            load "$lineage" "$other" 0
            c0=$(server_cpu)
            t0=$(date +%s%N)
            # shellcheck disable=SC2086
            "${ours[@]}" invalidate $sel --yes --format json >"$work/run.json"
            t1=$(date +%s%N)
            c1=$(server_cpu)
            python3 - "$sel" "$i" "$t0" "$t1" "$c0" "$c1" "$work/run.json" <<'PY'
import json, sys
sel, i, t0, t1, c0, c1, path = sys.argv[1:]
wall = (int(t1) - int(t0)) / 1e9
cpu = float(c1) - float(c0)
r = json.load(open(path))
print(f"| `{sel}` | {i} | {wall:.2f} s | {cpu:.2f} s | {wall / cpu:.2f} | {r['deleted']} |")
PY
        done
    done
fi
