#!/usr/bin/env python3
"""Turns the "key value" results of scripts/bench into the markdown report."""
import argparse, os

ap = argparse.ArgumentParser()
ap.add_argument("--out-dir", required=True)
ap.add_argument("--machine", required=True)
ap.add_argument("--date", required=True)
ap.add_argument("--commands", default="")
ap.add_argument("--corpora", nargs="*", default=[])
ap.add_argument("--analysis")
a = ap.parse_args()

PEERS = [("xapian", "Xapian scriptindex / Omega"), ("sqlite", "SQLite FTS5"),
         ("postgres", "PostgreSQL 15 GIN"), ("sphinx", "Sphinx 2.2")]

def load(path):
    d = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            k, _, v = line.rstrip("\n").partition(" ")
            if k: d[k] = v
    return d

def num(d, k):
    try: return float(d[k])
    except (KeyError, ValueError): return None

def f(x, nd=1):
    if x is None: return "—"
    if abs(x) >= 100: return f"{x:,.0f}"
    return f"{x:.{nd}f}"

def ratio(x, y, nd=2):
    return "—" if x is None or y in (None, 0) else f"{x / y:.{nd}f}×"

lines = ["# warsearch benchmark", "",
         f"- date: {a.date}", open(a.machine).read().strip(),
         "- every engine in the same run, on the same documents (the `warsearch-index --extract` "
         "output of the corpus, see `scripts/bench.d/normalize.py`) and the same 55 queries "
         "(`../shared/bench/queries.txt`: words ANDed, \"phrases\"); the machine is shared, so "
         "expect ±20% between runs; these are measurements, not tests.", ""]
targets_src = None
for spec in a.corpora:
    name, _, label = spec.partition(":")
    rd = os.path.join(a.out_dir, name, "results")
    w = load(os.path.join(rd, "warsearch.kv"))
    peers = {k: load(os.path.join(rd, k + ".kv")) for k, _ in PEERS}
    text_mb = (num(w, "text_bytes") or 0) / 1e6
    ndocs = num(w, "docs") or num(w, "docs_in")
    lines += [f"## {label}: {int(ndocs or 0):,} documents, {text_mb:.1f} MB of text", ""]
    cols = [("warsearch", w)] + [(t, peers[k]) for k, t in PEERS]
    def row(title, fn):
        return "| " + title + " | " + " | ".join(fn(k, d) for k, d in cols) + " |"
    def skipped(d): return "skipped" in d or "failed" in d
    def cell(fn):
        return lambda k, d: ("skipped" if skipped(d) else fn(k, d))
    def dps(d):
        n, t = num(d, "docs") or ndocs, num(d, "index_wall_s")
        return n / t if n and t else None
    def mbps(d):
        t = num(d, "index_wall_s")
        return text_mb / t if t else None
    def p(d, which):
        if d is w: return num(w, f"qb_full_{which}_ms")
        if d is peers["xapian"] and which not in d:  # bare Xapian in-process on scriptindex's index
            return num(w, f"qb_bare_scriptindex_{which}_ms")
        return num(d, which)
    lines += ["| | " + " | ".join(t for t, _ in cols) + " |", "|---|" + "---|" * len(cols)]
    lines.append(row("documents indexed", cell(lambda k, d: f(num(d, "docs") or None, 0))))
    lines.append(row("index wall s", cell(lambda k, d: f(num(d, "index_wall_s"), 2))))
    lines.append(row("docs/s", cell(lambda k, d: f(dps(d), 0))))
    lines.append(row("MB/s (title+body text)", cell(lambda k, d: f(mbps(d), 2))))
    lines.append(row("peak RSS MiB", cell(lambda k, d: f((num(d, "index_rss_kb") or 0) / 1024 or None, 0))))
    lines.append(row("index size MiB", cell(lambda k, d: f((num(d, "size_bytes") or 0) / 2**20 or None, 1))))
    lines.append(row("compacted MiB (s)", cell(lambda k, d: "—" if num(d, "compact_bytes") is None else
                     f"{num(d, 'compact_bytes') / 2**20:.1f} ({f(num(d, 'compact_wall_s'), 2)} s)")))
    lines.append(row("query p50 / p95 / p99 ms", cell(lambda k, d: " / ".join(f(p(d, x), 2) for x in ("p50", "p95", "p99")))))
    lines.append(row("how queries were timed", cell(lambda k, d: "in-process C++, facets + snippets" if d is w else
                     ("in-process C++ bare Enquire+QueryParser (query_bench)" if d is peers["xapian"] else d.get("latency_kind", "—")))))
    lines.append(row("one process per query p50 ms", cell(lambda k, d: f(num(d, "cli_p50"), 2) + " (CLI)" if d is w
                     else (f(num(d, "quest_p50"), 2) + " (quest)" if "quest_p50" in d else "—"))))
    lines.append(row("CGI per request p50 / p99 ms", cell(lambda k, d: f"{f(num(d, 'cgi_p50'), 2)} / {f(num(d, 'cgi_p99'), 2)}" if d is w
                     else (f"{f(num(d, 'omega_cgi_p50'), 2)} / {f(num(d, 'omega_cgi_p99'), 2)} (Omega)" if "omega_cgi_p50" in d else "—"))))
    lines.append(row("requests/s under wrk (lighttpd)", cell(lambda k, d: f"{f(num(d, 'fastcgi_rps'), 0)} FastCGI, {f(num(d, 'cgi_rps'), 0)} CGI" if d is w
                     else (f(num(d, "omega_rps"), 0) + " (Omega CGI)" if "omega_rps" in d else "—"))))
    lines.append("")
    # ratios
    lines += ["Ratios (warsearch ÷ peer; throughput: higher is better, latency: lower is better):", "",
              "| | " + " | ".join(t for _, t in PEERS) + " |", "|---|" + "---|" * len(PEERS)]
    def rrow(title, fn):
        return "| " + title + " | " + " | ".join("skipped" if skipped(peers[k]) else fn(peers[k]) for k, _ in PEERS) + " |"
    lines.append(rrow("indexing docs/s", lambda d: ratio(dps(w), dps(d))))
    lines.append(rrow("index size (compacted where both are)", lambda d: ratio(num(w, "compact_bytes") or num(w, "size_bytes"),
                      num(d, "compact_bytes") or num(d, "size_bytes"))))
    lines.append(rrow("query p50", lambda d: ratio(p(w, "p50"), p(d, "p50"))))
    lines.append(rrow("query p99", lambda d: ratio(p(w, "p99"), p(d, "p99"))))
    lines.append(rrow("per process p50 (CLI ÷ quest)", lambda d: ratio(num(w, "cli_p50"), num(d, "quest_p50"))))
    lines.append(rrow("CGI per request p50", lambda d: ratio(num(w, "cgi_p50"), num(d, "omega_cgi_p50"))))
    if "cgi_ab_ours_p50" in w:
        lines.append(rrow("CGI per request p50, interleaved with Omega's", lambda d: ratio(num(w, "cgi_ab_ours_p50"), num(w, "cgi_ab_omega_p50")) if d is peers["xapian"] else "—"))
    lines.append(rrow("FastCGI requests/s", lambda d: ratio(num(w, "fastcgi_rps"), num(d, "omega_rps"), 1)))
    lines.append("")
    # our detail
    lines += ["warsearch in detail (in-process `query_bench`, ms p50 / p95 / p99 over the neutral list; "
              "\"extra\" = our entity filters and date ranges):", "",
              "| configuration | p50 | p95 | p99 | extra p50 / p99 |", "|---|---|---|---|---|"]
    for c, t in (("bare", "bare Xapian (Enquire + QueryParser, top 10 + data) on our index"),
                 ("bare_scriptindex", "bare Xapian on scriptindex's index"),
                 ("plain", "warsearch, no facets, no snippets"), ("snippets", "warsearch + snippets"),
                 ("full", "warsearch + facets + snippets (the library's default: facet values mapped from the indexer's file, heavy phrase counts on threads of their own while a core is idle)"),
                 ("full_serial", "warsearch + facets + snippets, mapped, every count on the searching thread (`WARSEARCH_FACET_THREADS=0`, the CLI's and a CGI request's default)"),
                 ("full_threads", "warsearch + facets + snippets, mapped, every count on two threads of their own (`WARSEARCH_FACET_THREADS=1`)"),
                 ("full_index", "warsearch + facets + snippets, facet values read from the index (no file: remote shards, older indexes)"),
                 ("served", "warsearch + facets + snippets, facet values in memory, heavy and large counts on threads while a core is idle (FastCGI without a file)")):
        if f"qb_{c}_p50_ms" not in w: continue
        ex = f"{f(num(w, f'qb_{c}_extra_p50_ms'), 2)} / {f(num(w, f'qb_{c}_extra_p99_ms'), 2)}" if f"qb_{c}_extra_p50_ms" in w and c not in ("bare", "bare_scriptindex") else "—"
        lines.append(f"| {t} | {f(num(w, f'qb_{c}_p50_ms'), 3)} | {f(num(w, f'qb_{c}_p95_ms'), 3)} | {f(num(w, f'qb_{c}_p99_ms'), 3)} | {ex} |")
    lines.append(f"| CLI `warsearch-search --json` per process | {f(num(w, 'cli_p50'), 2)} | {f(num(w, 'cli_p95'), 2)} | {f(num(w, 'cli_p99'), 2)} | |")
    lines.append(f"| CLI with `--facets` per process | {f(num(w, 'cli_facets_p50'), 2)} | {f(num(w, 'cli_facets_p95'), 2)} | {f(num(w, 'cli_facets_p99'), 2)} | |")
    lines.append(f"| `warsearch.cgi` per request (CGI env, process) | {f(num(w, 'cgi_p50'), 2)} | {f(num(w, 'cgi_p95'), 2)} | {f(num(w, 'cgi_p99'), 2)} | |")
    if "hyperfine_cli_aleppo_ms" in w:
        lines.append(f"| hyperfine `warsearch-search --json aleppo` median | {f(num(w, 'hyperfine_cli_aleppo_ms'), 2)} | | | |")
    if "export_csv_wall_s" in w:
        lines += ["", f"Export of every match: `warsearch-search --export csv --no-collapse --filter kind:article`, "
                  f"{w.get('export_csv_rows', '?')} rows in {f(num(w, 'export_csv_wall_s'), 2)} s, "
                  f"peak RSS {f((num(w, 'export_csv_rss_kb') or 0) / 1024, 0)} MiB."]
    sweep = sorted(k[len("index_"):-len("_wall_s")] for k in w if k.startswith("index_p") and k.endswith("_wall_s"))
    if sweep:
        lines += ["", "Indexing settings tried (`--parallel N --batch-size B`; best: "
                  f"`{w.get('best', '?')}`):", "", "| setting | wall s | docs/s | peak RSS MiB |", "|---|---|---|---|"]
        for s in sweep:
            t = num(w, f"index_{s}_wall_s")
            lines.append(f"| {s.replace('_', ' ')} | {f(t, 2)} | {f(ndocs / t if t and ndocs else None, 0)} | {f((num(w, f'index_{s}_rss_kb') or 0) / 1024, 0)} |")
    skipped_notes = [f"{t}: {peers[k].get('skipped') or peers[k].get('failed')}" for k, t in PEERS if skipped(peers[k])]
    if skipped_notes:
        lines += ["", "Skipped peers: " + "; ".join(skipped_notes)]
    lines.append("")
    targets_src = (label, w, peers, dps)

if targets_src:
    label, w, peers, dps = targets_src
    x, s = peers["xapian"], peers["sqlite"]
    def t(name, val, goal, ok):
        return f"| {name} | {val} | {goal} | {'—' if ok is None else ('met' if ok else '**missed**')} |"
    def cmp(v, op, lim):
        return None if v is None or lim is None else (v >= lim if op == ">=" else v <= lim)
    ri = None if not dps(w) or not dps(x) else dps(w) / dps(x)
    full50, bare50 = num(w, "qb_full_p50_ms"), num(w, "qb_bare_p50_ms")
    rb = None if full50 is None or not bare50 else full50 / bare50
    rs = None if full50 is None or not num(s, "p50") else full50 / num(s, "p50")
    p99 = num(w, "qb_full_p99_ms")
    rc = None if num(w, "cgi_p50") is None or not num(x, "omega_cgi_p50") else num(w, "cgi_p50") / num(x, "omega_cgi_p50")
    # interleaved request by request with Omega's, when measured: the fairer figure
    rci = None if num(w, "cgi_ab_ours_p50") is None or not num(w, "cgi_ab_omega_p50") else num(w, "cgi_ab_ours_p50") / num(w, "cgi_ab_omega_p50")
    rf = None if num(w, "fastcgi_rps") is None or not num(x, "omega_rps") else num(w, "fastcgi_rps") / num(x, "omega_rps")
    lines += [f"## Targets (measured on {label}, in this run)", "",
              "| target | measured | goal | |", "|---|---|---|---|",
              t("indexing throughput ÷ scriptindex's", f(ri, 2) + "×" if ri else "—", "≥ 7×", cmp(ri, ">=", 7)),
              t("query p50 (facets + snippets) ÷ bare Xapian in-process", f(rb, 2) + "×" if rb else "—", "≤ 1.3×", cmp(rb, "<=", 1.3)),
              t("query p50 (facets + snippets) ÷ SQLite FTS5's", f(rs, 2) + "×" if rs else "—", "≤ 0.5×", cmp(rs, "<=", 0.5)),
              t("query p99 (facets + snippets)", f(p99, 2) + " ms" if p99 is not None else "—", "≤ 5 ms", cmp(p99, "<=", 5)),
              t("CGI per request p50 ÷ Omega's" + (" (interleaved request by request; separate runs: " + (f(rc, 2) + "×" if rc else "—") + ")" if rci else ""),
                f(rci or rc, 2) + "×" if (rci or rc) else "—", "≤ 1×", cmp(rci or rc, "<=", 1)),
              t("FastCGI requests/s ÷ Omega CGI's", f(rf, 1) + "×" if rf else "—", "≥ 10×", cmp(rf, ">=", 10)), ""]
if a.commands:
    lines += ["## Commands", "", "```"] + a.commands.strip().splitlines() + [
        "# each peer: scripts/bench.d/{xapian_omega.sh,sqlite_fts5.py,postgres.sh,sphinx.sh} --docs DOCS --queries Q --work DIR --out KV",
        "# raw results: build-bench/<corpus>/results/*.kv, query_bench.jsonl, wrk-*.txt", "```", ""]
if a.analysis and os.path.exists(a.analysis):
    lines += [open(a.analysis, encoding="utf-8").read().rstrip(), ""]
print("\n".join(lines))
