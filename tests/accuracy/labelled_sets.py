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
                agree (a label without a country agrees with any); a country label also
                matches the extracted country of the same ISO code (West Germany,
                Holland and Britain are spelt many ways).
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
                    try:
                        raw = tar.extractfile(member).read().decode("latin-1")
                    except (KeyError, AttributeError):
                        raise LabelError(f"{archive}: no post {member} (sample {story_id})")
                    head, _, body = raw.partition("\n\n")
                    m = re.search(r"^Subject:[ \t]*(.*)$", head, re.M)
                    out.write(json.dumps({"id": story_id, "title": m.group(1).strip() if m else "",
                                          "body": body}) + "\n")


def run_extract(binary, catalogs, fmt, paths):
    cmd = [binary, "--extract", "--no-split", "--quiet", "--catalogs", catalogs, "--format", fmt] + paths
    try:
        run = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise LabelError(f"cannot run {binary}: {e.strerror} (give --bin BUILD/indexer/warsearch-index)")
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
                try:
                    mideast_jsonl(corpus, rs, path)
                except (OSError, tarfile.TarError) as e:
                    raise LabelError(f"cannot read the 20 Newsgroups archive: {e}")
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


# --- the catalogs ----------------------------------------------------------------------

class Catalog:
    """Names, aliases and parents of the curated (and imported) catalog entries, and
    which label names the catalog knows (through warsearch-catalog lookup, which also
    sees the iso-codes base layer)."""

    def __init__(self, directory):
        self.places, self.factions, self.organisations = {}, {}, {}
        for table, stem in ((self.places, "places"), (self.factions, "factions"),
                            (self.organisations, "organisations")):
            for path in sorted(glob_jsonl(directory, stem)):
                for e in load_jsonl(path):
                    table.setdefault(e["id"], e)
        self.faction_index = collections.defaultdict(set)  # normalised name -> faction ids
        for i, f in self.factions.items():
            for n in [f["name"]] + f.get("aliases", []):
                self.faction_index[norm(n)].add(i)

    def entry_names(self, table, entry_id):
        e = table.get(entry_id)
        return {norm(n) for n in ([e["name"]] + e.get("aliases", []))} if e else set()

    def ancestors(self, table, entry_id):
        out, i = [], table.get(entry_id, {}).get("parent")
        while i and i in table and i not in out:
            out.append(i)
            i = table[i].get("parent")
        return out

    def faction_ids(self, names):
        ids = set()
        for n in names:
            ids |= self.faction_index.get(n, set())
        return ids


def glob_jsonl(directory, stem):
    import glob
    return glob.glob(os.path.join(directory, f"{stem}.jsonl")) + \
        glob.glob(os.path.join(directory, f"{stem}-*.jsonl"))


def known_place_names(lookup_bin, catalogs, names):
    """Normalised name -> set of countries of the catalog places it resolves to (one
    warsearch-catalog lookup call for all names); None when the binary is missing."""
    if not lookup_bin or not os.path.exists(lookup_bin):
        return None
    out = {}
    names = sorted(set(names))
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        run = subprocess.run([lookup_bin, "lookup", "--json", "--catalogs", catalogs] + chunk,
                             capture_output=True, text=True)
        if run.returncode not in (0, 4):
            raise LabelError(f"{lookup_bin} lookup failed ({run.returncode}): {run.stderr.strip()[:300]}")
        dec, text, pos = json.JSONDecoder(), run.stdout, 0
        while pos < len(text):
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos >= len(text):
                break
            obj, pos = dec.raw_decode(text, pos)
            countries = {m["id"].split("/")[0] for m in obj.get("matches", []) if m.get("class") == "place"}
            out[norm(obj["query"])] = countries
    return out


# --- matching --------------------------------------------------------------------------

def label_names(entry):
    return {norm(entry["name"])} | {norm(a) for a in entry.get("as", [])}


def place_country(place_id):
    return place_id.split("/")[0]


def countries_agree(label, place_id):
    return label.get("country") is None or label["country"] == place_country(place_id)


class Tally:
    """Counts for one group of stories (a corpus and split, or a union of them)."""

    def __init__(self):
        self.stories = 0
        self.place = collections.Counter()      # labelled, found, known, known_found, extracted, correct, false, team
        self.place_by_type = collections.defaultdict(collections.Counter)
        self.faction = collections.Counter()    # labelled, found, known, extracted, correct, false, org
        self.org = collections.Counter()        # labelled, found, extracted, correct, as_faction
        self.has_org_output = False

    def add(self, other):
        self.stories += other.stories
        self.place.update(other.place)
        for t, c in other.place_by_type.items():
            self.place_by_type[t].update(c)
        self.faction.update(other.faction)
        self.org.update(other.org)
        self.has_org_output |= other.has_org_output

    def figures(self):
        def ratio(a, b):
            return round(a / b, 3) if b else None
        p, f, o = self.place, self.faction, self.org
        return {
            "stories": self.stories,
            "places_labelled": p["labelled"], "places_found": p["found"],
            "place_recall": ratio(p["found"], p["labelled"]),
            "places_known": p["known"], "place_recall_known": ratio(p["known_found"], p["known"]),
            "places_main": p["main"], "place_recall_main": ratio(p["main_found"], p["main"]),
            "places_dateline": p["dateline"], "place_recall_dateline": ratio(p["dateline_found"], p["dateline"]),
            "places_extracted": p["extracted"], "places_correct": p["correct"],
            "main_place_tags": p["main_tags"], "main_place_share": ratio(p["main_tags"], p["correct"] + p["false"]),
            "dateline_not_main_tags": p["dateline_only_tags"],
            "place_precision": ratio(p["correct"], p["correct"] + p["false"]),
            "false_places": p["false"], "false_places_per_100": ratio(100 * p["false"], self.stories),
            "team_places_ignored": p["team"],
            "places_by_type": {t: {"labelled": c["labelled"], "found": c["found"],
                                   "recall": ratio(c["found"], c["labelled"]),
                                   "correct": c["correct"], "false": c["false"],
                                   "precision": ratio(c["correct"], c["correct"] + c["false"])}
                               for t, c in sorted(self.place_by_type.items())},
            "factions_labelled": f["labelled"], "factions_found": f["found"],
            "faction_recall": ratio(f["found"], f["labelled"]),
            "factions_known": f["known"], "faction_recall_known": ratio(f["known_found"], f["known"]),
            "factions_extracted": f["extracted"], "factions_correct": f["correct"],
            "faction_precision": ratio(f["correct"], f["correct"] + f["false"]),
            "factions_matching_an_organisation": f["org"],
            "organisations_labelled": o["labelled"], "organisations_found": o["found"],
            "organisation_recall": ratio(o["found"], o["labelled"]),
            "organisation_precision": ratio(o["correct"], o["extracted"]) if self.has_org_output else None,
            "organisations_tagged_as_factions": o["as_faction"],
        }


class Scorer:
    def __init__(self, catalog, known_places):
        self.catalog = catalog
        self.known = known_places  # normalised name -> countries, or None
        self.false_places = collections.Counter()
        self.missed_places = collections.Counter()
        self.false_factions = collections.Counter()
        self.missed_factions = collections.Counter()
        self.missed_orgs = collections.Counter()
        self.examples = collections.defaultdict(list)

    def _note(self, counter, key, story_id):
        counter[key] += 1
        if len(self.examples[key]) < 3:
            self.examples[key].append(story_id)

    def place_known(self, label):
        if self.known is None:
            return None
        for n in label_names(label):
            countries = self.known.get(n, set())
            if countries and (label.get("country") is None or label["country"] in countries):
                return True
        return False

    def score(self, story_id, rec, doc):
        t = Tally()
        t.stories = 1
        self._places(story_id, rec, doc, t)
        self._factions(story_id, rec, doc, t)
        self._organisations(story_id, rec, doc, t)
        return t

    def _places(self, story_id, rec, doc, t):
        labels = rec["places"]
        names = [label_names(l) for l in labels]
        found = [False] * len(labels)
        for loc in doc.get("locations", []):
            loc_names = {norm(loc["name"])} | {norm(m) for m in loc.get("mentions", [])} | \
                self.catalog.entry_names(self.catalog.places, loc["id"])
            hits = [k for k, l in enumerate(labels)
                    if (names[k] & loc_names and countries_agree(l, loc["id"]))
                    or (l["type"] == "country" and loc.get("type") == "country" and l.get("country") == loc["id"])]
            place_hits = [k for k in hits if labels[k].get("sense", "place") == "place"]
            t.place["extracted"] += 1
            if place_hits:
                for k in place_hits:
                    found[k] = True
                t.place["correct"] += 1
                t.place_by_type[labels[place_hits[0]]["type"]]["correct"] += 1
                # A tag of a place the story is about, or only of its dateline's place (a
                # place it is filed from, not about: the tag the dateline rule removes).
                t.place["main_tags"] += any(labels[k].get("main") for k in place_hits)
                t.place["dateline_only_tags"] += all(labels[k].get("dateline") and not labels[k].get("main")
                                                     for k in place_hits)
            elif hits:
                t.place["team"] += 1
            else:
                t.place["false"] += 1
                t.place_by_type[CATALOG_TYPE.get(loc.get("type"), "region")]["false"] += 1
                mention = (loc.get("mentions") or [loc["name"]])[0]
                self._note(self.false_places, f"{loc['name']} ({loc['id']}) <- \"{' '.join(mention.split())}\"",
                           story_id)
        for k, l in enumerate(labels):
            if l.get("sense", "place") != "place":
                continue
            known = self.place_known(l)
            t.place["labelled"] += 1
            t.place_by_type[l["type"]]["labelled"] += 1
            t.place["known"] += bool(known)
            t.place["main"] += bool(l.get("main"))
            t.place["dateline"] += bool(l.get("dateline"))
            if found[k]:
                t.place["found"] += 1
                t.place["main_found"] += bool(l.get("main"))
                t.place["dateline_found"] += bool(l.get("dateline"))
                t.place_by_type[l["type"]]["found"] += 1
                t.place["known_found"] += bool(known)
            else:
                tag = "" if known is None else (" [in catalog]" if known else " [not in catalog]")
                self._note(self.missed_places, f"{l['name']} ({l['type']}, {l.get('country') or '-'}){tag}",
                           story_id)

    def _factions(self, story_id, rec, doc, t):
        cat = self.catalog
        labels = rec["factions"]
        resolved = [cat.faction_ids(label_names(l)) for l in labels]
        org_names = set().union(*[label_names(o) for o in rec["organisations"]]) if rec["organisations"] else set()
        found = [False] * len(labels)
        for fac in doc.get("factions", []):
            fid = fac["id"]
            mentions = {norm(m) for m in fac.get("mentions", [])}
            fac_names = {norm(fac["name"])} | mentions | cat.entry_names(cat.factions, fid)
            up = set(cat.ancestors(cat.factions, fid))
            right = False
            for k, l in enumerate(labels):
                ids = resolved[k]
                # the labelled actor itself, a more specific one (recall), or an umbrella of it (precision)
                same_or_below = fid in ids or bool(up & ids)
                umbrella = any(fid in cat.ancestors(cat.factions, r) for r in ids)
                unknown_here = fid not in cat.factions and bool(label_names(l) & fac_names)
                if same_or_below or unknown_here:
                    found[k] = True
                if same_or_below or umbrella or unknown_here:
                    right = True
            t.faction["extracted"] += 1
            if right:
                t.faction["correct"] += 1
            elif fac_names & org_names:
                t.faction["org"] += 1
            else:
                t.faction["false"] += 1
                mention = (fac.get("mentions") or [fac["name"]])[0]
                self._note(self.false_factions, f"{fac['name']} ({fid}) <- \"{' '.join(mention.split())}\"", story_id)
        for k, l in enumerate(labels):
            t.faction["labelled"] += 1
            t.faction["known"] += bool(resolved[k])
            if found[k]:
                t.faction["found"] += 1
                t.faction["known_found"] += bool(resolved[k])
            else:
                tag = " [in catalog]" if resolved[k] else " [not in catalog]"
                self._note(self.missed_factions, f"{l['name']}{tag}", story_id)

    def _organisations(self, story_id, rec, doc, t):
        cat = self.catalog
        labels = rec["organisations"]
        names = [label_names(o) for o in labels]
        found = [False] * len(labels)
        if "organisations" in doc:
            t.has_org_output = True
        for org in doc.get("organisations", []):
            org_names = {norm(org["name"])} | {norm(m) for m in org.get("mentions", [])} | \
                cat.entry_names(cat.organisations, org.get("id"))
            hits = [k for k in range(len(labels)) if names[k] & org_names]
            t.org["extracted"] += 1
            t.org["correct"] += bool(hits)
            for k in hits:
                found[k] = True
        fac_names = set()
        for fac in doc.get("factions", []):
            fac_names |= {norm(fac["name"])} | {norm(m) for m in fac.get("mentions", [])}
        for k, l in enumerate(labels):
            t.org["labelled"] += 1
            t.org["found"] += found[k]
            t.org["as_faction"] += bool(names[k] & fac_names)
            if not found[k]:
                self._note(self.missed_orgs, l["name"], story_id)

    def top(self, counter, n):
        return [{"what": k, "count": c, "stories": self.examples[k]} for k, c in counter.most_common(n)]


# --- the report ------------------------------------------------------------------------

def group_rows(tallies, split):
    """(corpus, split) tallies -> ordered report rows [(corpus, split, Tally)]."""
    splits = ["dev", "heldout"] if split is None else [split]
    rows = []
    for group in CORPORA + ["general news", "war reporting", "all"]:
        members = {"general news": GENERAL_NEWS, "all": CORPORA,
                   "war reporting": [c for c in CORPORA if c not in GENERAL_NEWS]}.get(group, [group])
        for s in splits:
            t = Tally()
            for c in members:
                for ss in (["dev", "heldout"] if s == "all" else [s]):
                    if (c, ss) in tallies:
                        t.add(tallies[(c, ss)])
            if t.stories:
                rows.append((group, s, t))
    return rows


def fmt(x, digits=3):
    return "  -  " if x is None else (f"{x:.{digits}f}" if isinstance(x, float) else str(x))


def print_report(rows, scorer, misses, out):
    out.write("Places: P = extracted places that are labelled places / all extracted (sports teams not\n"
              "counted), R = labelled places found, R(cat) = recall on labels the catalog knows,\n"
              "FP/100 = false places per 100 stories. Factions: P counts umbrellas of a labelled actor\n"
              "as right. Organisations: P = extracted organisations that are labelled ones, R = recall.\n\n")
    out.write(f"{'corpus':<14}{'split':<8}{'stories':>7} | {'places':>6} {'P':>6} {'R':>6} {'R(cat)':>6} "
              f"{'FP/100':>7} | {'factions':>8} {'P':>6} {'R':>6} {'R(cat)':>6} | {'orgs':>5} {'P':>6} {'R':>6}\n")
    for group, split, t in rows:
        f = t.figures()
        out.write(f"{group:<14}{split:<8}{f['stories']:>7} | {f['places_labelled']:>6} {fmt(f['place_precision']):>6} "
                  f"{fmt(f['place_recall']):>6} {fmt(f['place_recall_known']):>6} "
                  f"{fmt(f['false_places_per_100'], 1):>7} | {f['factions_labelled']:>8} "
                  f"{fmt(f['faction_precision']):>6} {fmt(f['faction_recall']):>6} "
                  f"{fmt(f['faction_recall_known']):>6} | {f['organisations_labelled']:>5} "
                  f"{fmt(f['organisation_precision']):>6} {fmt(f['organisation_recall']):>6}\n")
    for group, split, t in rows:
        if group != "all":
            continue
        f = t.figures()
        out.write(f"\nplaces ({split}): recall on main places {fmt(f['place_recall_main'])} ({f['places_main']}), "
                  f"on dateline places {fmt(f['place_recall_dateline'])} ({f['places_dateline']})\n")
        out.write(f"places ({split}): tags of main places {f['main_place_tags']} "
                  f"({fmt(f['main_place_share'])} of the tags), tags of a dateline place that is not main "
                  f"{f['dateline_not_main_tags']}\n")
        out.write(f"places by type ({split}): labelled found recall | correct false precision\n")
        for typ, c in t.figures()["places_by_type"].items():
            out.write(f"  {typ:<13} {c['labelled']:>5} {c['found']:>5} {fmt(c['recall']):>6} | "
                      f"{c['correct']:>5} {c['false']:>5} {fmt(c['precision']):>6}\n")
    if misses:
        for title, counter in (("false places", scorer.false_places), ("missed places", scorer.missed_places),
                               ("false factions", scorer.false_factions),
                               ("missed factions", scorer.missed_factions),
                               ("missed organisations", scorer.missed_orgs)):
            out.write(f"\n{title} (most frequent {misses}; count, example stories):\n")
            for e in scorer.top(counter, misses):
                out.write(f"  {e['count']:>4}  {e['what']}   {' '.join(e['stories'])}\n")


def run(binary, catalogs, corpus, sample_path, labels_dir, split=None, only=None, misses=0,
        as_json=False, dump_text=False, out=sys.stdout):
    """Entry point of scripts/measure-accuracy --labels; returns an exit status."""
    if not os.path.isdir(corpus):
        sys.stderr.write(f"measure-accuracy: {corpus} not found; skipping (set WARSEARCH_SHARED_CORPUS)\n")
        return 77
    try:
        full = load_sample(sample_path)
        labels = load_labels(labels_dir, full)
        sample = full
        if only:
            unknown = set(only) - set(CORPORA)
            if unknown:
                raise LabelError(f"unknown corpus {sorted(unknown)}; one of {CORPORA}")
            sample = [r for r in sample if r["corpus"] in only]
        if split in ("dev", "heldout"):
            sample = [r for r in sample if r["split"] == split]
        if dump_text:
            dump(extract(binary, catalogs, corpus, sample), sample, out)
            return 0
        rows_in = [r for r in sample if r["id"] in labels]
        docs = extract(binary, catalogs, corpus, rows_in)
        catalog = Catalog(catalogs)
        names = set()
        for r in rows_in:
            for p in labels[r["id"]]["places"]:
                names |= {p["name"]} | set(p.get("as", []))
        lookup = os.path.join(os.path.dirname(os.path.abspath(binary)), "warsearch-catalog")
        scorer = Scorer(catalog, known_place_names(lookup, catalogs, names))
        tallies = {}
        for r in rows_in:
            tallies.setdefault((r["corpus"], r["split"]), Tally()).add(scorer.score(r["id"], labels[r["id"]], docs[r["id"]]))
    except LabelError as e:
        sys.stderr.write(f"measure-accuracy: {e}\n")
        return 1
    rows = group_rows(tallies, split)
    unlabelled = len(sample) - len(rows_in)
    if as_json:
        json.dump({"stories_labelled": len(rows_in), "stories_unlabelled": unlabelled,
                   "groups": [{"corpus": g, "split": s, **t.figures()} for g, s, t in rows],
                   "false_places": scorer.top(scorer.false_places, misses or 20),
                   "missed_places": scorer.top(scorer.missed_places, misses or 20),
                   "false_factions": scorer.top(scorer.false_factions, misses or 20),
                   "missed_factions": scorer.top(scorer.missed_factions, misses or 20),
                   "missed_organisations": scorer.top(scorer.missed_orgs, misses or 20)}, out, indent=2)
        out.write("\n")
    else:
        if unlabelled:
            out.write(f"({unlabelled} sampled stories have no labels yet and are left out)\n")
        print_report(rows, scorer, misses, out)
    return 0
