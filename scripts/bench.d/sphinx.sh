#!/usr/bin/env bash
# Peer: Sphinx 2.2 (Debian sphinxsearch) at its defaults with English stemming: `indexer`
# from a tsvpipe source (title and body full-text fields, the id and date as attributes),
# `searchd` on 127.0.0.1 and a free port (SphinxQL), queries MATCH('neutral query') top 10
# (implicit AND, "phrases" as phrases), measured over loopback by python3-pymysql.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v indexer >/dev/null && command -v searchd >/dev/null || skip "sphinxsearch missing (apt-get install sphinxsearch)"
[[ $(indexer --help 2>&1 | head -1) == *Sphinx* ]] || skip "'indexer' on PATH is not Sphinx's"
"$py" -c 'import pymysql' 2>/dev/null || skip "python3-pymysql missing (apt-get install python3-pymysql)"
"$py" - "$docs" "$work/docs.tsv" <<'PY'
import json, sys
clean = lambda s: " ".join((s or "").split())
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as o:
    for n, line in enumerate(f, 1):
        d = json.loads(line)
        o.write(f"{n}\t{clean(d['title'])}\t{clean(d['body'])}\t{clean(d['id'])}\t{d['date'].replace('-', '') or 0}\n")
PY
port=$(free_port)
rm -rf "$work/idx"; mkdir -p "$work/idx"
cat >"$work/sphinx.conf" <<CONF
source docs
{
  type = tsvpipe
  tsvpipe_command = cat $work/docs.tsv
  tsvpipe_field = title
  tsvpipe_field = body
  tsvpipe_attr_string = ext_id
  tsvpipe_attr_uint = date
}
index docs
{
  source = docs
  path = $work/idx/docs
  morphology = stem_en
}
indexer
{
  mem_limit = 256M
}
searchd
{
  listen = 127.0.0.1:$port:mysql41
  log = $work/searchd.log
  query_log = $work/query.log
  pid_file = $work/searchd.pid
  binlog_path =
}
CONF
timed index indexer --config "$work/sphinx.conf" --all >"$work/indexer.log" 2>&1
kv docs "$(awk '/total [0-9]+ docs/{print $2; exit}' "$work/indexer.log")"
kv size_bytes "$(du_bytes "$work/idx")"
searchd --config "$work/sphinx.conf" >"$work/searchd.out" 2>&1
trap 'searchd --config "$work/sphinx.conf" --stopwait >/dev/null 2>&1 || true' EXIT
"$py" - "$queries" "$iterations" "$port" >>"$out" <<'PY'
import pymysql, sys, time
qs = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip() and not l.startswith("#")]
for _ in range(50):
    try:
        c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[3])); break
    except Exception:
        time.sleep(0.1)
cur = c.cursor()
samples = []
for it in range(int(sys.argv[2]) + 1):
    for q in qs:
        t0 = time.perf_counter(); cur.execute("SELECT id, ext_id FROM docs WHERE MATCH(%s) LIMIT 10", (q,)); cur.fetchall()
        if it: samples.append((time.perf_counter() - t0) * 1000)
samples.sort()
def pct(p):
    k = p / 100 * (len(samples) - 1); lo = int(k); hi = min(lo + 1, len(samples) - 1)
    return samples[lo] * (1 - (k - lo)) + samples[hi] * (k - lo)
for p in (50, 95, 99): print(f"p{p} {pct(p):.4f}")
PY
kv latency_kind "over loopback (SphinxQL, pymysql)"
