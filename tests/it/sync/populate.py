# The upstream populate_lineage.py as the API sees it (contract §5): DELETE every row of
# OL_COLUMN_LINEAGE, OL_DATASET_FIELD and OL_DATASET, then re-insert the rows one INSERT at
# a time, each autocommitted, with a short sleep between statements so that readers see
# half-written tables. Configured by a JSON file (tests/it/sync/populate.rs writes it):
#   statements  the SQL, in order (the DELETEs first)
#   sleep       seconds between statements
#   db          a SQLite file, or
#   psql        the argv of a psql session on PostgreSQL (statements piped to it)
#   fail_after  run this many statements, then exit 7 (optional)
#   pause_after after this many statements, create `deleted` and wait for `go` (optional)
#   deleted, go those two files
#   done        a file created as the last act before exiting
import json
import os
import sqlite3
import subprocess
import sys
import time


def wait_for(path):
    end = time.time() + 30
    while not os.path.exists(path):
        if time.time() > end:
            sys.exit("populate: no " + path)
        time.sleep(0.01)


class Sqlite:
    def __init__(self, path):
        self.con = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.con.execute("PRAGMA synchronous=OFF")

    def run(self, sql):
        self.con.execute(sql)

    def touch(self, path):
        open(path, "w").close()

    def wait(self, path):
        wait_for(path)

    def close(self):
        self.con.close()
        return 0


class Psql:
    """Statements piped to one psql session (autocommit), executed in order; the
    handshake files are made and waited for by psql itself (`\\!`), after the statements
    before them ran."""

    def __init__(self, argv):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, text=True)

    def send(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()

    def run(self, sql):
        self.send(sql + ";")

    def touch(self, path):
        self.send("\\! touch '%s'" % path)

    def wait(self, path):
        self.send("\\! while [ ! -e '%s' ]; do sleep 0.01; done" % path)

    def close(self):
        self.p.stdin.close()
        return self.p.wait()


def main():
    cfg = json.load(open(sys.argv[1]))
    db = Sqlite(cfg["db"]) if "db" in cfg else Psql(cfg["psql"])
    fail_after = cfg.get("fail_after")
    for i, sql in enumerate(cfg["statements"]):
        if fail_after is not None and i == fail_after:
            db.close()
            open(cfg["done"], "w").close()
            sys.exit(7)
        db.run(sql)
        if i + 1 == cfg.get("pause_after"):
            db.touch(cfg["deleted"])
            db.wait(cfg["go"])
        time.sleep(cfg["sleep"])
    status = db.close()
    open(cfg["done"], "w").close()
    sys.exit(status)


main()
