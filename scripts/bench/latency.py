#!/usr/bin/env python3
"""A concurrent client: GET in a loop against PORT until STOPFILE exists or SECONDS pass;
prints `p50_ms p99_ms max_ms count` of the round trips. Plain sockets, no dependencies."""
import os, socket, sys, time

port, stopfile, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
req = b"*2\r\n$3\r\nGET\r\n$9\r\nsession:0\r\n"
lat = []
end = time.time() + seconds
while time.time() < end and not os.path.exists(stopfile):
    t = time.perf_counter()
    s.sendall(req)
    data = b""
    while not data.endswith(b"\r\n") or (data.startswith(b"$") and data.count(b"\r\n") < 2 and not data.startswith(b"$-1")):
        data += s.recv(65536)
    lat.append((time.perf_counter() - t) * 1000)
    time.sleep(0.0005)
lat.sort()
if not lat:
    print("0 0 0 0"); sys.exit()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print("%.3f %.3f %.3f %d" % (q(0.50), q(0.99), lat[-1], len(lat)))
