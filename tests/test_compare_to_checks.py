"""--compare-to is checked before any task runs (issue 27, item 7): the CLI's main() in this
process; the first refusal as a real process, as a user runs it (exit 2, no traceback)."""
import json
import subprocess
from pathlib import Path

import pytest

from clirun import in_process, process

TINY = Path(__file__).parent / "data" / "tiny"  # its latest year is 2019


def build(tmp_path: Path, compare_to: Path, run=in_process, lang: str = "en") -> subprocess.CompletedProcess:
    return run("build", "--lang", lang, "--data", TINY, "--out", tmp_path / "out", "--compare-to", compare_to,
               cwd=tmp_path)


def published(root: Path, year: int, manifest: object, results: str | None = None) -> Path:
    folder = root / str(year)
    (folder / "zones" / "alpha").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if results is not None:
        (folder / "zones" / "alpha" / "results.json").write_text(results, encoding="utf-8")
    return folder


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_compare_to_the_folder_being_built_is_refused_and_nothing_is_written(tmp_path):
    target = published(tmp_path / "out", 2019, {"year": 2019, "zones": {}}, '{"zone_id": "alpha", "year": 2019}')
    before = snapshot(tmp_path / "out")
    proc = build(tmp_path, target, run=process)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "the folder being built" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(tmp_path / "out") == before  # no summary of 0 zones over the good ones


@pytest.mark.parametrize("results, named", [("{not json", "not a readable results.json"),
                                            ("[]", "not a results.json"),
                                            ('{"zone_id": "alpha", "year": 2017}', "for 2017"),
                                            ('{"zone_id": "alpha", "year": 2018}', "lacks or misreads")])
def test_a_broken_published_file_refuses_the_build_naming_it(tmp_path, results, named):
    prev = published(tmp_path / "prev", 2018, {"year": 2018, "zones": {}}, results)
    proc = build(tmp_path, prev)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert str(prev / "zones" / "alpha" / "results.json") in proc.stderr and named in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("manifest, named", [({"year": 2017, "zones": {}}, "not of 2018"),
                                             ({"year": 2018, "zones": [], "planned": {}}, "not an object"),
                                             ({"year": 2018, "zones": {}, "planned": {"ranking": {"paths": []}}},
                                              "did not finish")])
def test_compare_to_must_be_a_finished_build_of_the_year_before(tmp_path, manifest, named):
    prev = published(tmp_path / "prev", 2018, manifest)
    proc = build(tmp_path, prev)
    assert proc.returncode == 2 and named in proc.stderr, proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists()


def test_the_refusals_speak_the_users_language(tmp_path):
    """The messages are the catalogue's (cli_messages.yaml), Chinese by default, not English only."""
    prev = published(tmp_path / "prev", 2018, {"year": 2017, "zones": {}})
    proc = build(tmp_path, prev, lang="zh")
    assert proc.returncode == 2 and "这是2017年的构建，不是2018年" in proc.stderr, proc.stdout + proc.stderr
    prev2 = published(tmp_path / "prev2", 2018, {"year": 2018, "zones": {}}, "[]")
    proc = build(tmp_path, prev2, lang="zh")
    assert proc.returncode == 2 and "不是 results.json（是 JSON list）" in proc.stderr, proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists()
