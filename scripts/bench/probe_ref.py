#!/usr/bin/env python3
"""The floor of `stats`' probes, with no tool in the way: a plain RESP client that SCANs
every key (COUNT 200) and, per batch, pipelines `PTTL` and `MEMORY USAGE` for each key.

usage: probe_ref.py PORT
"""
import socket
import sys


def main():
    port = int(sys.argv[1])
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb", buffering=1 << 20)

    def enc(*args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else a.encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def read():
        line = f.readline()
        kind = line[:1]
        if kind == b"*":
            return [read() for _ in range(int(line[1:]))]
        if kind == b"$":
            n = int(line[1:])
            return None if n < 0 else f.read(n + 2)[:-2]
        return line

    cursor, seen = b"0", 0
    while True:
        s.sendall(enc("SCAN", cursor, "COUNT", "200"))
        cursor, keys = read()
        if keys:
            s.sendall(b"".join(enc("PTTL", k) + enc("MEMORY", "USAGE", k) for k in keys))
            for _ in range(2 * len(keys)):
                read()
        seen += len(keys)
        if cursor == b"0":
            break
    print(f"probed {seen} keys")


main()
