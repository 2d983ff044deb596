"""One dataset digest per build (issue 27, item 8): what each output cites of its data.

A zone report and its results.json cite the zone's own data digest (a zone report is not made
again when another zone's rows change: cli.md), a provincial summary its zones' data, the
national summary and the manifest the whole dataset's; verify says when one cites other data
than the build's dataset holds.
"""
import hashlib
import json
import pickle
import shutil
from pathlib import Path

import pytest

from nzc_report.batch.cited import cited_problems
from nzc_report.batch.cited import zones_digest as verify_zones_digest
from nzc_report.dataset import load_dataset
from nzc_report.dataset.digest import dataset_digest, zone_digest, zone_digests, zones_digest
from nzc_report.notebook.shipped import zone_slices
from nzc_report.yamlfile import speaking

TINY = Path(__file__).parent / "data" / "tiny"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_dataset_digest_is_what_sha256sum_prints():
    files = sorted(TINY.iterdir())
    listing = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in files)
    ds = load_dataset(TINY)
    # `sha256sum FILE... | sha256sum` over the files in name order, whatever order they were read in
    assert dataset_digest(ds.provenance()) == hashlib.sha256(listing.encode()).hexdigest()
    one = [{"file": "dataset.xlsx", "sha256": "ab" * 32}]
    assert dataset_digest(one) == "ab" * 32  # a workbook: `sha256sum dataset.xlsx`


def test_a_zone_digest_changes_with_its_own_rows_and_the_meta_table_only(tmp_path):
    before = load_dataset(TINY)
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    _edit(data / "emissions.csv", "beta,2019,", "beta,2019,")  # the same file: the same digests
    assert zone_digests(load_dataset(data)) == zone_digests(before)
    lines = (data / "emissions.csv").read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("beta,2019,"))
    lines[i] = lines[i].rsplit(",", 1)[0] + ",1234"
    (data / "emissions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = load_dataset(data)
    assert zone_digest(changed, "alpha") == zone_digest(before, "alpha")
    assert zone_digest(changed, "beta") != zone_digest(before, "beta")
    assert dataset_digest(changed.provenance()) != dataset_digest(before.provenance())
    _edit(data / "meta.csv", "2020-03-31", "2020-04-01")  # the report date: every zone's report shows it
    dated = load_dataset(data)
    assert zone_digest(dated, "alpha") != zone_digest(changed, "alpha")


def test_a_zone_slice_a_task_carries_has_the_digest_the_build_records():
    """The notebook computes the digest it cites from the rows it was sent; the build records
    the one of the whole dataset's rows: they must be the same."""
    ds = load_dataset(TINY)
    for zone_id, payload in zone_slices(ds, ds.zone_ids).items():
        assert zone_digest(pickle.loads(payload), zone_id) == zone_digests(ds)[zone_id]


def test_verify_computes_a_province_digest_as_the_build_does():
    digests = {"b": "1" * 64, "a": "2" * 64}
    assert verify_zones_digest(digests) == zones_digest(digests)
    assert zones_digest(digests) == hashlib.sha256(f"{'2' * 64}  a\n{'1' * 64}  b\n".encode()).hexdigest()


def _year_dir(tmp_path: Path, zone: dict[str, str], national: str, province: str) -> tuple[Path, dict]:
    """A build's folder: zones a, b (built from zone[z]), a provincial and the national summary."""
    year_dir = tmp_path / "2019"
    for z, digest in zone.items():
        (year_dir / "zones" / z).mkdir(parents=True)
        (year_dir / "zones" / z / "results.json").write_text(json.dumps({"dataset": {"zone_data_sha256": digest}}))
    for uid, cited in (("national", {"sha256": national}), ("provinces/440000", {"zones_data_sha256": province})):
        (year_dir / uid).mkdir(parents=True)
        (year_dir / uid / "results.json").write_text(json.dumps({"dataset": cited}))
    manifest = {"dataset_sha256": "d" * 64, "zone_data_sha256": {"a": "a" * 64, "b": "b" * 64},
                "zones": {z: {"status": "built", "data_sha256": d} for z, d in zone.items()},
                "summaries": {"national": {"status": "built", "kind": "national", "zones": ["a", "b"]},
                              "provinces/440000": {"status": "built", "kind": "province", "zones": ["a", "b"]}}}
    return year_dir, manifest


def test_verify_is_quiet_when_every_output_cites_the_build_s_dataset(tmp_path):
    province = zones_digest({"a": "a" * 64, "b": "b" * 64})
    year_dir, manifest = _year_dir(tmp_path, {"a": "a" * 64, "b": "b" * 64}, "d" * 64, province)
    assert cited_problems(year_dir, manifest) == []


def test_verify_names_outputs_of_data_other_than_the_build_s_dataset(tmp_path):
    """Zone a was built from data the dataset no longer holds (a build outside --zones), its
    results.json cites still other data, and both summaries cite an earlier dataset."""
    year_dir, manifest = _year_dir(tmp_path, {"a": "0" * 64, "b": "b" * 64}, "e" * 64, "f" * 64)
    _edit(year_dir / "zones" / "a" / "results.json", "0" * 64, "9" * 64)
    with speaking("en"):
        problems = cited_problems(year_dir, manifest)
    assert problems == [
        f"STALE {year_dir}/zones/a/: built from this zone's data {'0' * 12}, and the dataset of the last build "
        f"holds {'a' * 12} for it (outside --zones/--province?); build again",
        f"CITES {year_dir}/zones/a/results.json: zone data {'9' * 12}, but the build ran it on {'0' * 12}; "
        "build again with --force",
        f"STALE {year_dir}/national/: made from the dataset {'e' * 12}, and the last build's dataset holds "
        f"{'d' * 12}; build again (with its zones)",
        f"STALE {year_dir}/provinces/440000/: made from its zones' data {'f' * 12}, and the last build's dataset "
        f"holds {zones_digest({'a': 'a' * 64, 'b': 'b' * 64})[:12]}; build again (with its zones)"]
    assert cited_problems(year_dir, manifest)[2] == (  # Chinese unless English is asked for
        f"STALE {year_dir}/national/ 由数据集 {'e' * 12} 生成，而最近一次构建的数据集为 {'d' * 12}；请（连同其区域）重新构建")


def test_every_output_of_a_build_cites_the_data_it_was_built_from(sample_build):
    """The session's sample build: results.json, the report's appendix and PDF metadata."""
    pypdf = pytest.importorskip("pypdf")
    year_dir = sample_build.year_dir
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dataset_sha256"] == dataset_digest(manifest["inputs"])
    for z in sample_build.zones:
        digest = manifest["zone_data_sha256"][z]
        assert manifest["zones"][z]["data_sha256"] == digest
        results = json.loads((year_dir / "zones" / z / "results.json").read_text(encoding="utf-8"))
        assert results["dataset"]["zone_data_sha256"] == digest
        assert all(set(f) == {"file"} for f in results["dataset"]["files"])  # no file digest of the build's
        pdf = pypdf.PdfReader(year_dir / "zones" / z / "report.pdf")
        assert pdf.metadata["/nzczonedatasha256"] == digest
        appendix = "".join(pdf.pages[i].extract_text() for i in range(len(pdf.pages) - 2, len(pdf.pages)))
        assert digest in appendix.replace("\n", "")
    for uid, entry in manifest["summaries"].items():
        pdf = pypdf.PdfReader(year_dir / uid / "summary.pdf")
        cited = pdf.metadata["/nzcdatasetsha256"]
        if entry["kind"] == "national":
            assert cited == manifest["dataset_sha256"]
        else:
            assert cited == zones_digest({z: manifest["zone_data_sha256"][z] for z in entry["zones"]})
        assert cited in "".join(p.extract_text() for p in pdf.pages[-2:]).replace("\n", "")
