#!/usr/bin/env bash
# Peer: PostgreSQL 15 full-text search in a private cluster (initdb into WORK/pg, run as
# the postgres user when we are root, on 127.0.0.1 and a free port; stopped at the end).
# Table: id, title, date, source, body and a generated tsvector (title weight A, body B,
# 'english'), GIN index; queries websearch_to_tsquery + ts_rank, top 10, measured over
# loopback by a python3 psycopg2 client (one connection).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
pgbin=/usr/lib/postgresql/15/bin
[[ -x $pgbin/initdb ]] || skip "PostgreSQL 15 missing (apt-get install postgresql-15)"
"$py" -c 'import psycopg2' 2>/dev/null || skip "python3-psycopg2 missing (apt-get install python3-psycopg2)"
as=()
if [[ $(id -u) == 0 ]]; then
  id postgres >/dev/null 2>&1 || skip "no postgres user to run the server as"
  as=(runuser -u postgres --)
fi
pg=$work/pg
rm -rf "$pg"; mkdir -p "$pg"
[[ $(id -u) == 0 ]] && chown postgres "$pg" "$work"
"${as[@]}" test -w "$pg" || { pg=$(mktemp -d /tmp/warsearch-bench-pg.XXXXXX); chown postgres "$pg"; kv note "cluster in $pg (postgres cannot write $work)"; }
port=$(free_port)
"${as[@]}" "$pgbin/initdb" -D "$pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1
stop() { "${as[@]}" "$pgbin/pg_ctl" -D "$pg/data" -m fast stop >/dev/null 2>&1 || true; }
trap stop EXIT
"${as[@]}" "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pg" start >/dev/null
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres

"$py" - "$docs" "$work/docs.tsv" <<'PY'
import json, sys
esc = lambda s: s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as o:
    for line in f:
        d = json.loads(line)
        o.write("\t".join(esc(x) if x else ("\\N" if k == "date" else "") for k, x in
                          (("id", d["id"]), ("title", d["title"]), ("date", d["date"]),
                           ("source", d["source"]), ("body", d["body"]))) + "\n")
PY
cat >"$work/load.sql" <<SQL
CREATE TABLE docs (id text PRIMARY KEY, title text, date text, source text, body text,
  tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title,'')), 'A') ||
                                    setweight(to_tsvector('english', coalesce(body,'')), 'B')) STORED);
\copy docs (id, title, date, source, body) FROM '$work/docs.tsv'
CREATE INDEX docs_tsv ON docs USING gin (tsv);
VACUUM ANALYZE docs;
SQL
chmod a+r "$work/docs.tsv" "$work/load.sql"
timed index psql -q -v ON_ERROR_STOP=1 -f "$work/load.sql" postgres >"$work/load.log" 2>&1
kv docs "$(psql -Atc 'SELECT count(*) FROM docs' postgres)"
kv size_bytes "$(psql -Atc "SELECT pg_total_relation_size('docs')" postgres)"
"$py" - "$queries" "$iterations" >>"$out" <<'PY'
import psycopg2, sys, time
qs = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip() and not l.startswith("#")]
c = psycopg2.connect(""); c.autocommit = True; cur = c.cursor()
sql = ("SELECT id, title FROM docs, websearch_to_tsquery('english', %s) q WHERE tsv @@ q "
       "ORDER BY ts_rank(tsv, q) DESC LIMIT 10")
samples = []
for it in range(int(sys.argv[2]) + 1):
    for q in qs:
        t0 = time.perf_counter(); cur.execute(sql, (q,)); cur.fetchall()
        if it: samples.append((time.perf_counter() - t0) * 1000)
samples.sort()
def pct(p):
    k = p / 100 * (len(samples) - 1); lo = int(k); hi = min(lo + 1, len(samples) - 1)
    return samples[lo] * (1 - (k - lo)) + samples[hi] * (k - lo)
for p in (50, 95, 99): print(f"p{p} {pct(p):.4f}")
PY
kv latency_kind "over loopback (psycopg2, one connection)"
