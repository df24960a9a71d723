#!/usr/bin/env bash
# Benchmark of `verify` (issue: verify, a drift audit). In one run on this machine:
#   1. warm every lineage graph (3 directions) of a synthetic warehouse into a private Redis;
#   2. `verify --kind lineage-graph` of all of them (engine load, SCAN, GETs, recompute,
#      compare), its wall time, peak RSS, and the redis-server CPU it caused;
#   3. the references: a plain pipelined GET of the same keys (`redis-cli --pipe` fed one
#      GET per key), its wall time and server CPU; and `redis-benchmark -P 32 GET` of as many
#      keys of the same value size (written first into database 15, dropped after).
# Three runs alternating, best of each compared.
# Usage: bash scripts/bench-verify.sh [COLUMNS (default 100000)]
set -euo pipefail
cd "$(dirname "$0")/.."
columns=${1:-100000}

bash scripts/install-deps.sh
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin lineage-cache
bin=$PWD/target/release/lineage-cache
work=$(mktemp -d /tmp/lc-bench-verify.XXXXXX)
# shellcheck source=scripts/bench/redis.sh
. scripts/bench/redis.sh
cleanup() {
    redis_stop
    rm -rf "$work"
}
trap cleanup EXIT
redis_start "$work"
port=$REDIS_PORT
export LINEAGE_CACHE_REDIS_URL="redis://127.0.0.1:$port/0"
server_cpu() { awk '{print $14 + $15}' "/proc/$REDIS_PID/stat"; }
tick=$(getconf CLK_TCK)

echo "== generating a synthetic warehouse of $columns columns" >&2
"$bin" demo create "$work/syn.sqlite" --scale "$columns" --seed 7 >/dev/null
export LINEAGE_CACHE_SOURCE="sqlite:$work/syn.sqlite"
echo "== warm every lineage graph" >&2
"$bin" warm --all --kind lineage-graph --format json >"$work/warm.json"
keys=$(redis-cli -p "$port" dbsize)
bytes=$(python3 -c "import json; print(json.load(open('$work/warm.json'))['bytes'])")
echo "   $keys keys, $bytes value bytes" >&2

echo "== the reference's input: one GET per key, as RESP" >&2
redis-cli -p "$port" --scan | python3 -c '
import sys
out = sys.stdout.buffer
for k in sys.stdin.buffer.read().splitlines():
    out.write(b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(k), k))
' >"$work/gets.resp"

avg=$((bytes / keys))
echo "== redis-benchmark's keys: $keys values of $avg bytes in database 15" >&2
redis-benchmark -p "$port" --dbnum 15 -t set -n "$keys" -r "$keys" -d "$avg" -P 32 -q >/dev/null

best_v=0 best_g=0 best_b=0
for run in 1 2 3; do
    c0=$(server_cpu)
    /usr/bin/time -f '%M %e' -o "$work/v.time" "$bin" verify --kind lineage-graph --limit 0 --format json >"$work/v.json" || true
    c1=$(server_cpu)
    read -r v_rss v_s <"$work/v.time"
    checked=$(python3 -c "import json; r=json.load(open('$work/v.json')); print(r['checked'], r['drift'])")
    v_cpu=$(python3 -c "print(round(($c1 - $c0) / $tick, 2))")
    c0=$(server_cpu)
    start=$(date +%s.%N)
    redis-cli -p "$port" --pipe <"$work/gets.resp" >"$work/pipe.txt"
    g_s=$(python3 -c "import time; print(round(time.time() - $start, 3))")
    c1=$(server_cpu)
    g_cpu=$(python3 -c "print(round(($c1 - $c0) / $tick, 2))")
    rb=$(redis-benchmark -p "$port" --dbnum 15 -t get -n "$keys" -r "$keys" -d "$avg" -P 32 -q --csv | tail -n 1)
    b_rate=$(echo "$rb" | cut -d, -f2 | tr -d '"' | cut -d. -f1)
    [ "$b_rate" -gt "$best_b" ] && best_b=$b_rate
    v_rate=$(python3 -c "print(round($keys / $v_s))")
    g_rate=$(python3 -c "print(round($keys / $g_s))")
    echo "   run $run: verify $v_s s ($v_rate keys/s, checked+drift $checked, server CPU $v_cpu s, peak RSS $((v_rss / 1024)) MiB); GET --pipe $g_s s ($g_rate keys/s, server CPU $g_cpu s); redis-benchmark GET $b_rate/s" >&2
    all="${all:-}${all:+; }verify $v_rate/s, GET --pipe $g_rate/s, redis-benchmark GET $b_rate/s"
    if [ "$v_rate" -gt "$best_v" ]; then best_v=$v_rate best_v_s=$v_s best_v_cpu=$v_cpu best_rss=$v_rss; fi
    if [ "$g_rate" -gt "$best_g" ]; then best_g=$g_rate best_g_s=$g_s best_g_cpu=$g_cpu; fi
done

python3 - "$columns" "$keys" "$bytes" "$best_v" "$best_v_s" "$best_v_cpu" "$best_rss" "$best_g" "$best_g_s" "$best_g_cpu" "$all" "$best_b" <<'PY'
import sys, os, platform
cols, keys, b, v, vs, vcpu, rss, g, gs, gcpu, runs, rb = sys.argv[1:]
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
mem = round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)
print(f"Machine: {os.cpu_count()} cores ({cpu}), {mem} GiB; {platform.platform()}")
print(f"Cache: {int(keys):,} lineage graphs of a {int(cols):,}-column warehouse, {int(b)/2**20:,.0f} MiB of values ({int(b)//int(keys):,} bytes each on average)")
print(f"All runs: {runs}\n")
print("| measure | verify | reference | ratio |")
print("|---|---|---|---|")
print(f"| keys/s (best of 3) | {int(v):,} ({vs} s, engine load and SCAN included) | plain pipelined GET of the same keys, redis-cli --pipe: {int(g):,} ({gs} s) | {int(v)/int(g):.2f} |")
print(f"| keys/s (best of 3) | {int(v):,} | redis-benchmark -P 32 GET, same value size: {int(rb):,} | {int(v)/int(rb):.2f} |")
print(f"| redis-server CPU | {vcpu} s | {gcpu} s | |")
print(f"| peak RSS | {int(rss)/1024:,.0f} MiB | | |")
PY
