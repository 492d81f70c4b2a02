#!/usr/bin/env python3
"""A/B of two searcher builds, each on its own index (e.g. before and after a schema
change), per query, in-process time as the CLI reports it (JSON elapsed_ms).

  ab_search.py --queries FILE [--rounds 5] [--args '--facets'] NAME=BINARY:DB NAME=BINARY:DB

Each round runs every query once per variant, the variants' order alternating from
query to query and round to round, so a machine whose speed drifts slows both alike.
Prints each variant's p50 and p99 over the queries of the per-query medians, and the
median and p90 of the per-query ratio of the second variant to the first.

Example (the ranking change, schema 4 against schema 5, facets on):
  ab_search.py --queries ../shared/bench/queries.txt --args '--facets' \\
      before=/tmp/base/warsearch-search:/tmp/idx-before after=build/searcher/warsearch-search:/tmp/idx-after"""
import argparse, collections, json, shlex, statistics, subprocess, sys


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


ap = argparse.ArgumentParser()
ap.add_argument("--queries", required=True)
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--args", default="--facets", help="search options (default: %(default)s)")
ap.add_argument("variants", nargs=2)
a = ap.parse_args()
variants = []
for v in a.variants:
    name, _, rest = v.partition("=")
    binary, _, db = rest.partition(":")
    if not (name and binary and db):
        sys.exit(f"ab_search: a variant is NAME=BINARY:DB, not {v!r}")
    variants.append((name, binary, db))
with open(a.queries, encoding="utf-8") as f:
    queries = [l.strip() for l in f if l.strip() and not l.startswith("#")]

times = collections.defaultdict(lambda: collections.defaultdict(list))
for r in range(a.rounds):
    for i, q in enumerate(queries):
        order = variants if (r + i) % 2 == 0 else variants[::-1]
        for name, binary, db in order:
            run = subprocess.run([binary, "--db", db, "--json", *shlex.split(a.args), "--", q],
                                 capture_output=True, text=True)
            if run.returncode not in (0, 4):
                sys.exit(f"ab_search: {name} failed on {q!r}: {run.stderr.strip()}")
            times[q][name].append(json.loads(run.stdout)["elapsed_ms"])

first, second = variants[0][0], variants[1][0]
med = {name: [statistics.median(times[q][name]) for q in queries] for name, _, _ in variants}
ratios = [b / a for a, b in zip(med[first], med[second]) if a > 0]
for name, _, _ in variants:
    print(f"{name:>10}: p50 {percentile(med[name], 50):.2f} ms  p99 {percentile(med[name], 99):.2f} ms"
          f"  ({len(queries)} queries, medians of {a.rounds} rounds)")
print(f"{second}/{first} per query: median {statistics.median(ratios):.2f}, p90 {percentile(ratios, 90):.2f}")
print(f"p50 ratio {percentile(med[second], 50) / percentile(med[first], 50):.2f}, "
      f"p99 ratio {percentile(med[second], 99) / percentile(med[first], 99):.2f}")
