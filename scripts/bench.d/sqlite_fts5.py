#!/usr/bin/env python3
"""Peer: SQLite FTS5 through python3's sqlite3 module (in-process: latencies include the
Python call overhead, a few microseconds).  Table as in PEERS.md:
  fts5(id UNINDEXED, title, date UNINDEXED, source UNINDEXED, body, tokenize='porter unicode61')
Query: neutral words -> "w1" AND "w2"; "a phrase" -> "a phrase"; ORDER BY rank LIMIT 10.
Same options as the shell adapters (see lib.sh); writes "key value" lines to --out."""
import argparse, json, os, resource, sqlite3, sys, time

ap = argparse.ArgumentParser()
for o in ("--docs", "--queries", "--work", "--out"):
    ap.add_argument(o, required=True)
ap.add_argument("--iterations", type=int, default=3)
ap.add_argument("--quick", action="store_true")
ap.add_argument("--port-base"); ap.add_argument("--wrk-seconds"); ap.add_argument("--wrk-connections")
a = ap.parse_args()
os.makedirs(a.work, exist_ok=True)
out = open(a.out, "w")
def kv(k, v): out.write(f"{k} {v}\n"); out.flush()

try:
    probe = sqlite3.connect(":memory:")
    probe.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
except sqlite3.Error as e:
    kv("skipped", f"sqlite3 module without FTS5 ({e})"); sys.exit(77)

path = os.path.join(a.work, "fts5.db")
for suffix in ("", "-wal", "-journal"):
    if os.path.exists(path + suffix): os.remove(path + suffix)
t0 = time.perf_counter()
db = sqlite3.connect(path)
db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, date UNINDEXED, "
           "source UNINDEXED, body, tokenize='porter unicode61')")
n = 0
def rows():
    global n
    with open(a.docs, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line); n += 1
            yield (d["id"], d["title"], d["date"], d["source"], d["body"])
with db:
    db.executemany("INSERT INTO docs VALUES (?,?,?,?,?)", rows())
db.close()
wall = time.perf_counter() - t0
kv("docs", n); kv("index_wall_s", f"{wall:.3f}")
kv("index_rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
kv("size_bytes", os.path.getsize(path))
t0 = time.perf_counter()
db = sqlite3.connect(path); db.execute("INSERT INTO docs(docs) VALUES('optimize')"); db.commit(); db.close()
kv("compact_wall_s", f"{time.perf_counter() - t0:.3f}"); kv("compact_bytes", os.path.getsize(path))

def translate(q):
    parts, i = [], 0
    while i < len(q):
        if q[i] == '"':
            j = q.find('"', i + 1); j = len(q) if j < 0 else j
            parts.append('"' + q[i + 1:j] + '"'); i = j + 1
        elif q[i].isspace():
            i += 1
        else:
            j = i
            while j < len(q) and not q[j].isspace() and q[j] != '"': j += 1
            parts.append('"' + q[i:j] + '"'); i = j
    return " AND ".join(parts)

queries = [l.strip() for l in open(a.queries, encoding="utf-8") if l.strip() and not l.startswith("#")]
db = sqlite3.connect(path)
sql = "SELECT id, title FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10"
sql_snip = ("SELECT id, title, snippet(docs, 4, '[', ']', '…', 24) FROM docs WHERE docs MATCH ? "
            "ORDER BY rank LIMIT 10")
for name, s in (("", sql), ("snip_", sql_snip)):
    samples = []
    for it in range(a.iterations + 1):
        for q in queries:
            m = translate(q)
            t0 = time.perf_counter(); db.execute(s, (m,)).fetchall()
            if it: samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    def pct(p):
        k = p / 100 * (len(samples) - 1); lo = int(k); hi = min(lo + 1, len(samples) - 1)
        return samples[lo] * (1 - (k - lo)) + samples[hi] * (k - lo)
    for p in (50, 95, 99): kv(f"{name}p{p}", f"{pct(p):.4f}")
kv("latency_kind", "in-process (python3 sqlite3)")
