#!/usr/bin/env bash
# Peer: Xapian's own tools at their defaults — scriptindex (title indexed with prefix S and
# unprefixed, body with positions, unique Q id, date as value 0, English stemmer),
# xapian-compact, `quest` one process per query, Omega's CGI one process per request,
# and Omega under lighttpd (CGI) with wrk for requests/s.  Needs xapian-omega, xapian-tools.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v scriptindex >/dev/null || skip "scriptindex missing (apt-get install xapian-omega)"
command -v quest >/dev/null || skip "quest missing (apt-get install xapian-tools)"
omega=/usr/lib/cgi-bin/omega/omega

# scriptindex input: field=value lines, continuation lines start with '=', blank line ends a record.
python3 - "$docs" "$work/docs.si" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as o:
    for line in f:
        d = json.loads(line)
        o.write("id=%s\n" % d["id"].replace("\n", " "))
        o.write("title=%s\n" % " ".join(d["title"].split()))
        body = [l for l in d["body"].split("\n") if l.strip()] or [""]
        o.write("body=%s\n" % body[0])
        for l in body[1:]:
            o.write("=%s\n" % l)
        o.write("date=%s\n" % d["date"].replace("-", ""))
        o.write("source=%s\n\n" % d["source"])
PY
cat >"$work/index.script" <<'SI'
id : field boolean=Q unique=Q
title : field index=S index
body : field index
date : field value=0
source : field boolean=XSOURCE
SI
rm -rf "$work/dbs"; mkdir -p "$work/dbs"
db=$work/dbs/peer
timed index scriptindex --stemmer=english "$db" "$work/index.script" "$work/docs.si" >"$work/scriptindex.log" 2>&1
kv docs "$(xapian-delve "$db" | awk '/number of documents/{print $NF}')"
kv size_bytes "$(du_bytes "$db")"
rm -rf "$work/dbs/compact"
timed compact xapian-compact "$db" "$work/dbs/compact" >/dev/null
kv compact_bytes "$(du_bytes "$work/dbs/compact")"
kv db "$db"

# quest: one process per query, AND default like the neutral list.
python3 "$bench_d/proc_latency.py" --queries "$queries" --iterations "$iterations" --prefix quest \
  -- quest -d "$db" -s english -o and -m 10 -p title:S '{q}' >>"$out"

if [[ -x $omega ]]; then
  mkdir -p "$work/omega/log"
  cat >"$work/omega/omega.conf" <<CONF
database_dir $work/dbs
template_dir /usr/share/xapian-omega/templates
log_dir $work/omega/log
CONF
  python3 "$bench_d/proc_latency.py" --queries "$queries" --iterations "$iterations" --prefix omega_cgi \
    --env OMEGA_CONFIG_FILE="$work/omega/omega.conf" --cgi-param P --cgi-extra "DB=peer&DEFAULTOP=and" \
    -- "$omega" >>"$out"
  # Omega behind lighttpd (CGI: one process per request), loaded by wrk on loopback.
  if (( ! quick )) && command -v wrk >/dev/null && command -v lighttpd >/dev/null; then
    port=$(free_port); run=$work/omega/www; mkdir -p "$run"
    ln -sf "$omega" "$run/omega.cgi"
    cat >"$work/omega/lighttpd.conf" <<CONF
server.modules = ("mod_cgi", "mod_setenv")
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$run"
server.pid-file = "$work/omega/lighttpd.pid"
server.errorlog = "$work/omega/error.log"
setenv.add-environment = ("OMEGA_CONFIG_FILE" => "$work/omega/omega.conf")
cgi.assign = (".cgi" => "")
CONF
    lighttpd -f "$work/omega/lighttpd.conf"
    trap 'kill "$(cat "$work/omega/lighttpd.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
    for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/omega.cgi?DB=peer&P=x" 2>/dev/null && break; sleep 0.1; done
    python3 -c '
import sys, urllib.parse
for l in open(sys.argv[1], encoding="utf-8"):
    l = l.strip()
    if l and not l.startswith("#"):
        print("/omega.cgi?DB=peer&DEFAULTOP=and&" + urllib.parse.urlencode({"P": l}))' "$queries" >"$work/omega/paths.txt"
    WRK_PATHS=$work/omega/paths.txt wrk -t1 -c"$wrk_conns" -d"${wrk_seconds}s" -s "$bench_d/wrk_paths.lua" \
      "http://127.0.0.1:$port" >"$work/omega/wrk.txt" 2>&1 || true
    awk '/^Requests\/sec/{print "omega_rps", $2} /^wrk_/{print "omega_" $0}' "$work/omega/wrk.txt" >>"$out"
    kill "$(cat "$work/omega/lighttpd.pid")" 2>/dev/null || true
    trap - EXIT
  fi
fi
kv latency_kind "per process (quest / Omega CGI)"
