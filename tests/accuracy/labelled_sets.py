"""Scores warsearch-index --extract against the hand-labelled sample (tests/accuracy).

Used by scripts/measure-accuracy --labels.  The sample (sample.jsonl) names stories of the
shared corpus by id; labels/<corpus>.jsonl give, per story, the places, armed actors
(factions) and organisations the text names (README.md is the labelling guide).  This
module extracts the sampled stories with the real indexer, matches what it found with the
labels and reports precision/recall per corpus and split.

Matching (README.md, "Scoring"):
  place         an extracted place matches a label when its name, one of its catalog
                aliases or one of the spellings it was matched on normalises to the
                label's name or one of the label's "as" spellings, and the countries
                agree (a label without a country agrees with any).
  faction       a label resolves to the catalog factions whose name or alias normalises
                to the label's name/"as"; an extracted faction is right when it is one
                of them or an ancestor (umbrella) of one; a label is found when one of
                its factions or a descendant was extracted.  An extracted faction that
                matches a labelled organisation (NATO, the Russian Ministry of Defence)
                is neither right nor wrong.
  organisation  matched by name like places, from the document's "organisations" (none
                today: recall 0 measures the gap).
"""
import collections
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
CORPORA = ["reuters", "bbc", "muc", "ukraine", "fakes", "mideast"]
GENERAL_NEWS = ("reuters", "bbc")
PLACE_TYPES = ["country", "region", "city", "district", "landmark", "natural", "world-region"]
# Catalog place types -> the label types they are reported under (precision per type).
CATALOG_TYPE = {"country": "country", "admin1": "region", "region": "region", "admin2": "district",
                "admin3": "district", "neighbourhood": "district", "city": "city", "town": "city",
                "village": "city", "landmark": "landmark"}
SENSES = ("place", "team")


class LabelError(Exception):
    pass


def norm(s):
    """Case, accents, apostrophes and punctuation folded, as the catalog checker does."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"['\u2019\u02bc`\u00b4]", "", s)
    s = re.sub(r"[^\w]+", " ", s)
    return " ".join(s.split())


def load_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise LabelError(f"{path}:{n}: {e}")
    return out


# --- the sample and the labels ---------------------------------------------------------

def load_sample(path):
    rows = load_jsonl(path)
    for n, r in enumerate(rows, 1):
        if r.get("corpus") not in CORPORA or r.get("split") not in ("dev", "heldout") or not r.get("id"):
            raise LabelError(f"{path}:{n}: bad sample row {r}")
    return rows


def check_label(path, n, rec):
    where = f"{path}:{n}"
    if not isinstance(rec.get("id"), str):
        raise LabelError(f"{where}: no id")
    for key in ("places", "factions", "organisations"):
        if not isinstance(rec.get(key), list):
            raise LabelError(f"{where}: '{key}' must be a list")
        for e in rec[key]:
            if not isinstance(e, dict) or not isinstance(e.get("name"), str) or not e["name"].strip():
                raise LabelError(f"{where}: {key} entry without a name: {e}")
            if not isinstance(e.get("as", []), list):
                raise LabelError(f"{where}: '{e['name']}': 'as' must be a list")
    for p in rec["places"]:
        if p.get("type") not in PLACE_TYPES:
            raise LabelError(f"{where}: place '{p['name']}': type must be one of {PLACE_TYPES}")
        c = p.get("country")
        if c is not None and not re.fullmatch(r"[a-z]{2}", c):
            raise LabelError(f"{where}: place '{p['name']}': country must be an ISO2 code or null")
        if p.get("sense", "place") not in SENSES:
            raise LabelError(f"{where}: place '{p['name']}': sense must be one of {SENSES}")


def load_labels(directory, sample):
    """id -> label record; every labelled id must be in the sample under its corpus."""
    by_id = {r["id"]: r for r in sample}
    labels = {}
    for corpus in CORPORA:
        path = os.path.join(directory, f"{corpus}.jsonl")
        if not os.path.exists(path):
            continue
        for n, rec in enumerate(load_jsonl(path), 1):
            check_label(path, n, rec)
            row = by_id.get(rec["id"])
            if row is None or row["corpus"] != corpus:
                raise LabelError(f"{path}:{n}: id {rec['id']} is not a {corpus} story of the sample")
            if rec["id"] in labels:
                raise LabelError(f"{path}:{n}: id {rec['id']} labelled twice")
            labels[rec["id"]] = rec
    return labels


# --- extraction ------------------------------------------------------------------------

def mideast_jsonl(corpus, rows, out_path):
    """20 Newsgroups posts -> JSONL {id, title: Subject, body: text after the headers}."""
    wanted = {}
    for r in rows:
        archive, member = r["source"].split(":", 1)
        wanted.setdefault(archive, {})[member] = r["id"]
    with open(out_path, "w", encoding="utf-8") as out:
        for archive, members in wanted.items():
            with tarfile.open(os.path.join(corpus, archive)) as tar:
                for member, story_id in members.items():
                    raw = tar.extractfile(member).read().decode("latin-1")
                    head, _, body = raw.partition("\n\n")
                    m = re.search(r"^Subject:[ \t]*(.*)$", head, re.M)
                    out.write(json.dumps({"id": story_id, "title": m.group(1).strip() if m else "",
                                          "body": body}) + "\n")


def run_extract(binary, catalogs, fmt, paths):
    cmd = [binary, "--extract", "--no-split", "--quiet", "--catalogs", catalogs, "--format", fmt] + paths
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode not in (0, 4):
        raise LabelError(f"{' '.join(cmd[:8])} ... failed ({run.returncode}): {run.stderr.strip()[:500]}")
    return [json.loads(l) for l in run.stdout.splitlines() if l.strip()]


def extract(binary, catalogs, corpus, rows):
    """Sampled story id -> the indexer's --extract document for it."""
    docs = {}
    by_corpus = collections.defaultdict(list)
    for r in rows:
        by_corpus[r["corpus"]].append(r)
    for name, rs in by_corpus.items():
        ids = {r["id"] for r in rs}
        if name == "bbc":  # ids hash the absolute path: look the files up by path instead
            paths = {os.path.normpath(os.path.join(corpus, r["source"])): r["id"] for r in rs}
            for d in run_extract(binary, catalogs, "text", sorted(paths)):
                docs[paths[os.path.normpath(d["file"])]] = d
            continue
        if name == "mideast":
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "mideast.jsonl")
                mideast_jsonl(corpus, rs, path)
                found = run_extract(binary, catalogs, "jsonl", [path])
        else:
            fmt = {"reuters": "reuters", "muc": "muc", "ukraine": "json", "fakes": "jsonl"}[name]
            found = run_extract(binary, catalogs, fmt, sorted({os.path.join(corpus, r["source"]) for r in rs}))
        for d in found:
            if d["id"] in ids:
                docs[d["id"]] = d
    missing = [r["id"] for r in rows if r["id"] not in docs]
    if missing:
        raise LabelError(f"the indexer did not return {len(missing)} sampled stories, e.g. {missing[:5]}")
    return docs


def dump(docs, rows, out):
    """The sampled stories' text as the indexer reads it (for labelling; no entities)."""
    for r in rows:
        d = docs[r["id"]]
        out.write(f"=== {r['id']} [{r['corpus']} {r['split']}]\n")
        out.write(f"TITLE: {d.get('title', '')}\n")
        if d.get("dateline"):
            out.write(f"DATELINE: {d['dateline']}\n")
        out.write(d.get("body", "").strip() + "\n\n")
