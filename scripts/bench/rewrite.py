#!/usr/bin/env python3
"""Rewrite a demo warehouse's lineage tables as `populate_lineage.py` does (contract §5).

usage: rewrite.py SQLITE_FILE PERCENT [SEED]

Every row of OL_COLUMN_LINEAGE, OL_DATASET_FIELD and OL_DATASET is DELETEd and inserted
again: datasets with `updated_at` = now, fields with `created_at` = now, lineage rows with
`discovered_at` = now and `is_active` = 'Y' (rows that were inactive are not written again:
the script keeps no history). PERCENT of the active lineage rows change, a mix: 30 % are
dropped, 30 % re-pointed (same lineage_id, another target column), 30 % added (a new
lineage_id between two random columns), 10 % re-attributed (another transformation type).
Deterministic for a SEED but for the timestamps. One transaction and executemany (fast);
the statement-by-statement behaviour of the real script is what tests/ reproduce, not this.
Prints what it did, one line, on stderr.
"""
import random
import sqlite3
import sys
import time


def main():
    path, pct = sys.argv[1], float(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    c = sqlite3.connect(path, isolation_level=None)

    def read(table, order):
        cur = c.execute(f"SELECT * FROM {table} ORDER BY {order}")
        cols = [d[0] for d in cur.description]
        return cols, [list(r) for r in cur]

    dcols, datasets = read("OL_DATASET", "dataset_id")
    fcols, fields = read("OL_DATASET_FIELD", "field_id")
    lcols, lineage = read("OL_COLUMN_LINEAGE", "lineage_id")
    di, fi, li = ({n: i for i, n in enumerate(cs)} for cs in (dcols, fcols, lcols))

    for d in datasets:
        d[di["updated_at"]] = now
    for f in fields:
        f[fi["created_at"]] = now
    active = [r for r in lineage if r[li["is_active"]] == "Y"]

    # The columns a lineage row can point at: active datasets' fields, with their namespace.
    ns_uri = dict(c.execute("SELECT namespace_id, namespace_uri FROM OL_NAMESPACE"))
    ds = {d[di["dataset_id"]]: d for d in datasets if d[di["is_active"]] == "Y"}
    columns = [
        (ns_uri.get(ds[f[fi["dataset_id"]]][di["namespace_id"]], ""),
         ds[f[fi["dataset_id"]]][di["name"]], f[fi["field_name"]])
        for f in fields if f[fi["dataset_id"]] in ds
    ]
    types = sorted({r[li["transformation_type"]] for r in active})

    n = round(len(active) * pct / 100)
    picked = rng.sample(range(len(active)), n)
    dropped = set()
    counts = {"dropped": 0, "repointed": 0, "added": 0, "reattributed": 0}
    added = []
    for k, i in enumerate(picked):
        r = active[i]
        what = k % 10
        if what < 3:
            dropped.add(i)
            counts["dropped"] += 1
        elif what < 6:
            ns, dset, field = rng.choice(columns)
            r[li["target_namespace"]], r[li["target_dataset"]], r[li["target_field"]] = ns, dset, field
            counts["repointed"] += 1
        elif what < 9:
            new = list(r)
            new[li["lineage_id"]] = "bench-%08d" % k
            (new[li["source_namespace"]], new[li["source_dataset"]], new[li["source_field"]]) = rng.choice(columns)
            (new[li["target_namespace"]], new[li["target_dataset"]], new[li["target_field"]]) = rng.choice(columns)
            added.append(new)
            counts["added"] += 1
        else:
            old = r[li["transformation_type"]]
            r[li["transformation_type"]] = next((t for t in types if t != old), old + "X")
            counts["reattributed"] += 1
    rows = [r for i, r in enumerate(active) if i not in dropped] + added
    for r in rows:
        r[li["discovered_at"]] = now
        r[li["is_active"]] = "Y"

    def insert(table, cols, data):
        marks = ",".join("?" * len(cols))
        c.executemany(f"INSERT INTO {table} ({','.join(cols)}) VALUES ({marks})", data)

    c.execute("BEGIN")
    for t in ("OL_COLUMN_LINEAGE", "OL_DATASET_FIELD", "OL_DATASET"):
        c.execute(f"DELETE FROM {t}")
    insert("OL_DATASET", dcols, datasets)
    insert("OL_DATASET_FIELD", fcols, fields)
    insert("OL_COLUMN_LINEAGE", lcols, rows)
    c.execute("COMMIT")
    print(f"rewrote {len(datasets)} datasets, {len(fields)} fields, {len(rows)} lineage rows "
          f"({len(active)} active before, {len(lineage) - len(active)} inactive not written again); "
          f"changed {n} rows ({pct}%): " + ", ".join(f"{v} {k}" for k, v in counts.items()),
          file=sys.stderr)


main()
