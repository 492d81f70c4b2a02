#!/usr/bin/env python3
"""Unit tests of the labelled-set scorer (labelled_sets.py) and a check that the committed
labels are well-formed and name only sampled stories.  No corpus or binary is needed:
the catalog is a small fictional one written to a temporary directory, the extractor's
output is given as documents.

Run: python3 tests/accuracy/test_labelled_sets.py
"""
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import labelled_sets as L  # noqa: E402

PLACES = [
    {"id": "xa", "name": "Arcadia", "type": "country", "parent": None, "aliases": ["Arcady"]},
    {"id": "xa/north", "name": "Northern", "type": "admin1", "parent": "xa", "aliases": []},
    {"id": "xa/north/port", "name": "Portville", "type": "city", "parent": "xa/north", "aliases": ["Port Ville"]},
    {"id": "xb", "name": "Borduria", "type": "country", "parent": None, "aliases": []},
    {"id": "xb/port", "name": "Portville", "type": "town", "parent": "xb", "aliases": []},
]
FACTIONS = [
    {"id": "rebels", "name": "Arcadian rebels", "kind": "umbrella", "parent": None, "aliases": []},
    {"id": "front", "name": "Liberation Front", "kind": "insurgent", "parent": "rebels", "aliases": ["LF"]},
    {"id": "front-north", "name": "Northern Brigade", "kind": "insurgent", "parent": "front", "aliases": []},
    {"id": "army", "name": "Arcadian Army", "kind": "state forces", "parent": None, "aliases": []},
    {"id": "alliance", "name": "Grand Alliance", "kind": "international coalition", "parent": None,
     "aliases": ["GA"]},
]


def loc(i, name, typ, *mentions):
    return {"id": i, "name": name, "type": typ, "mentions": list(mentions) or [name]}


def fac(i, name, *mentions):
    return {"id": i, "name": name, "mentions": list(mentions) or [name]}


def place(name, typ, country, **kw):
    return dict({"name": name, "type": typ, "country": country, "dateline": False, "main": False}, **kw)


class ScorerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        for stem, rows in (("places", PLACES), ("factions", FACTIONS)):
            with open(os.path.join(cls.tmp.name, f"{stem}.jsonl"), "w") as f:
                for r in rows:
                    f.write(json.dumps(r) + "\n")
        cls.catalog = L.Catalog(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def score(self, rec, doc, known=None):
        rec = dict({"id": "s1", "places": [], "factions": [], "organisations": []}, **rec)
        return L.Scorer(self.catalog, known).score("s1", rec, doc).figures()

    def test_norm_folds_case_accents_apostrophes_punctuation(self):
        self.assertEqual(L.norm("Dar'a"), L.norm("DARA"))
        self.assertEqual(L.norm("Bogotá"), "bogota")
        self.assertEqual(L.norm("U.S."), "u s")
        self.assertEqual(L.norm("  Gulf  of\nOman "), "gulf of oman")

    def test_place_matches_by_alias_or_mention_and_country(self):
        f = self.score({"places": [place("Portville", "city", "xa", **{"as": ["Port Ville"]})]},
                       {"locations": [loc("xa/north/port", "Portville", "city", "PORT VILLE")]})
        self.assertEqual((f["places_found"], f["places_correct"], f["false_places"]), (1, 1, 0))

    def test_same_name_in_another_country_is_a_false_place_and_a_miss(self):
        f = self.score({"places": [place("Portville", "city", "xa")]},
                       {"locations": [loc("xb/port", "Portville", "town")]})
        self.assertEqual((f["places_found"], f["false_places"]), (0, 1))
        self.assertEqual(f["place_precision"], 0.0)

    def test_label_without_country_agrees_with_any(self):
        f = self.score({"places": [place("Portville", "city", None)]},
                       {"locations": [loc("xb/port", "Portville", "town")]})
        self.assertEqual(f["places_found"], 1)

    def test_country_label_matches_same_code_under_another_name(self):
        f = self.score({"places": [place("Arcadian Republic", "country", "xa")]},
                       {"locations": [loc("xa", "Arcadia", "country", "Arcady")]})
        self.assertEqual((f["places_found"], f["false_places"]), (1, 0))

    def test_team_sense_is_neither_right_nor_wrong(self):
        f = self.score({"places": [place("Arcadia", "country", "xa", sense="team")]},
                       {"locations": [loc("xa", "Arcadia", "country")]})
        self.assertEqual((f["places_labelled"], f["places_correct"], f["false_places"], f["team_places_ignored"]),
                         (0, 0, 0, 1))

    def test_unlabelled_place_counts_per_100_stories_and_per_type(self):
        f = self.score({}, {"locations": [loc("xa/north", "Northern", "admin1")]})
        self.assertEqual(f["false_places_per_100"], 100.0)
        self.assertEqual(f["places_by_type"]["region"]["false"], 1)

    def test_recall_on_catalog_known_labels(self):
        known = {"portville": {"xa"}, "atlantis": set()}
        f = self.score({"places": [place("Portville", "city", "xa"), place("Atlantis", "city", "xa")]},
                       {"locations": []}, known)
        self.assertEqual((f["places_labelled"], f["places_known"], f["place_recall_known"]), (2, 1, 0.0))

    def test_main_and_dateline_places_have_their_own_recall(self):
        f = self.score({"places": [place("Portville", "city", "xa", dateline=True),
                                   place("Arcadia", "country", "xa", main=True)]},
                       {"locations": [loc("xa", "Arcadia", "country")]})
        self.assertEqual((f["place_recall_main"], f["place_recall_dateline"]), (1.0, 0.0))

    def test_faction_umbrella_is_right_but_does_not_find_the_label(self):
        f = self.score({"factions": [{"name": "Liberation Front", "as": ["LF"]}]},
                       {"factions": [fac("rebels", "Arcadian rebels", "rebels")]})
        self.assertEqual((f["factions_correct"], f["factions_found"]), (1, 0))

    def test_faction_more_specific_finds_the_label(self):
        f = self.score({"factions": [{"name": "LF"}]},
                       {"factions": [fac("front-north", "Northern Brigade")]})
        self.assertEqual((f["factions_correct"], f["factions_found"]), (1, 1))

    def test_unrelated_faction_is_false(self):
        f = self.score({"factions": [{"name": "Liberation Front"}]},
                       {"factions": [fac("army", "Arcadian Army", "army")]})
        self.assertEqual((f["factions_correct"], f["factions_found"], f["faction_precision"]), (0, 0, 0.0))

    def test_faction_matching_a_labelled_organisation_is_neutral(self):
        f = self.score({"organisations": [{"name": "Grand Alliance", "as": ["GA"]}]},
                       {"factions": [fac("alliance", "Grand Alliance", "GA")]})
        self.assertEqual((f["factions_correct"], f["factions_matching_an_organisation"], f["faction_precision"]),
                         (0, 1, None))
        self.assertEqual(f["organisations_tagged_as_factions"], 1)

    def test_organisation_recall_is_zero_without_organisation_output(self):
        f = self.score({"organisations": [{"name": "Grand Alliance"}]}, {"factions": []})
        self.assertEqual((f["organisation_recall"], f["organisation_precision"]), (0.0, None))

    def test_organisation_output_is_scored_when_present(self):
        f = self.score({"organisations": [{"name": "Grand Alliance", "as": ["GA"]}]},
                       {"organisations": [{"id": "ga", "name": "Grand Alliance", "mentions": ["GA"]},
                                          {"id": "x", "name": "Other Body", "mentions": ["Other"]}]})
        self.assertEqual((f["organisation_recall"], f["organisation_precision"]), (1.0, 0.5))


class LabelFileTest(unittest.TestCase):
    def test_committed_labels_are_valid_and_sampled(self):
        sample = L.load_sample(os.path.join(HERE, "sample.jsonl"))
        labels = L.load_labels(os.path.join(HERE, "labels"), sample)
        self.assertGreater(len(labels), 0)
        by_corpus = {}
        for r in sample:
            by_corpus.setdefault(r["corpus"], []).append(r)
        for corpus, rows in by_corpus.items():
            held = sum(r["split"] == "heldout" for r in rows)
            self.assertEqual(held, round(len(rows) / 3), corpus)

    def test_bad_label_is_reported_with_file_and_line(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "reuters.jsonl"), "w") as f:
                f.write(json.dumps({"id": "reuters-1", "places": [{"name": "X", "type": "planet"}],
                                    "factions": [], "organisations": []}) + "\n")
            sample = [{"corpus": "reuters", "id": "reuters-1", "source": "x", "split": "dev"}]
            with self.assertRaisesRegex(L.LabelError, r"reuters.jsonl:1: place 'X': type"):
                L.load_labels(d, sample)

    def test_label_of_a_story_outside_the_sample_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "bbc.jsonl"), "w") as f:
                f.write(json.dumps({"id": "bbc/tech/001", "places": [], "factions": [],
                                    "organisations": []}) + "\n")
            with self.assertRaisesRegex(L.LabelError, "not a bbc story of the sample"):
                L.load_labels(d, [])


if __name__ == "__main__":
    unittest.main()
