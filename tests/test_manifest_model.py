"""manifest.json read through one typed model (batch/manifest.py): entries, outputs, planned
outputs and stamps as types, statuses as BuildStatus; a word nzc-report does not write is no status."""
import json

from nzc_report.batch.manifest import (JOURNAL, BuildStatus, Entry, Manifest, Output, Planned, Stamp, append_entry,
                                       write_manifest)

OUT = {"path": "zones/a/results.json", "sha256": "0" * 64, "bytes": 10, "mtime_ns": 5}
PDF = {"path": "zones/a/report.pdf", "sha256": "1" * 64, "bytes": 20, "mtime_ns": 6}


def test_a_zone_entry_is_typed_and_splits_into_its_notebook_and_its_report():
    e = Entry.of({"status": "built", "key": "k1", "report_status": "failed", "report_key": "k2", "reason": None,
                  "outputs": [OUT, PDF], "inputs": {"x": "y"}, "key_parts": {"data": "d"}, "name": "甲镇"})
    assert e is not None and e.status is BuildStatus.BUILT and e.built and e.report_status is BuildStatus.FAILED
    assert e.outputs == (Output(**OUT), Output(**PDF)) and e.inputs == {"x": "y"} and e.key_parts == {"data": "d"}
    notebook, report = e.parts()
    assert (notebook.key, notebook.status, [o.path for o in notebook.outputs]) == ("k1", "built", [OUT["path"]])
    assert (report.key, report.status, [o.path for o in report.outputs]) == ("k2", "failed", [PDF["path"]])


def test_a_status_word_nzc_report_does_not_write_is_not_built():
    e = Entry.of({"status": "done", "outputs": []})
    assert e is not None and e.status is None and not e.built
    assert Entry.of({}) is None and Entry.of(None) is None and Entry.of(["not", "an", "entry"]) is None


def test_the_manifest_with_its_journal_is_read_as_the_model(tmp_path):
    write_manifest(tmp_path, {"year": 2024, "zones": {"a": {"status": "built", "key": "k", "outputs": [OUT]}},
                              "summaries": {"national": {"status": "built", "kind": "national", "outputs": []}},
                              "planned": {"zone:b": {"paths": ["zones/b/"], "began": "2026-12-07T13:00:00+00:00"}},
                              "up_to_date": [{"stamp": "s1", "zones": ["a"], "summaries": ["national"]}, "junk"]})
    append_entry(tmp_path, "zones", "b", {"status": "failed", "reason": "kernel died", "outputs": []})
    m = Manifest.read(tmp_path)
    assert (tmp_path / JOURNAL).exists() and m.year == 2024
    assert m.entry("zones", "b") == Entry(BuildStatus.FAILED, reason="kernel died")
    assert set(m.entries("zones")) == {"a", "b"} and m.entry("zones", "zz") is None
    assert m.entries("summaries")["national"].kind == "national"
    assert m.planned == {"zone:b": Planned(("zones/b/",), "2026-12-07T13:00:00+00:00")}
    assert m.stamps == [Stamp("s1", ("a",), ("national",))]


def test_status_words_are_written_as_the_contracts_words(tmp_path):
    write_manifest(tmp_path, {"zones": {"a": {"status": BuildStatus.UP_TO_DATE, "outputs": []}}})
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["zones"]["a"]["status"] == "up_to_date"
    assert [str(s) for s in BuildStatus] == ["built", "up_to_date", "failed", "not_yet_approved"]  # the closing table's order
