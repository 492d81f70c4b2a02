#!/usr/bin/env python3
"""A/B of query_bench variants, per query, robust to a noisy machine.

  ab_queries.py --db DB --queries FILE [--rounds 6] [--iterations 5] VARIANT VARIANT...

A VARIANT is BINARY:CONFIG (e.g. build-release/query_bench:full_serial, or an older
build's query_bench copied aside).  Each round runs every variant in a process of its
own, in turn (the order rotates from round to round), and the table gives each query's
median over the rounds of query_bench's per-query medians, then their sum.

Why not one query_bench process with several --configs: within one process the
configurations of a query run one after the other and warm each other's caches, and the
facet threads of one configuration change the process for the others; and this VM's
speed drifts by ~1.5x within minutes, which a single run per variant cannot tell from a
change."""
import argparse, collections, statistics, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("--db", required=True)
ap.add_argument("--queries", required=True)
ap.add_argument("--rounds", type=int, default=6)
ap.add_argument("--iterations", type=int, default=5)
ap.add_argument("variants", nargs="+")
a = ap.parse_args()

times = collections.defaultdict(lambda: collections.defaultdict(list))  # query -> variant -> ms
order = []
for r in range(a.rounds):
    shift = r % len(a.variants)
    for v in a.variants[shift:] + a.variants[:shift]:
        binary, _, config = v.rpartition(":")
        if not binary:
            sys.exit(f"ab_queries: a variant is BINARY:CONFIG, not {v!r}")
        run = subprocess.run([binary, "--db", a.db, "--queries", a.queries, "--iterations", str(a.iterations),
                              "--configs", config, "--per-query"], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"ab_queries: {v} failed: {run.stderr.strip()}")
        for line in run.stderr.splitlines():
            parts = line.split("\t")
            if len(parts) == 3:
                times[parts[2]][v].append(float(parts[1]))
                if parts[2] not in order:
                    order.append(parts[2])

width = max(12, *(len(v) for v in a.variants))
print(" ".join(f"{v:>{width}}" for v in a.variants), " query")
sums = collections.defaultdict(float)
for q in order:
    meds = [statistics.median(times[q][v]) if times[q][v] else 0.0 for v in a.variants]
    for v, m in zip(a.variants, meds):
        sums[v] += m
    print(" ".join(f"{m:>{width}.3f}" for m in meds), " ", q)
print(" ".join(f"{sums[v]:>{width}.3f}" for v in a.variants), "  sum of the medians (ms)")
