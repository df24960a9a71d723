#!/usr/bin/env bash
# The README's first command: the tool's main job on the embedded default.
# Starts a private redis-server on a free loopback port (never 6379), creates the demo
# lineage warehouse (SQLite), warms the whole cache as the API would, then shows what is
# cached and checks it against the source. Everything it starts is stopped when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

# Only what the demo builds and runs (no PostgreSQL, ODBC driver or Python: it uses SQLite).
bash scripts/install-deps.sh demo
echo "== building lineage-cache" >&2
cargo build --quiet --bin lineage-cache
bin=target/debug/lineage-cache

work=$(mktemp -d /tmp/lineage-cache-demo.XXXXXX)
redis_pid=
cleanup() {
    [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port: try a few random ones until a private server answers.
for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    redis-cli -p "$port" ping >/dev/null 2>&1 && continue # somebody else's
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        --maxmemory 256mb --maxmemory-policy allkeys-lru --dir "$work" >"$work/redis.log" 2>&1 &
    redis_pid=$!
    for _ in $(seq 1 50); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    kill "$redis_pid" 2>/dev/null || true
    redis_pid=
done
[ -n "$redis_pid" ] || { echo "demo: could not start redis-server" >&2; exit 1; }

export LINEAGE_CACHE_REDIS_URL="redis://127.0.0.1:$port/0"
export LINEAGE_CACHE_SOURCE="sqlite:$work/demo.sqlite"
run() { echo; echo "\$ lineage-cache $*"; "$bin" "$@"; }

echo "== private Redis on 127.0.0.1:$port; demo warehouse in $work/demo.sqlite"
run demo create "$work/demo.sqlite"
run warm --all
# An operator's question: which key does this request read, and what does it hold? The API
# serves datasets by name: its router passes an id's %2F through, so an id-form request is
# looked up verbatim (the note on the second from-url says so).
url='/api/v2/openlineage/lineage/demo_user.FACT_SALES/net_eur_amt?direction=upstream&maxDepth=5'
run key from-url "$url"
run inspect "$("$bin" key from-url "$url")" --raw
echo
run key from-url '/api/v2/openlineage/lineage/e2ee0f524246c957%2Fdemo_user.FACT_SALES/net_eur_amt?direction=upstream'

run inspect --dataset demo_user.FACT_SALES --kind lineage-graph --sort size --limit 6
run stats
# Is the cache telling the truth? Every cached value against the source: all current now.
run verify
run invalidate --dataset demo_user.STG_ORDER --dry-run
echo
echo "== done; the private Redis is stopped and $work removed"
