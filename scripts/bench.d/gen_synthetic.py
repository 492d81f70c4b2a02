#!/usr/bin/env python3
"""Synthetic corpus for the scale benchmark: N documents made by resampling real sentences
of a neutral JSONL corpus (normalize.py output).  Clearly synthetic: ids "synth-NNNNNNN",
source "synthetic".  Fixed seed, average body ~2 KB (uniform 1-3 KB), dates spread over
1987-2024.  Written under build-bench/ only; never commit it.

  gen_synthetic.py --input docs.jsonl --count 100000 --seed 20261124 --out synth.jsonl
"""
import argparse, json, random, re

ap = argparse.ArgumentParser()
ap.add_argument("--input", required=True)
ap.add_argument("--count", type=int, required=True)
ap.add_argument("--seed", type=int, default=20261124)
ap.add_argument("--avg-bytes", type=int, default=2048)
ap.add_argument("--out", required=True)
a = ap.parse_args()

split = re.compile(r"(?<=[.!?])\s+")
sentences, titles = [], []
with open(a.input, encoding="utf-8") as f:
    for line in f:
        d = json.loads(line)
        t = " ".join((d.get("title") or "").split())
        if 10 <= len(t) <= 200:
            titles.append(t)
        for s in split.split(d.get("body") or ""):
            s = " ".join(s.split())
            if 20 <= len(s) <= 600:
                sentences.append(s)
if not sentences:
    raise SystemExit("gen_synthetic: no sentences in " + a.input)
if not titles:
    titles = [s[:100] for s in sentences[:1000]]
rng = random.Random(a.seed)
lo, hi = a.avg_bytes // 2, a.avg_bytes * 3 // 2
with open(a.out, "w", encoding="utf-8") as out:
    for i in range(a.count):
        target = rng.randint(lo, hi)
        parts, size = [], 0
        while size < target:
            s = rng.choice(sentences)
            parts.append(s)
            size += len(s) + 1
        # paragraphs of ~4 sentences
        body = "\n\n".join(" ".join(parts[j:j + 4]) for j in range(0, len(parts), 4))
        y = rng.randint(1987, 2024)
        date = f"{y:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.write(json.dumps({"id": f"synth-{i:07d}", "title": rng.choice(titles), "body": body,
                              "date": date, "source": "synthetic"}, ensure_ascii=False) + "\n")
print(f"gen_synthetic: {a.count} documents from {len(sentences)} sentences -> {a.out}")
