"""The provincial summaries of the session's sample build, read back from their PDFs and the
results they are made from (issue 28): no zone is on both sides of one subject, and no heading
stands over a count of 0. Reads the shared session build (e2e), builds nothing of its own."""
import json

import pytest
import yaml

from nzc_report.findings.judge import related_key
from nzc_report.resources import TEMPLATES_DIR
from nzc_report.results_model import subject_atoms

from pdftools import pdftotext

pytestmark = pytest.mark.e2e
LABELS = yaml.safe_load((TEMPLATES_DIR / "messages" / "zh.yaml").read_text(encoding="utf-8"))[
    "synthesis"]["categories"]


def _summaries(sample_build):
    return sorted((sample_build.year_dir / "provinces").iterdir())


def _zone(sample_build, zone_id):
    return json.loads((sample_build.zone(zone_id) / "results.json").read_text(encoding="utf-8"))


def test_no_zone_is_on_both_sides_of_one_subject(sample_build):
    for folder in _summaries(sample_build):
        s = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        praised: dict[str, set[str]] = {}
        faulted: dict[str, set[str]] = {}
        for kind, into in (("highlights", praised), ("problems", faulted)):
            for g in s[kind]:
                for zid in g["zone_ids"]:
                    for f in _zone(sample_build, zid)[kind]:
                        if f.get("rule_id") == g["rule_id"] and f.get("claim"):
                            for atom in subject_atoms(f["claim"]["subject"]):
                                into.setdefault(related_key(atom), set()).add(zid)
        both = {subject: praised[subject] & faulted[subject] for subject in praised.keys() & faulted.keys()
                if praised[subject] & faulted[subject]}
        assert both == {}, folder.name
        # the per-subject counts: one judgement a zone and subject
        for subject, by in s["judgements"].items():
            zones = [z for ids in by.values() for z in ids]
            assert len(zones) == len(set(zones)), (folder.name, subject)


def test_no_heading_stands_over_a_count_of_zero(sample_build):
    for folder in _summaries(sample_build):
        s = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        text = pdftotext(folder / "summary.pdf").replace("\n", "")
        assert "涉及0个" not in text and "0个示范区" not in text, folder.name
        for cat, group in s["problems_by_category"].items():
            label = LABELS.get(cat)
            if label is None:
                continue
            assert (label in text) == bool(group["zones"]), (folder.name, cat, group["zones"])
