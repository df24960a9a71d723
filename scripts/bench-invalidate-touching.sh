#!/usr/bin/env bash
# Benchmark of `invalidate --touching`, `--field` and `--dataset` computed from the lineage
# against the scan path (`--scan`: SCAN the whole cache, for --touching GET every cached
# graph), in one run on this machine: every lineage graph of a synthetic warehouse warmed
# (real values), its datasets' own keys and list pages, search pages of its names, small
# keys of other kinds added up to 1.2M keys, then up to 5M; at each size both paths find the
# keys of one dataset (dry runs, so both see the same cache), with their wall time and the
# redis-server CPU each caused; the matched counts must be equal. `--dataset` runs with its
# list and search pages looked up and scanned (`--pages lookup|scan`; the default picks), and
# with `--page-sizes 20,100` (the page sizes the cache's pages were written at: only those
# limits are looked for, on both paths).
# Usage: bash scripts/bench-invalidate-touching.sh [COLUMNS (default 100000)] [SIZES (default "1200000 5000000")] [WHAT (default "touching field dataset")]
set -euo pipefail
cd "$(dirname "$0")/.."
columns=${1:-100000}
sizes=${2:-1200000 5000000}
what=${3:-touching field dataset}

bash scripts/install-deps.sh
cargo build --release --quiet --bin lineage-cache
bin=$PWD/target/release/lineage-cache
work=$(mktemp -d /tmp/lc-bench-touching.XXXXXX)
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

echo "== a synthetic warehouse of $columns columns, every lineage graph warmed" >&2
"$bin" demo create "$work/syn.sqlite" --scale "$columns" --seed 7 >/dev/null
export LINEAGE_CACHE_SOURCE="sqlite:$work/syn.sqlite"
"$bin" warm --all --kind lineage-graph --format json >/dev/null
"$bin" warm --all --kind dataset-get,dataset-list --page-sizes 20,100 --format json >/dev/null
graphs=$(redis-cli -p "$port" dbsize)
# A dataset in the middle of the lineage, and one of its columns (deterministic).
read -r dataset field < <(python3 - "$work/syn.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("""SELECT target_dataset, target_field FROM OL_COLUMN_LINEAGE
  WHERE is_active = 'Y' AND target_dataset IN (SELECT source_dataset FROM OL_COLUMN_LINEAGE)
  ORDER BY target_dataset, target_field""").fetchall()
print(*rows[len(rows) // 2])
PY
)
echo "   $graphs keys (graphs, datasets, list pages); target dataset $dataset, column $dataset/$field" >&2
# Search pages as users make them: a few queries per dataset name (prefixes, the table
# name), two page sizes.
python3 - "$work/syn.sqlite" <<'PY' | redis-cli -p "$port" --pipe >/dev/null
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
out = []
for (name,) in c.execute("SELECT name FROM OL_DATASET WHERE is_active = 'Y' ORDER BY name"):
    up = name.upper()
    for q in {up[:6], up[:12], up.split('.', 1)[1], up}:
        for limit in (20, 100):
            key = f"ol:dataset:search:{q}|{limit}".encode()
            out.append(b"*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$2\r\n[]\r\n$2\r\nEX\r\n$3\r\n300\r\n" % (len(key), key))
sys.stdout.buffer.write(b"".join(out))
PY

# run LABEL ARGS...: one dry run, its wall time, server CPU and matched count
run() {
    local label=$1
    shift
    local c0 c1 t0 t1
    c0=$(server_cpu)
    t0=$(date +%s%N)
    "$bin" invalidate "$@" --dry-run --format json >"$work/out.json"
    t1=$(date +%s%N)
    c1=$(server_cpu)
    # (no interpreter started inside the timed span: python3 alone takes ~0.2 s here)
    local wall=$(((t1 - t0) / 1000000))e-3
    python3 - "$label" "$wall" "$(((c1 - c0)))" "$tick" "$work/out.json" <<'PY'
import json, sys
label, wall, ticks, tick, path = sys.argv[1:]
r = json.load(open(path))
print(f"{label}\t{float(wall):.3f}\t{int(ticks) / int(tick):.2f}\t{r['matched']}\t{r['path']}")
PY
}

loaded=$graphs
results=""
for size in $sizes; do
    add=$((size - loaded))
    if [ "$add" -gt 0 ]; then
        echo "== adding $add small keys of other kinds (to $size)" >&2
        # loadkeys.py writes keys 0..N-1: ask for all of them (those written before are
        # written again), so each size adds new keys.
        python3 scripts/bench/loadkeys.py 0 "$((size - graphs))" 0 | redis-cli -p "$port" --pipe >/dev/null
        loaded=$size
    fi
    keys=$(redis-cli -p "$port" dbsize)
    echo "== $keys keys" >&2
    sels=()
    for w in $what; do
        case $w in
        touching) sels+=("--touching $dataset") ;;
        field) sels+=("--field $dataset/$field") ;;
        dataset) sels+=("--dataset $dataset" "--dataset $dataset --pages lookup" "--dataset $dataset --pages scan" "--dataset $dataset --page-sizes 20,100") ;;
        esac
    done
    for sel in "${sels[@]}"; do
        # shellcheck disable=SC2086
        computed=$(run computed $sel; run computed $sel; run computed $sel)
        # shellcheck disable=SC2086
        scanned=$(run scan $sel --scan)
        echo "$computed" | sed "s|^|   $sel |" >&2
        echo "$scanned" | sed "s|^|   $sel |" >&2
        results="$results$keys	$sel	$(echo "$computed" | sort -t$'\t' -k2 -g | head -n 1)	$scanned
"
    done
done

python3 - "$columns" "$graphs" "$results" <<'PY'
import os, platform, sys
cols, graphs, results = sys.argv[1:]
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
mem = round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)
print(f"Machine: {os.cpu_count()} cores ({cpu}), {mem} GiB; {platform.platform()}")
print(f"Cache: {int(graphs):,} real lineage graphs of a {int(cols):,}-column warehouse, plus small keys of other kinds\n")
print("| keys in the cache | selection | computed: wall (best of 3) / server CPU | scan path: wall / server CPU | keys matched (computed = scan) | speed-up |")
print("|---|---|---|---|---|---|")
for line in results.strip().splitlines():
    f = line.split("\t")
    keys, sel = f[0], f[1]
    c_wall, c_cpu, c_n = float(f[3]), f[4], f[5]
    s_wall, s_cpu, s_n = float(f[8]), f[9], f[10]
    same = "equal" if c_n == s_n else "DIFFERENT"
    print(f"| {int(keys):,} | `{sel}` | {c_wall:.3f} s / {c_cpu} s | {s_wall:.2f} s / {s_cpu} s | {c_n} = {s_n} ({same}) | {s_wall / c_wall:,.0f}x |")
PY
