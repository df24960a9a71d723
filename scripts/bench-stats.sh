#!/usr/bin/env bash
# Benchmark `lineage-cache stats` against `redis-cli --memkeys` on the same keyspace, in the
# same run, on a private redis-server (never port 6379):
#   600k lineage-graph keys (~300-1500 B values), 150k dataset-get, 150k field-list and
#   300k foreign keys, loaded with `redis-cli --pipe` from generated RESP.
# Prints both times and the ratio (target: stats at least 8x faster), then checks that
# `stats --sample` with 1 % of the keys estimates the bytes of every kind within 2 %.
#
#
# With --cluster, the same keyspace goes to a private three-primary Redis Cluster (keys routed
# to the primary owning their slot); the reference is `redis-cli --memkeys` run on each
# primary one after another (it has no cluster mode), and `stats` runs with --cluster.
#
# Usage: scripts/bench-stats.sh [--cluster] [TOTAL_KEYS]   (default 1200000; the mix keeps
#        its shares)
set -euo pipefail

MODE=single
if [ "${1:-}" = "--cluster" ]; then MODE=cluster; shift; fi
TOTAL=${1:-1200000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

echo "== building (release)"
cargo build --release --quiet --bin lineage-cache
BIN="$ROOT/target/release/lineage-cache"

WORK=$(mktemp -d /tmp/lc-bench-stats.XXXXXX)
if [ "$MODE" = cluster ]; then
    # shellcheck source=scripts/bench/cluster.sh
    . "$ROOT/scripts/bench/cluster.sh"
    cluster_start "$WORK"
    PORT=${CLUSTER_PORTS[0]}
    PORTS=("${CLUSTER_PORTS[@]}")
    cleanup() { cluster_stop; rm -rf "$WORK"; }
    LOAD=(cluster_load)
    LC=("$BIN" --redis-url "redis://127.0.0.1:$PORT" --cluster)
else
    # shellcheck source=scripts/bench/redis.sh
    . "$ROOT/scripts/bench/redis.sh"
    cleanup() { redis_stop; rm -rf "$WORK"; }
    trap cleanup EXIT
    redis_start "$WORK"
    PORT=$REDIS_PORT
    PORTS=("$PORT")
    LOAD=(redis-cli -h 127.0.0.1 -p "$PORT" --pipe)
    LC=("$BIN" --redis-url "redis://127.0.0.1:$PORT")
fi
trap cleanup EXIT
CLI=(redis-cli -h 127.0.0.1 -p "$PORT")
for _ in $(seq 100); do "${CLI[@]}" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "== loading $TOTAL keys into $MODE redis-server(s) on port(s) ${PORTS[*]}"
LOAD_START=$(date +%s.%N)
python3 - "$TOTAL" <<'PY' | "${LOAD[@]}" >"$WORK/load.txt"
import random, sys
total = int(sys.argv[1])
r = random.Random(42)
out = sys.stdout.buffer
buf = []

def cmd(*args):
    b = [b"*%d\r\n" % len(args)]
    for a in args:
        b.append(b"$%d\r\n%s\r\n" % (len(a), a))
    buf.append(b"".join(b))
    if len(buf) >= 5000:
        out.write(b"".join(buf))
        buf.clear()

def hexid():
    return b"%024x" % r.getrandbits(96)

def node(ds, f):
    return b'{"id":"%s/%s","type":"field","namespace":"","dataset":"%s","field":"%s"}' % (ds, f, ds, f)

def graph(ds, f):
    n = r.randint(2, 5)
    cols = [(ds, f)] + [(b"demo_user.T%d" % r.randrange(5000), b"col_%d" % r.randrange(300)) for _ in range(n - 1)]
    nodes = b",".join(node(d, c) for d, c in cols)
    edges = b",".join(
        b'{"id":"%s","source":"%s/%s","target":"%s/%s","transformationType":"DIRECT",'
        b'"transformationSubtype":"IDENTITY","confidenceScore":0.95}'
        % (hexid(), cols[i][0], cols[i][1], cols[i + 1][0], cols[i + 1][1])
        for i in range(n - 1))
    return b'{"nodes":[%s],"edges":[%s]}' % (nodes, edges)

def dataset(i):
    return (b'{"id":"4f1c2a9e0b7d3c55/demo_user.T%d","namespaceId":"4f1c2a9e0b7d3c55",'
            b'"name":"demo_user.T%d","description":"table %d of the demo warehouse",'
            b'"sourceType":"TABLE","createdAt":"2026-01-15T10:00:00Z",'
            b'"updatedAt":"2026-01-15T10:00:00Z","isActive":true}' % (i, i, i))

def fields(i):
    items = []
    for p in range(1, r.randint(2, 8) + 1):
        items.append(
            b'{"id":"4f1c2a9e0b7d3c55/demo_user.T%d/col_%d","datasetId":"4f1c2a9e0b7d3c55/demo_user.T%d",'
            b'"name":"col_%d","type":"VARCHAR(64)","ordinalPosition":%d,"nullable":true,'
            b'"createdAt":"2026-01-15T10:00:00Z"}' % (i, p, i, p, p))
    return b"[" + b",".join(items) + b"]"

graphs, per_ds, foreign = total // 2, total // 8, total // 4
for i in range(graphs):
    ds = b"demo_user.T%d" % (i % 50000)
    f = b"col_%d" % (i // 50000)
    d = (b"upstream", b"downstream", b"both")[i % 3]
    cmd(b"SET", b"ol:lineage:graph:4f1c2a9e0b7d3c55/%s|%s|%s" % (ds, f, d), graph(ds, f),
        b"EX", b"%d" % r.randint(1200, 1800))
for i in range(per_ds):
    cmd(b"SET", b"ol:dataset:get:4f1c2a9e0b7d3c55/demo_user.T%d" % i, dataset(i), b"EX", b"%d" % r.randint(700, 900))
    cmd(b"SET", b"ol:field:list:4f1c2a9e0b7d3c55/demo_user.T%d" % i, fields(i), b"EX", b"%d" % r.randint(700, 900))
for i in range(foreign):
    v = b"x" * r.randint(40, 160)
    if i % 2:
        cmd(b"SET", b"session:%032x" % r.getrandbits(128), v, b"EX", b"%d" % r.randint(3600, 86400))
    else:
        cmd(b"SET", b"app:user:%d:profile" % i, v)
out.write(b"".join(buf))
PY
LOAD_END=$(date +%s.%N)
tail -n 2 "$WORK/load.txt"
DBSIZE=0
USED_BYTES=0
for p in "${PORTS[@]}"; do
    DBSIZE=$((DBSIZE + $(redis-cli -p "$p" dbsize)))
    USED_BYTES=$((USED_BYTES + $(redis-cli -p "$p" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')))
done
USED="$((USED_BYTES / 1048576))M"
printf 'loaded %s keys (%s used) in %.1f s\n' "$DBSIZE" "$USED" "$(echo "$LOAD_END - $LOAD_START" | bc)"

# timed OUT CMD...: run CMD with stdout to OUT; print the seconds it took, and record the
# CPU seconds the redis-server's main thread spent meanwhile in $WORK/server-cpu.
server_cpu() {
    for p in "${PORTS[@]}"; do redis-cli -p "$p" info cpu; done |
        awk -F: '/_main_thread/ {s += $2} END {printf "%.2f", s}'
}
memkeys_all() { for p in "${PORTS[@]}"; do redis-cli -h 127.0.0.1 -p "$p" --memkeys; done; }
timed() {
    local out=$1 s c; shift
    c=$(server_cpu); s=$(date +%s.%N)
    "$@" >"$out" 2>&1
    echo "$(date +%s.%N) - $s" | bc
    echo "$(server_cpu) - $c" | bc >"$WORK/server-cpu"
}
echo "== redis-cli --memkeys (on each of ${#PORTS[@]} server(s), one after another)"
T_MEMKEYS=$(timed "$WORK/memkeys.txt" memkeys_all)
grep -E "Scanning|keys with|Biggest" "$WORK/memkeys.txt" | head -n 4 || true
printf 'redis-cli --memkeys: %.2f s (redis-server CPU %.2f s)\n' "$T_MEMKEYS" "$(cat "$WORK/server-cpu")"

echo "== lineage-cache stats (full breakdown), 3 runs"
BEST=""
for run in 1 2 3; do
    T=$(timed "$WORK/full.json" "${LC[@]}" stats --format json)
    printf '  run %d: %.2f s (redis-server CPU %.2f s)\n' "$run" "$T" "$(cat "$WORK/server-cpu")"
    if [ -z "$BEST" ] || [ "$(echo "$T < $BEST" | bc)" = 1 ]; then BEST=$T; fi
done
"${LC[@]}" stats --format table | sed -n '/KIND/,$p'
# The first full pass after loading is slower (the server's pages are still being settled):
# run the reference again after ours and keep its better time.
T_MEMKEYS2=$(timed "$WORK/memkeys2.txt" memkeys_all)
printf 'redis-cli --memkeys again: %.2f s (redis-server CPU %.2f s)\n' "$T_MEMKEYS2" "$(cat "$WORK/server-cpu")"
if [ "$(echo "$T_MEMKEYS2 < $T_MEMKEYS" | bc)" = 1 ]; then T_MEMKEYS=$T_MEMKEYS2; fi
printf 'lineage-cache stats: best %.2f s; redis-cli --memkeys: best %.2f s; ratio %.1fx (target >= 8x)\n' \
    "$BEST" "$T_MEMKEYS" "$(echo "$T_MEMKEYS / $BEST" | bc -l)"

if [ "$MODE" = single ]; then
    # What the server spends inside commands (INFO commandstats) and in all (its CPU), for
    # our full breakdown and for the same probes sent by a plain RESP client.
    calls() {
        "${CLI[@]}" info commandstats | tr -d '\r' |
            awk -F'[:,=]' '/^cmdstat_(scan|pttl|memory)/ {printf "%s %s calls %.2f s; ", substr($1, 9), $3, $5 / 1e6; t += $5}
                END {printf "in commands %.2f s", t / 1e6}'
    }
    echo "== server CPU: stats against SCAN + PTTL + MEMORY USAGE alone (plain RESP client)"
    for run in 1 2; do
        "${CLI[@]}" config resetstat >/dev/null
        T=$(timed "$WORK/full.json" "${LC[@]}" stats --format json)
        printf '  stats: %.2f s, redis-server CPU %.2f s (%s)\n' "$T" "$(cat "$WORK/server-cpu")" "$(calls)"
        "${CLI[@]}" config resetstat >/dev/null
        T=$(timed "$WORK/ref.txt" python3 "$ROOT/scripts/bench/probe_ref.py" "$PORT")
        printf '  alone: %.2f s, redis-server CPU %.2f s (%s)\n' "$T" "$(cat "$WORK/server-cpu")" "$(calls)"
    done
fi

echo "== floor: SCAN of every key name alone (stats --sample 1 measures ~12 keys)"
T_SCAN=$(timed "$WORK/scan.json" "${LC[@]}" stats --sample 1 --format json)
printf 'scan only: %.2f s (redis-server CPU %.2f s); memkeys / scan-only = %.1fx\n' \
    "$T_SCAN" "$(cat "$WORK/server-cpu")" "$(echo "$T_MEMKEYS / $T_SCAN" | bc -l)"

SAMPLE=$((DBSIZE / 100))
echo "== lineage-cache stats --sample $SAMPLE (1 %)"
T_SAMPLE=$(timed "$WORK/sample.json" "${LC[@]}" stats --sample "$SAMPLE" --format json)
printf 'lineage-cache stats --sample %d: %.2f s\n' "$SAMPLE" "$T_SAMPLE"
jq -r --slurpfile s "$WORK/sample.json" '
  [.keyspace.kinds[] | select(.keys > 0)] as $full
  | ($s[0].keyspace.kinds | map({(.kind): .bytes}) | add) as $est
  | $full[] | [.kind, .bytes, $est[.kind], (($est[.kind] - .bytes) / .bytes * 100)]
  | @tsv' "$WORK/full.json" |
    awk -F'\t' 'BEGIN { bad = 0; printf "%-16s %14s %14s %8s\n", "kind", "full bytes", "estimate", "error" }
        { printf "%-16s %14d %14d %7.2f%%\n", $1, $2, $3, $4; if ($4 > 2 || $4 < -2) bad = 1 }
        END { if (bad) print "sample estimate: OUTSIDE 2 %"; else print "sample estimate: every kind within 2 %" }'
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
     "$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, $(redis-server --version | cut -d' ' -f1-3)"
