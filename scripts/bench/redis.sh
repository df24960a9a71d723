# shellcheck shell=bash
# Shared by the benchmark scripts: a free loopback port and a private redis-server (never
# port 6379, no persistence), stopped by redis_stop.

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# redis_start DIR [ARGS...]: start redis-server in DIR (log in DIR/redis.log) on a free port
# with ARGS added; sets REDIS_PORT and REDIS_PID and returns once it answers PING (fails
# after 10 s).
redis_start() {
    local dir=$1
    shift
    REDIS_PORT=$(free_port)
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --dir "$dir" "$@" >"$dir/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 100); do
        redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "redis-server did not start (see $dir/redis.log)" >&2
    return 1
}

redis_stop() {
    if [ -n "${REDIS_PID:-}" ]; then
        kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
        REDIS_PID=
    fi
    return 0
}
