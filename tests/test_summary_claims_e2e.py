"""Every summary the session's builds hold, read back from their PDFs and the results they are made
from (issue 28): no zone is on both sides of one subject, and no heading stands over a count of 0.
The sample build's provincial summary (Zhejiang) and the four-zone build's two provincial summaries
and national summary. Reads the shared session builds (e2e), builds nothing of its own."""
import json
from pathlib import Path

import pytest
import yaml

from nzc_report.findings.judge import related_key
from nzc_report.resources import TEMPLATES_DIR
from nzc_report.results_model import subject_atoms

from pdftools import pdftotext

pytestmark = pytest.mark.e2e
LABELS = yaml.safe_load((TEMPLATES_DIR / "messages" / "zh.yaml").read_text(encoding="utf-8"))[
    "synthesis"]["categories"]


def _year_dirs(sample_build, four_zone_build) -> list[Path]:
    _, out = four_zone_build
    return [sample_build.year_dir, *sorted(p for p in out.iterdir() if p.is_dir() and p.name.isdigit())]


def _summaries(sample_build, four_zone_build) -> list[Path]:
    """Every summary folder of both builds: provinces/<code>, and national where the build has one."""
    found = []
    for year_dir in _year_dirs(sample_build, four_zone_build):
        found += sorted((year_dir / "provinces").iterdir())
        if (year_dir / "national" / "results.json").exists():
            found.append(year_dir / "national")
    return found


def _year_dir(folder: Path) -> Path:
    return folder.parent.parent if folder.parent.name == "provinces" else folder.parent


def _zone(folder: Path, zone_id: str) -> dict:
    return json.loads((_year_dir(folder) / "zones" / zone_id / "results.json").read_text(encoding="utf-8"))


def test_every_summary_of_the_session_builds_is_read(sample_build, four_zone_build):
    names = [f"{_year_dir(f).parent.name}/{f.name}" for f in _summaries(sample_build, four_zone_build)]
    # Zhejiang of the sample; Guangdong, Zhejiang and the nation of the four-zone build
    assert len(names) == 4 and sum(n.endswith("/national") for n in names) == 1, names


def test_no_zone_is_on_both_sides_of_one_subject(sample_build, four_zone_build):
    for folder in _summaries(sample_build, four_zone_build):
        s = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        praised: dict[str, set[str]] = {}
        faulted: dict[str, set[str]] = {}
        for kind, into in (("highlights", praised), ("problems", faulted)):
            for g in s[kind]:
                for zid in g["zone_ids"]:
                    for f in _zone(folder, zid)[kind]:
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


def test_no_heading_stands_over_a_count_of_zero(sample_build, four_zone_build):
    for folder in _summaries(sample_build, four_zone_build):
        s = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        text = pdftotext(folder / "summary.pdf").replace("\n", "")
        assert "涉及0个" not in text and "0个示范区" not in text, folder.name
        for cat, group in s["problems_by_category"].items():
            label = LABELS.get(cat)
            if label is None:
                continue
            assert (label in text) == bool(group["zones"]), (folder.name, cat, group["zones"])
        # nor 需重点关注的示范区 over no zone to watch (review8: Beijing's one-zone summary)
        assert ("需重点关注的示范区" in text) == bool(s["focus"]["zones"]), folder.name


def test_the_annex_reads_whole_headers_and_the_national_ranks(sample_build, four_zone_build):
    # read as PNGs (sum6): the annex's headers broke "综合得\n分" and "（总体 / 同\n类）", and a provincial
    # annex gave other ranks than the national one (its provisional peers in other provinces counted)
    for folder in _summaries(sample_build, four_zone_build):
        lines = pdftotext(folder / "summary.pdf").splitlines()
        annex = lines[max(i for i, line in enumerate(lines) if "各示范区评估结果" in line):]
        assert "综合得分" in annex and "（总体/同类）" in annex, folder.name
    for year_dir in _year_dirs(sample_build, four_zone_build):
        if not (year_dir / "national" / "results.json").exists():
            continue

        def ranks(folder: Path) -> dict:
            s = json.loads((folder / "results.json").read_text(encoding="utf-8"))
            return {z["zone_id"]: (z["rank_overall"], z["rank_overall_of"], z["rank_within_type"],
                                   z["rank_within_type_of"]) for z in s["zones"]}
        national = ranks(year_dir / "national")
        for folder in sorted((year_dir / "provinces").iterdir()):
            own = ranks(folder)
            assert own == {z: national[z] for z in own}, folder.name
