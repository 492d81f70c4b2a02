#!/usr/bin/env python3
"""Turns `warsearch-index --extract` output (stdin) into the neutral JSONL every peer
indexes: {id, title, body, date (YYYY-MM-DD or ""), source}, one object a line, ids unique.
Apostrophes are normalised to ASCII (see PEERS.md: PostgreSQL keeps curly ones in words)."""
import json, sys

seen = set()
out = sys.stdout
n = 0
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        d = json.loads(line)
    except ValueError:
        continue
    i = str(d.get("id") or "")
    if not i or i in seen:
        continue
    seen.add(i)
    fix = lambda s: (s or "").replace("\u2019", "'").replace("\u2018", "'")
    out.write(json.dumps({"id": i, "title": fix(d.get("title")), "body": fix(d.get("body")),
                          "date": (d.get("date") or "")[:10], "source": d.get("source") or ""},
                         ensure_ascii=False) + "\n")
    n += 1
print(f"normalize: {n} documents", file=sys.stderr)
