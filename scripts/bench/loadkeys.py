#!/usr/bin/env python3
"""Write RESP for `redis-cli --pipe`: a keyspace like a production cache.

usage: loadkeys.py LINEAGE OTHER_OL FOREIGN [VALUE_BYTES]
  LINEAGE   lineage-graph keys (ol:lineage:graph:{id}|{field}|{dir}) with graph-like values
  OTHER_OL  dataset/field/statistics keys under ol:
  FOREIGN   keys of other applications (sessions, olx:, ol-other:)
Every key gets a TTL (SET ... EX), like the API's; deterministic. FOREIGN_TTL (seconds, in
the environment; default 3600) is the foreign keys' TTL.
"""
import os
import sys

def cmd(*parts):
    out = [b"*%d\r\n" % len(parts)]
    for p in parts:
        if isinstance(p, str):
            p = p.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(p), p))
    return b"".join(out)

def main():
    lineage, other, foreign = (int(a) for a in sys.argv[1:4])
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 600
    w = sys.stdout.buffer
    dirs = ("upstream", "downstream", "both")
    node = b'{"id":"db.T/c","type":"field","namespace":"teradata://td","dataset":"db.T","field":"c"},'
    buf = []
    for i in range(lineage):
        ds = "%016x/demo_user.T%06d" % (i % 4096, i // 3)
        key = "ol:lineage:graph:%s|col_%d|%s" % (ds, i % 97, dirs[i % 3])
        n = (size + (i * 7919) % size) // len(node) + 1  # sizes spread over 1x..2x
        value = b'{"nodes":[' + node * n + b'{"id":"x"}],"edges":[]}'
        buf.append(cmd("SET", key, value, "EX", str(1800 - i % 180)))
        if len(buf) >= 10000:
            w.write(b"".join(buf)); buf.clear()
    kinds = ("dataset:get", "field:list", "dataset:statistics", "dataset:ddl")
    for i in range(other):
        key = "ol:%s:%016x/demo_user.T%06d" % (kinds[i % 4], i % 4096, i)
        buf.append(cmd("SET", key, b'{"id":"x","name":"demo_user.T"}' * (1 + i % 8), "EX", str(900 - i % 90)))
        if len(buf) >= 10000:
            w.write(b"".join(buf)); buf.clear()
    prefixes = ("session:", "olx:lineage:graph:", "ol-other:", "cache:web:")
    for i in range(foreign):
        key = "%s%d" % (prefixes[i % 4], i)
        buf.append(cmd("SET", key, b"v" * (20 + i % 200), "EX", os.environ.get("FOREIGN_TTL", "3600")))
        if len(buf) >= 10000:
            w.write(b"".join(buf)); buf.clear()
    w.write(b"".join(buf))

main()
