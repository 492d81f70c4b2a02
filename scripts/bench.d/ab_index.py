#!/usr/bin/env python3
"""A/B of indexer binaries: each round runs every binary once on the same documents into a
fresh database (the order alternates by round), so a VM whose speed drifts within minutes
slows them alike.  Prints each binary's median wall and CPU (user + system) time and the
median over rounds of its ratio to the first binary's run of the same round.

  ab_index.py --docs FILE [--rounds N] [--args '...'] PROGRAM [PROGRAM ...]

Example (a change against the binary before it, on 5,000 documents of the 100k corpus):
  head -5000 build-bench/synth-100k/docs.jsonl >/tmp/5k.jsonl
  cp build-release/indexer/warsearch-index /tmp/before   # then rebuild with the change
  scripts/bench.d/ab_index.py --docs /tmp/5k.jsonl --rounds 8 /tmp/before build-release/indexer/warsearch-index"""
import argparse, resource, shlex, shutil, statistics, subprocess, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--docs", required=True, help="the documents every binary indexes")
ap.add_argument("--rounds", type=int, default=6)
ap.add_argument("--args", default="--parallel 2 --batch-size 1000", help="indexer options (default: %(default)s)")
ap.add_argument("programs", nargs="+")
a = ap.parse_args()

work = tempfile.mkdtemp(prefix="ab_index.")
runs = {p: [] for p in a.programs}
try:
    for r in range(a.rounds):
        for prog in a.programs if r % 2 == 0 else a.programs[::-1]:
            db = f"{work}/db"
            shutil.rmtree(db, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([prog, "-q", "--db", db, *shlex.split(a.args), a.docs], check=True)
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            runs[prog].append((wall, cpu))
finally:
    shutil.rmtree(work, ignore_errors=True)

first = runs[a.programs[0]]
for prog in a.programs:
    own = runs[prog]
    wall_ratio = statistics.median(w / f[0] for (w, _), f in zip(own, first))
    cpu_ratio = statistics.median(c / f[1] for (_, c), f in zip(own, first))
    print(f"{prog}: wall {statistics.median(w for w, _ in own):.2f} s, cpu {statistics.median(c for _, c in own):.2f} s, "
          f"÷ first: wall {wall_ratio:.3f}, cpu {cpu_ratio:.3f} ({len(own)} runs)")
