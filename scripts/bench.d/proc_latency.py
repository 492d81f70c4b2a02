#!/usr/bin/env python3
"""Per-process latency: runs one process per query (start-up included), N rounds over the
query list, and prints PREFIX_p50/p95/p99/mean in ms as "key value" lines.

  proc_latency.py --queries FILE --iterations N --prefix cli [--env K=V ...]
                  [--cgi-param q] [--cgi-extra 'DB=x'] [--pass-env] -- CMD ARGS... ({q} = the query)

With --cgi-param the query goes into QUERY_STRING (REQUEST_METHOD=GET) instead of {q}.
The timer is Python's perf_counter around subprocess.run (fork+exec+wait), the same for
every engine measured this way."""
import argparse, os, statistics, subprocess, sys, time, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("--queries", required=True)
ap.add_argument("--iterations", type=int, default=3)
ap.add_argument("--prefix", required=True)
ap.add_argument("--env", action="append", default=[])
ap.add_argument("--cgi-param")
ap.add_argument("--cgi-extra", default="")
ap.add_argument("cmd", nargs=argparse.REMAINDER)
a = ap.parse_args()
cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
queries = [l.strip() for l in open(a.queries, encoding="utf-8") if l.strip() and not l.startswith("#")]
env = dict(os.environ)
for kv in a.env:
    k, v = kv.split("=", 1)
    env[k] = v
samples, failures = [], 0
for it in range(a.iterations + 1):  # round 0 warms the page cache
    for q in queries:
        if a.cgi_param:
            e = dict(env)
            qs = urllib.parse.urlencode({a.cgi_param: q})
            if a.cgi_extra:
                qs = a.cgi_extra + "&" + qs
            e.update(REQUEST_METHOD="GET", QUERY_STRING=qs, GATEWAY_INTERFACE="CGI/1.1",
                     SERVER_NAME="127.0.0.1", SERVER_PORT="80", SCRIPT_NAME="/search",
                     SERVER_PROTOCOL="HTTP/1.1", REMOTE_ADDR="127.0.0.1")
            argv = cmd
        else:
            e = env
            argv = [x.replace("{q}", q) for x in cmd]
        t0 = time.perf_counter()
        r = subprocess.run(argv, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ms = (time.perf_counter() - t0) * 1000
        if r.returncode != 0:
            failures += 1
        if it > 0:
            samples.append(ms)
samples.sort()
def pct(p):
    k = p / 100 * (len(samples) - 1)
    lo = int(k); hi = min(lo + 1, len(samples) - 1)
    return samples[lo] * (1 - (k - lo)) + samples[hi] * (k - lo)
p = a.prefix
print(f"{p}_p50 {pct(50):.3f}\n{p}_p95 {pct(95):.3f}\n{p}_p99 {pct(99):.3f}\n"
      f"{p}_mean {statistics.mean(samples):.3f}\n{p}_samples {len(samples)}\n{p}_failures {failures}")
