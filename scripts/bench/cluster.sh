# Sourced by the bench scripts' --cluster mode: three private cluster primaries on loopback
# ports (never 6379) under $1, joined with `redis-cli --cluster create`, and a loader that
# routes RESP (from stdin) to the primary owning each key's slot.
#
#   cluster_start WORKDIR     sets CLUSTER_PORTS (three ports) and CLUSTER_PIDS
#   cluster_stop              kills the three servers
#   cluster_load              RESP on stdin -> each primary with `redis-cli --pipe`
#   cluster_dbsize            keys on all primaries

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

cluster_start() {
    local work=$1 i port
    CLUSTER_PORTS=()
    CLUSTER_PIDS=()
    for i in 0 1 2; do
        port=$(free_port)
        mkdir -p "$work/node$i"
        # The bus port defaults to port + 10000, impossible above 55535: pick one too.
        redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
            --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 15000 \
            --cluster-port "$(free_port)" \
            --dir "$work/node$i" --daemonize no >"$work/node$i/redis.log" 2>&1 &
        CLUSTER_PIDS+=($!)
        CLUSTER_PORTS+=("$port")
    done
    for i in 0 1 2; do
        until redis-cli -p "${CLUSTER_PORTS[$i]}" ping >/dev/null 2>&1; do
            kill -0 "${CLUSTER_PIDS[$i]}" 2>/dev/null || { tail -n 3 "$work/node$i/redis.log" >&2; return 1; }
            sleep 0.1
        done
    done
    redis-cli --cluster create $(printf '127.0.0.1:%s ' "${CLUSTER_PORTS[@]}") \
        --cluster-replicas 0 --cluster-yes >"$work/create.log"
    for port in "${CLUSTER_PORTS[@]}"; do
        until redis-cli -p "$port" cluster info | grep -q 'cluster_state:ok'; do sleep 0.1; done
    done
}

cluster_stop() {
    local pid
    for pid in "${CLUSTER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}

# Split RESP commands by the slot of their first argument (CRC16 of the key or its {tag})
# into one file per primary, then pipe each file to its primary.
cluster_load() {
    local dir i
    dir=$(mktemp -d /tmp/lc-bench-route.XXXXXX)
    # The script goes in a file: stdin carries the RESP.
    cat >"$dir/route.py" <<'PY'
import subprocess, sys
out_dir, ports = sys.argv[1], sys.argv[2:]

def crc16(data):
    crc = 0
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc

def slot(key):
    s = key.find(b"{")
    if s >= 0:
        e = key.find(b"}", s + 1)
        if e > s + 1:
            key = key[s + 1:e]
    return crc16(key) % 16384

owner = [0] * 16384
for i, p in enumerate(ports):
    nodes = subprocess.run(["redis-cli", "-p", p, "cluster", "nodes"], capture_output=True, text=True).stdout
    me = next(l for l in nodes.splitlines() if "myself" in l).split()
    for r in me[8:]:
        a, _, b = r.partition("-")
        for s in range(int(a), int(b or a) + 1):
            owner[s] = i
files = [open(f"{out_dir}/{i}.resp", "wb") for i in range(len(ports))]
inp = sys.stdin.buffer
while True:
    head = inp.readline()
    if not head:
        break
    n = int(head[1:])
    parts = [head]
    args = []
    for _ in range(n):
        ln = inp.readline()
        body = inp.read(int(ln[1:]) + 2)
        parts += [ln, body]
        args.append(body[:-2])
    files[owner[slot(args[1])]].write(b"".join(parts))
for f in files:
    f.close()
PY
    python3 "$dir/route.py" "$dir" "${CLUSTER_PORTS[@]}"
    local pids=()
    for i in 0 1 2; do
        redis-cli -p "${CLUSTER_PORTS[$i]}" --pipe <"$dir/$i.resp" | tail -n 1 &
        pids+=($!)
    done
    wait "${pids[@]}"
    rm -rf "$dir"
}

cluster_dbsize() {
    local total=0 port n
    for port in "${CLUSTER_PORTS[@]}"; do
        n=$(redis-cli -p "$port" dbsize)
        total=$((total + n))
    done
    echo "$total"
}
