#!/usr/bin/env bash
# Benchmark of `sync` (issue 27): after a rewrite of the lineage tables as
# `populate_lineage.py` does it (every row deleted and inserted again, stamped "now", CHANGE%
# of the lineage rows dropped, re-pointed, added or re-attributed: scripts/bench/rewrite.py),
# from the same warmed cache each time, in one run on this machine:
#   sync (key ages): lineage-cache sync --started-at T --settle 0s --watch off
#   sync (events):   lineage-cache sync --settle 0s -- cp NEW.sqlite SOURCE.sqlite
#                    (the rewrite as the command, keyspace events; its own time taken out)
#   sync (events, page sizes): the same with --page-sizes 100,50 (the sizes warm wrote the
#                    list pages at: only those pages are looked for)
#   verify path:     lineage-cache verify --depth 5 --fix --yes
#   flush + warm:    lineage-cache invalidate --all --delete-both --yes; lineage-cache warm --all
# each with its wall time, client CPU, keys touched (deleted + rewritten or written, from
# its JSON report), bytes the server sent to clients (INFO stats total_net_output_bytes),
# redis-server CPU (/proc/PID/stat utime+stime) and INFO commandstats calls, best of REPS
# runs (default 2), contenders alternating. Then the two sync runs again at the first
# CHANGE% with the keyspace grown to BIG keys (default 5,000,000; 0 skips it).
#
# The cache: `warm --all` (every dataset's keys and the graph of every column in 3
# directions, by name: the requests the API's router serves) plus, for every column, the
# upstream and downstream graphs the API caches for the UI's id-form requests (the escaped
# id, a graph of the seed alone: `warm --keys-file` writes them as the API does); that is
# every key the API writes for this warehouse in its default routing but search pages and
# list pages of other sizes. The keyspace is filled up to KEYS (default 1,200,000) with keys
# of other applications (scripts/bench/loadkeys.py's foreign keys, outside `ol:`): the
# real values already take ~5.4 GB at 100k columns, and more real keys (the decoded-id
# form) would double that on a shared 24 GB machine. Every TTL class is set to a day
# (CACHE_TTL_*: the API's and the tool's setting alike) so that no key lapses during the
# run.
#
# Between runs the cache is put back as it was warmed: the source file restored, the
# snapshot key deleted so that warm saves the old lineage's snapshot again, and after a sync
# the keys it deleted or wrote (found by their age, scripts/bench/touched.py) warmed again;
# after verify and after flush + warm, everything. The rewrite runs once per CHANGE% on a copy of the
# warehouse; each run puts that copy in place (`cp`) after T.
#
# CONTENDERS (default "sync-ages sync-events sync-pages verify flush-warm") picks them;
# BIN measures another build of lineage-cache (the restores always use this worktree's).
#
# Usage: [REPS=2] [KEYS=1200000] [BIG=5000000] [CONTENDERS=...] [BIN=path] bash scripts/bench-sync.sh [COLUMNS (default 100000)] [CHANGES (default "0.1 1")]
set -euo pipefail
cd "$(dirname "$0")/.."
columns=${1:-100000}
changes=${2:-0.1 1}
reps=${REPS:-2}
total=${KEYS:-1200000}
big=${BIG:-5000000}
contenders=${CONTENDERS:-sync-ages sync-events sync-pages verify flush-warm}

bash scripts/install-deps.sh
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }
nice -n 5 cargo build --release --quiet --bin lineage-cache
scripts=$PWD/scripts/bench
work=$(mktemp -d /tmp/lc-bench-sync.XXXXXX)
# shellcheck source=scripts/bench/redis.sh
. scripts/bench/redis.sh
cleanup() {
    redis_stop
    rm -rf "$work"
}
trap cleanup EXIT
# Copies: a build in this worktree during the run does not change the binaries used.
cp target/release/lineage-cache "$work/lineage-cache"
cp "${BIN:-target/release/lineage-cache}" "$work/measured"
bin=$work/lineage-cache
measured=$work/measured
redis_start "$work"
port=$REDIS_PORT
export LINEAGE_CACHE_REDIS_URL="redis://127.0.0.1:$port/0"
ttl=86400
export CACHE_TTL_LINEAGE=$ttl CACHE_TTL_ASSETS=$ttl CACHE_TTL_STATISTICS=$ttl CACHE_TTL_DDL=$ttl CACHE_TTL_SEARCH=$ttl
r() { redis-cli -p "$port" "$@"; }
lc() { nice -n 5 "$bin" "$@"; }
# (%.0f, not %d: mawk's %d stops at 2^31.)
server_ms() { r time | awk 'NR == 1 {s = $1} NR == 2 {printf "%.0f\n", s * 1000 + int($1 / 1000)}'; }
log() { echo "== $*" >&2; }

log "a synthetic warehouse of $columns columns"
"$bin" demo create "$work/orig.sqlite" --scale "$columns" --seed 7 >/dev/null
src=$work/syn.sqlite
export LINEAGE_CACHE_SOURCE="sqlite:$src"
cp "$work/orig.sqlite" "$src"
# The escaped-id graphs the API caches for the UI's id-form requests (no `both`: the API's
# bidirectional query fails, it never writes one).
python3 - "$work/orig.sqlite" >"$work/escaped.keys" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for ds, f in c.execute("""SELECT f.dataset_id, f.field_name FROM OL_DATASET_FIELD f
        JOIN OL_DATASET d ON d.dataset_id = f.dataset_id WHERE d.is_active = 'Y'
        ORDER BY 1, 2"""):
    for d in ("upstream", "downstream"):
        print(f"ol:lineage:graph:{ds.replace('/', '%2F')}|{f}|{d}")
PY

# warm_all: the whole cache from the source in place.
warm_all() {
    lc warm --all --format json >"$work/restore.json"
    lc warm --keys-file "$work/escaped.keys" --format json >"$work/restore.json"
}
log "warm --all, and the escaped-id graphs"
warm_all
r --scan --pattern 'ol:*' >"$work/cache.keys"
real=$(wc -l <"$work/cache.keys")
values=$(r info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')
fill=$((total - real - 1))
if [ "$fill" -gt 0 ]; then
    log "$real keys of the API's; adding $fill keys of other applications"
    FOREIGN_TTL=$ttl python3 "$scripts/loadkeys.py" 0 0 "$fill" | r --pipe >/dev/null
fi
keys=$(r dbsize)

for pct in $changes; do
    cp "$work/orig.sqlite" "$work/new-$pct.sqlite"
    python3 "$scripts/rewrite.py" "$work/new-$pct.sqlite" "$pct" 2>"$work/rewrite-$pct.txt"
    cat "$work/rewrite-$pct.txt" >&2
done

# restore full|partial SINCE_MS: the cache as warmed from the original warehouse.
restore() {
    cp "$work/orig.sqlite" "$src"
    r del lineage-cache:snapshot:0 >/dev/null
    if [ "$1" = full ]; then
        warm_all
    else
        python3 "$scripts/touched.py" "$port" "$work/cache.keys" "$2" "$ttl" >"$work/touched.keys"
        # One key at least: warm then loads the lineage and saves the snapshot.
        head -n 1 "$work/cache.keys" >>"$work/touched.keys"
        lc warm --keys-file "$work/touched.keys" --format json >"$work/restore.json"
        echo "   restored $(($(wc -l <"$work/touched.keys") - 1)) keys" >&2
    fi
    [ "$(r exists lineage-cache:snapshot:0)" = 1 ] || { echo "no snapshot after the restore" >&2; exit 1; }
    [ "$(r dbsize)" = "$keys" ] || { echo "$(r dbsize) keys after the restore, not $keys" >&2; exit 1; }
    # Keys written by the restore must be older than T (ages have 1 s of slack).
    sleep 3
}

server_cpu() { awk '{print $14 + $15}' "/proc/$REDIS_PID/stat"; }
net_out() { r info stats | awk -F: '/^total_net_output_bytes:/ {print $2}' | tr -d '\r'; }
# measure NAME CMD...: run CMD (its stdout to NAME.out, stderr to NAME.err) and write
# NAME.m: wall, user, sys, max RSS, server CPU ticks, bytes sent by the server, load
# average at the start; NAME.cmds: INFO commandstats of the run.
measure() {
    local name=$1
    shift
    r config resetstat >/dev/null
    local c0 o0 t0 t1 load
    load=$(cut -d' ' -f1 /proc/loadavg)
    c0=$(server_cpu)
    o0=$(net_out)
    t0=$(date +%s%N)
    /usr/bin/time -f '%U %S %M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
        echo "$name failed:" >&2
        tail -n 5 "$work/$name.err" >&2
        exit 1
    }
    t1=$(date +%s%N)
    echo "$(((t1 - t0) / 1000000)) $(cat "$work/$name.time") $(($(server_cpu) - c0)) $(($(net_out) - o0)) $load" >"$work/$name.m"
    r info commandstats | tr -d '\r' | grep '^cmdstat_' >"$work/$name.cmds"
}

runs=""
# run CONTENDER PCT REP: restore first, then one measured run; its name is added to $runs.
run() {
    local what=$1 pct=$2 rep=$3 name="$1-$2-$3-$keys"
    local since
    since=$(server_ms)
    case $what in
    sync-ages)
        local at
        at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
        cp "$work/new-$pct.sqlite" "$src"
        measure "$name" nice -n 5 "$measured" -vv sync --started-at "$at" --settle 0s --watch off --yes --format json
        ;;
    sync-events)
        measure "$name" nice -n 5 "$measured" -vv sync --settle 0s --yes --format json -- cp "$work/new-$pct.sqlite" "$src"
        ;;
    sync-pages)
        measure "$name" nice -n 5 "$measured" -vv sync --settle 0s --page-sizes 100,50 --yes --format json -- cp "$work/new-$pct.sqlite" "$src"
        ;;
    verify)
        cp "$work/new-$pct.sqlite" "$src"
        measure "$name" nice -n 5 "$measured" verify --depth 5 --fix --yes --format json
        ;;
    flush-warm)
        cp "$work/new-$pct.sqlite" "$src"
        measure "$name" bash -c "nice -n 5 '$measured' invalidate --all --delete-both --yes --format json >'$work/$name.inv' && nice -n 5 '$measured' warm --all --format json"
        ;;
    esac
    echo "   $name: $(cat "$work/$name.m")" >&2
    runs="$runs $name"
    # sync writes with the class TTL exactly, so its writes are found by age; verify's fix
    # takes up to 10 % off each TTL (a write then looks older than it is), and flush + warm
    # wrote everything: after those, everything is warmed again.
    case $what in
    sync-*) restore partial "$since" ;;
    *) restore full ;;
    esac
}

sleep 3
for pct in $changes; do
    for rep in $(seq "$reps"); do
        for what in $contenders; do
            log "$what at $pct % (run $rep of $reps), $keys keys, load $(cut -d' ' -f1-3 /proc/loadavg)"
            run "$what" "$pct" "$rep"
        done
    done
done
small_keys=$keys
if [ "$big" -gt "$keys" ]; then
    log "adding keys of other applications up to $big"
    FOREIGN_TTL=$ttl python3 "$scripts/loadkeys.py" 0 0 "$((big - real - 1))" | r --pipe >/dev/null
    keys=$(r dbsize)
    pct=${changes%% *}
    for rep in $(seq "$reps"); do
        for what in $contenders; do
            case $what in sync-*) ;; *) continue ;; esac
            log "$what at $pct % (run $rep of $reps), $keys keys, load $(cut -d' ' -f1-3 /proc/loadavg)"
            run "$what" "$pct" "$rep"
        done
    done
fi

# shellcheck disable=SC2086 # one argument per run
python3 "$scripts/sync_report.py" "$work" "$columns" "$real" "$values" "$small_keys" "$(getconf CLK_TCK)" $runs
