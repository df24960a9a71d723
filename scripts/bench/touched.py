#!/usr/bin/env python3
"""Which keys of a list a run deleted or wrote: for `scripts/bench-sync.sh`'s restores.

usage: touched.py PORT KEYS_FILE SINCE_MS CLASS_TTL_S

Prints every key of KEYS_FILE (one a line) that is gone, or whose age (CLASS_TTL_S minus
its remaining PTTL: every key of the bench is written with the same TTL) says it was
written at or after SINCE_MS (server time, `TIME`). PTTLs are sent pipelined over one
connection to 127.0.0.1:PORT, 10,000 at a time.
"""
import socket
import sys


def command(*parts):
    out = [b"*%d\r\n" % len(parts)]
    for p in parts:
        out.append(b"$%d\r\n%s\r\n" % (len(p), p))
    return b"".join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self.line()
        kind, rest = line[:1], line[1:]
        if kind == b":":
            return int(rest)
        if kind == b"*":
            return [self.reply() for _ in range(int(rest))]
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.s.recv(1 << 20)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if kind == b"-":
            raise RuntimeError(rest.decode())
        return rest


def main():
    port, path, since_ms, ttl_s = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    keys = open(path, "rb").read().splitlines()
    c = Conn(int(port))
    out = sys.stdout.buffer
    for i in range(0, len(keys), 10000):
        chunk = keys[i:i + 10000]
        c.s.sendall(b"".join(command(b"PTTL", k) for k in chunk) + command(b"TIME"))
        pttls = [c.reply() for _ in chunk]
        secs, micros = c.reply()
        now = int(secs) * 1000 + int(micros) // 1000
        for k, ms in zip(chunk, pttls):
            if ms == -2 or (ms >= 0 and now - (ttl_s * 1000 - ms) >= since_ms):
                out.write(k + b"\n")


main()
