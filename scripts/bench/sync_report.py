#!/usr/bin/env python3
"""The tables of scripts/bench-sync.sh, from the files its runs left in WORK.

usage: sync_report.py WORK COLUMNS API_KEYS USED_MEMORY KEYS CLK_TCK RUN...

Each RUN is CONTENDER-PCT-REP-KEYS; WORK holds RUN.m (wall ms, user s, sys s, max RSS KB,
server CPU ticks, bytes the server sent, load average), RUN.out (the JSON report), RUN.err
(sync's -vv timings), RUN.cmds (INFO commandstats), and for flush-warm RUN.inv
(invalidate's report; RUN.out is warm's).
"""
import json
import os
import platform
import re
import sys

work, columns, api_keys, used, small_keys, tick = sys.argv[1:7]
names = sys.argv[7:]
tick = int(tick)
LABEL = {
    "sync-ages": "sync, key ages (`--started-at T --watch off`)",
    "sync-events": "sync, keyspace events (`-- cp NEW SOURCE`)",
    "sync-pages": "sync, keyspace events, `--page-sizes 100,50`",
    "verify": "verify --depth 5 --fix",
    "flush-warm": "invalidate --all + warm --all",
}


def load(name):
    what, pct, rep, keys = name.rsplit("-", 3)
    m = open(os.path.join(work, name + ".m")).read().split()
    wall, user, sys_, rss, cpu, net, loadavg = m
    run = {
        "name": name, "what": what, "pct": pct, "rep": int(rep), "keys": int(keys),
        "wall": int(wall) / 1000, "cpu": float(user) + float(sys_), "rss": int(rss) // 1024,
        "server_cpu": int(cpu) / tick, "net": int(net), "load": loadavg,
    }
    out = json.load(open(os.path.join(work, name + ".out")))
    calls = {}
    for line in open(os.path.join(work, name + ".cmds")):
        cmd, rest = line.strip()[len("cmdstat_"):].split(":", 1)
        n = int(re.search(r"calls=(\d+)", rest).group(1))
        if cmd not in ("info", "config|resetstat", "ping"):
            calls[cmd] = n
    run["calls"] = calls
    if what.startswith("sync"):
        run["touched"] = out["keysDeleted"] + out["keysRewritten"]
        run["detail"] = f"{out['keysDeleted']} deleted + {out['keysRewritten']} rewritten"
        run["read"] = out["keysRead"]
        run["bytes_read"] = out["bytesRead"]
        run["own"] = run["wall"] - ((out.get("command") or {}).get("seconds") or 0)
        run["report"] = out
        run["timings"] = [l.split("DEBUG ", 1)[-1].strip() for l in open(os.path.join(work, name + ".err"))
                          if "sync: " in l or "snapshot: " in l or "engine: " in l]
    elif what == "verify":
        fix = out.get("fix") or {}
        run["touched"] = fix.get("written", 0) + fix.get("deleted", 0) + fix.get("filled", 0)
        run["detail"] = (f"{fix.get('deleted', 0)} deleted + {fix.get('written', 0)} rewritten"
                         f" (drift {out.get('drift')}, of which at another depth {out.get('otherDepth')})")
        run["read"] = out.get("checked")
        run["bytes_read"] = sum(k.get("bytes", 0) for k in out.get("kinds", {}).values()
                                if isinstance(k, dict))
        run["own"] = run["wall"]
    else:
        inv = json.load(open(os.path.join(work, name + ".inv")))
        deleted = inv["deleted"] + inv.get("bothRewritten", 0)
        run["touched"] = deleted + out["written"]
        run["detail"] = f"{inv['deleted']} deleted, then {out['written']} written"
        run["read"] = None
        run["bytes_read"] = None
        run["own"] = run["wall"]
    return run


runs = [load(n) for n in names]
best = {}
for r in runs:
    k = (r["keys"], r["pct"], r["what"])
    if k not in best or r["own"] < best[k]["own"]:
        best[k] = r

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
print(f"Machine: {os.cpu_count()} cores ({cpu}), {mem} GiB; {platform.platform()}")
print(f"Warehouse: {int(columns):,} columns; the API's keys: {int(api_keys):,} "
      f"({int(used) / 2**30:.2f} GiB used by Redis), filled with keys of other applications to "
      f"{int(small_keys):,}")
print()
print("| keys in Redis | change | contender | wall, best of runs (sync's own: the command's time out) | client CPU | keys touched | keys read (report) | bytes sent by Redis | bytes read (report) | redis-server CPU | load avg at start |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for (keys, pct, what), r in sorted(best.items(), key=lambda kv: (kv[0][0], float(kv[0][1]), list(LABEL).index(kv[0][2]))):
    wall = f"{r['wall']:.2f} s"
    if r["own"] != r["wall"]:
        wall += f" ({r['own']:.2f} s own)"
    fmt = lambda v: "" if v is None else f"{v:,}"
    print(f"| {keys:,} | {pct} % | {LABEL[what]} | {wall} | {r['cpu']:.2f} s | {r['touched']:,} ({r['detail']}) "
          f"| {fmt(r['read'])} | {r['net']:,} | {fmt(r['bytes_read'])} | {r['server_cpu']:.2f} s | {r['load']} |")
print()
print("Ratios (best against best; sync with events: its own time):")
for (keys, pct, what), r in sorted(best.items()):
    if not what.startswith("sync"):
        continue
    for other in ("verify", "flush-warm"):
        o = best.get((keys, pct, other))
        if not o:
            continue
        print(f"- {keys:,} keys, {pct} %: {LABEL[what]} against {LABEL[other]}: "
              f"{o['own'] / r['own']:.1f}x faster, {o['net'] / max(r['net'], 1):.1f}x fewer bytes sent by Redis, "
              f"{o['server_cpu'] / max(r['server_cpu'], 0.01):.1f}x less server CPU, "
              f"{o['touched'] / max(r['touched'], 1):.2f}x the keys touched")
print()
print("Commands of each best run (INFO commandstats calls):")
for (keys, pct, what), r in sorted(best.items()):
    calls = ", ".join(f"{c} {n:,}" for c, n in sorted(r["calls"].items(), key=lambda x: -x[1]))
    print(f"- {keys:,} keys, {pct} %, {what}: {calls}")
print()
print("sync's phases (-vv) in each best run:")
for (keys, pct, what), r in sorted(best.items()):
    if what.startswith("sync"):
        print(f"- {keys:,} keys, {pct} %, {what}:")
        for t in r["timings"]:
            print(f"  - {t}")
        rep = r["report"]
        print(f"  - changes: {json.dumps(rep['changes'])}")
        print(f"  - by reason: {json.dumps(rep['reasons'])}")
        print(f"  - notes: {rep['notes']}")
print()
print("All runs (wall s / own s / server CPU s / bytes sent / load):")
for r in runs:
    print(f"- {r['name']}: {r['wall']:.2f} / {r['own']:.2f} / {r['server_cpu']:.2f} / {r['net']:,} / {r['load']}")
