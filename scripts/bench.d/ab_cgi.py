#!/usr/bin/env python3
"""A/B of CGI programs, one process per request, interleaved: for each round and each
query, every program answers the query in turn (the order rotates by round), so a VM
whose speed drifts within minutes slows them alike.  Prints each program's mean and p50
in ms and its ratio to the first; with --per-query, then each query's median per program,
the largest difference between the first two programs first.

  ab_cgi.py --queries FILE [--rounds N] [--param q] [--param-of NAME=P] [--kv PREFIX] [--per-query] \\
      'NAME=PROGRAM [ENV=VALUE ...] [?extra=query&string]' ...

Example (ours against Omega, on the benchmark's index):
  ab_cgi.py --queries build-bench/queries/neutral.txt \\
    'ours=build-release/searcher/warsearch.cgi WARSEARCH_DB=build-bench/synth-100k/db-p2-b1000' \\
    'omega=/usr/lib/cgi-bin/omega/omega OMEGA_CONFIG_FILE=build-bench/synth-100k/peer-xapian/omega/omega.conf ?DB=peer&DEFAULTOP=and' \\
    --param-of omega=P"""
import argparse, os, statistics, subprocess, time, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("--queries", required=True)
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--param", default="q", help="the query's parameter name (default q)")
ap.add_argument("--param-of", action="append", default=[], help="NAME=PARAM for one program")
ap.add_argument("--per-query", action="store_true", help="also each query's medians, largest difference first")
ap.add_argument("--kv", metavar="PREFIX", help='print "PREFIX<name>_mean MS" and _p50 lines instead of the table')
ap.add_argument("programs", nargs="+")
a = ap.parse_args()

queries = [l.strip() for l in open(a.queries, encoding="utf-8") if l.strip() and not l.startswith("#")]
param_of = dict(kv.split("=", 1) for kv in a.param_of)
progs = []
for spec in a.programs:
    name, rest = spec.split("=", 1)
    words = rest.split()
    env = dict(os.environ, REQUEST_METHOD="GET", GATEWAY_INTERFACE="CGI/1.1", SERVER_NAME="127.0.0.1",
               SERVER_PORT="80", SCRIPT_NAME="/search", SERVER_PROTOCOL="HTTP/1.1", REMOTE_ADDR="127.0.0.1")
    extra = ""
    for w in words[1:]:
        if w.startswith("?"):
            extra = w[1:]
        else:
            k, v = w.split("=", 1)
            env[k] = v
    progs.append((name, words[0], env, extra, param_of.get(name, a.param)))

samples = {p[0]: [] for p in progs}
per_query = {p[0]: {} for p in progs}  # name -> query -> ms
for r in range(a.rounds + 1):  # round 0 warms the page cache
    for qi, q in enumerate(queries):
        k = (r + qi) % len(progs)
        for name, prog, env, extra, param in progs[k:] + progs[:k]:
            qs = urllib.parse.urlencode({param: q})
            e = dict(env, QUERY_STRING=(extra + "&" + qs) if extra else qs)
            t0 = time.perf_counter()
            subprocess.run([prog], env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r > 0:
                ms = (time.perf_counter() - t0) * 1000
                samples[name].append(ms)
                per_query[name].setdefault(q, []).append(ms)

first = statistics.mean(samples[progs[0][0]])
if a.kv is not None:
    for name, *_ in progs:
        print(f"{a.kv}{name}_mean {statistics.mean(samples[name]):.3f}\n{a.kv}{name}_p50 {statistics.median(samples[name]):.3f}")
    raise SystemExit(0)
for name, *_ in progs:
    s = samples[name]
    print(f"{name:12s} mean {statistics.mean(s):6.3f} ms  p50 {statistics.median(s):6.3f} ms  "
          f"÷ {progs[0][0]} {statistics.mean(s) / first:5.2f}  ({len(s)} requests)")
if a.per_query and len(progs) >= 2:
    names = [p[0] for p in progs]
    rows = []
    for q in queries:
        medians = [statistics.median(per_query[n][q]) for n in names]
        rows.append((medians[0] - medians[1], q, medians))
    rows.sort(reverse=True)
    print(f"{names[0]} - {names[1]} ms, then each program's median: " + ", ".join(names))
    for diff, q, medians in rows:
        print(f"{diff:+6.2f}  " + "  ".join(f"{m:6.2f}" for m in medians) + f"  {q}")
