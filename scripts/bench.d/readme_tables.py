#!/usr/bin/env python3
"""Copies the tables of a bench report (bench-results.md, from report.py) into the
README's Performance section: everything from "### Real corpus" up to the paragraph
after the targets table is replaced by the report's corpus sections and its targets,
their headings one level down.  The prose around them is left to the person running it.

  readme_tables.py --report bench-results.md --readme README.md
"""
import argparse, re

ap = argparse.ArgumentParser()
ap.add_argument("--report", required=True)
ap.add_argument("--readme", required=True)
a = ap.parse_args()

report = open(a.report, encoding="utf-8").read().splitlines()
start = next(i for i, l in enumerate(report) if l.startswith("## real:") or l.startswith("## synth"))
end = next(i for i, l in enumerate(report) if l.startswith("## Commands"))
names = {"real": "Real corpus", "synth-100k": "Synthetic, 100k", "synth-1m": "Synthetic, 1M"}
tables = []
for line in report[start:end]:
    m = re.match(r"## ([\w-]+): (.*)", line)
    if m and m.group(1) in names:
        line = f"### {names[m.group(1)]}: {m.group(2)}"
    elif line.startswith("## "):
        line = "#" + line
    tables.append(line)
while tables and not tables[-1].strip():
    tables.pop()

readme = open(a.readme, encoding="utf-8").read().splitlines()
first = next(i for i, l in enumerate(readme) if l.startswith("### Real corpus"))
targets = next(i for i, l in enumerate(readme) if i > first and l.startswith("### Targets"))
# the targets table ends at the first blank line after its rows
last = next(i for i in range(targets + 1, len(readme)) if readme[i].startswith("|"))
while last < len(readme) and readme[last].startswith("|"):
    last += 1
readme[first:last] = tables
open(a.readme, "w", encoding="utf-8").write("\n".join(readme) + "\n")
