"""Batch builds: parallel kernels, failure isolation, incremental rebuilds, manifest and verify.

These run the real build (real kernels, real PDFs) on small datasets made from
the tiny fixture.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from batchdata import bump_emissions, copies_of_tiny, copy_build
from nzc_report.batch import BuildOptions, build
from nzc_report.batch.manifest import JOURNAL, append_entry, read_manifest, verify, write_manifest
from nzc_report.batch.executor import EXECUTOR_ENV
from nzc_report.cli import main
from nzc_report.resources import PROJECT_ROOT
from nzc_report.yamlfile import speaking

pytestmark = pytest.mark.e2e
TESTS = Path(__file__).parent


def statuses(result) -> dict[str, str]:
    """id → status of the zones' notebooks, the summaries and the portal (zone reports: report_statuses)."""
    return {o.id: o.status for o in result.outcomes if o.kind != "zone_report"}


def report_statuses(result) -> dict[str, str]:
    return {o.id: o.status for o in result.outcomes if o.kind == "zone_report"}


@pytest.fixture(scope="module")
def parallel_build(four_zone_build, tmp_path_factory):
    """Four zones (a fixed count, whatever the machine): a copy of the session's four-zone build
    (conftest.py; on the in-process executor: kernels at --jobs 2 on Dask are test_summary_build's
    byte-identity build), and that build's outcome read back from its manifest."""
    data, out = copy_build(four_zone_build, tmp_path_factory.mktemp("parallel"))
    return data, out, read_manifest(out / "2019"), 4


def test_parallel_kernels_all_succeed(parallel_build):
    _, out, manifest, n = parallel_build
    zones, summaries = manifest["zones"], manifest["summaries"]
    assert [zones[f"z{i:02d}"]["status"] for i in range(1, n + 1)] == ["built"] * n
    assert [summaries[s]["status"] for s in ("provinces/440000", "provinces/330000", "national")] == ["built"] * 3
    assert {z: e["report_status"] for z, e in zones.items()} == {f"z{i:02d}": "built" for i in range(1, n + 1)}
    assert manifest["portal"]["portal"]["status"] == "built"
    for i in range(1, n + 1):
        assert (out / "2019" / "zones" / f"z{i:02d}" / "report.pdf").is_file()


def test_second_build_is_a_no_op(parallel_build):
    data, out, _, _ = parallel_build
    again = build(BuildOptions(data=data, out=out, jobs=2, year=2019))
    assert set(statuses(again).values()) == set(report_statuses(again).values()) == {"up_to_date"}
    assert len(report_statuses(again)) == 4


def test_one_changed_zone_rebuilds_only_it_its_province_and_the_nation(parallel_build):
    data, out, before, n = parallel_build
    bump_emissions(data, "z02")  # a Zhejiang zone, tied with z04 (both copies of beta) until now
    result = build(BuildOptions(data=data, out=out, jobs=2, year=2019))
    rebuilt = {k for k, v in statuses(result).items() if v == "built"}
    assert rebuilt == {"z02", "provinces/330000", "national", "portal"}  # the portal lists the zone
    # z02's report, and z04's: its first place among the parks is no longer shared
    assert {k for k, v in report_statuses(result).items() if v == "built"} == {"z02", "z04"}
    ranking = json.loads((out / "2019" / "ranking.json").read_text(encoding="utf-8"))["zones"]
    assert (ranking["z04"]["within_type"], ranking["z02"]["within_type"]) == (1, 2)
    assert not result.failed
    # issue 27 item 8: one dataset digest for the build (the manifest's, the national summary's);
    # each zone's results and report cite its own zone's data, so z01's and z03's, not made again,
    # still cite the data they were built from, and so does Guangdong's summary
    after = read_manifest(out / "2019")
    assert after["dataset_sha256"] != before["dataset_sha256"]
    assert {z for z in after["zone_data_sha256"] if after["zone_data_sha256"][z] != before["zone_data_sha256"][z]} \
        == {"z02"}
    for z, digest in after["zone_data_sha256"].items():
        results = json.loads((out / "2019" / "zones" / z / "results.json").read_text(encoding="utf-8"))
        assert results["dataset"]["zone_data_sha256"] == digest == after["zones"][z]["data_sha256"]
    national = json.loads((out / "2019" / "national" / "results.json").read_text(encoding="utf-8"))
    assert national["dataset"]["sha256"] == after["dataset_sha256"]
    assert verify(out) == ([], verify(out)[1])


def test_verify_catches_a_modified_pdf(parallel_build, capsys):
    _, out, _, _ = parallel_build
    assert main(["verify", "--out", str(out)]) == 0
    pdf = out / "2019" / "zones" / "z01" / "report.pdf"
    original = pdf.read_bytes()
    try:
        pdf.write_bytes(original + b"%tampered\n")
        assert main(["verify", "--out", str(out)]) == 1
        assert f"CHANGED {pdf}" in capsys.readouterr().out
    finally:
        pdf.write_bytes(original)


def test_manifest_records_inputs_params_versions_outputs_and_timings(parallel_build):
    _, out, _, _ = parallel_build
    m = json.loads((out / "2019" / "manifest.json").read_text(encoding="utf-8"))
    assert {i["file"] for i in m["inputs"]} >= {"zones.csv", "emissions.csv"}
    assert all(len(i["sha256"]) == 64 for i in m["inputs"])
    assert m["versions"]["weasyprint"] and m["versions"]["nzc-report"]
    z = m["zones"]["z01"]
    assert z["parameters"]["zone_id"] == "z01" and len(z["key"]) == 64 and z["seconds"] > 0
    assert {o["path"] for o in z["outputs"]} >= {"zones/z01/report.pdf", "zones/z01/results.json",
                                                 "zones/z01/assessment.ipynb"}
    # the report: its own key, its rank among the towns (z01, z03: tied), WeasyPrint's warnings (none)
    assert len(z["report_key"]) == 64 and z["report_key"] != z["key"] and z["report_status"] == "built"
    assert z["rank"] == {"within_type": 1, "within_type_of": 2, "tied": True} and z["warnings"] == []
    assert all(s["warnings"] == [] for s in m["summaries"].values())
    assert "total_seconds" in m["timings"]
    # the zones' reports and the summaries run in one round: each kind's span in it, and the round's
    assert {"zones_seconds", "ranking_seconds", "reports_seconds", "summaries_seconds",
            "reports_and_summaries_seconds", "portal_seconds"} <= set(m["timings"])


def test_a_broken_zone_does_not_stop_the_others(tmp_path, capsys):
    # four zones; 'late' (in Guangdong, with z01 and z03; z02 in Zhejiang) has no data up to the assessment
    # year, so its notebook raises
    data = copies_of_tiny(tmp_path / "data", 3, late_zone="late")
    out = tmp_path / "out"
    # --lang en: the closing table in English, as this test reads it (Chinese by default)
    code = main(["build", "--data", str(data), "--out", str(out), "--year", "2019", "--jobs", "2", "--lang", "en"])
    assert code == 1
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert "late" in printed and "failed" in printed and "no emissions data up to 2019" in printed
    assert "late report" not in printed  # a zone whose notebook failed gets no report task
    year_dir = out / "2019"
    assert sorted(p.parent.name for p in year_dir.glob("zones/*/report.pdf")) == ["z01", "z02", "z03"]
    # the failed zone's working paper is written, with the error in it
    nb = (year_dir / "zones" / "late" / "assessment.ipynb").read_text(encoding="utf-8")
    assert "no emissions data up to 2019" in nb
    # the summaries are built from the zones that succeeded and name the missing one
    province = json.loads((year_dir / "provinces" / "440000" / "results.json").read_text(encoding="utf-8"))
    assert province["zones_built"] == 2 and province["zones_total"] == 3
    assert [m["zone_id"] for m in province["missing"]] == ["late"]
    national = json.loads((year_dir / "national" / "results.json").read_text(encoding="utf-8"))
    assert [m["zone_id"] for m in national["missing"]] == ["late"]
    from pdftools import pdftotext
    assert "迟建区（测试）" in pdftotext(year_dir / "national" / "summary.pdf")


def test_dead_kernel_is_retried_once_and_timeout_is_reported(tmp_path, tiny_dir):
    out = tmp_path / "out"
    # the timeout holds for the summaries' notebooks too: at 3 s a cell of the national summary ran past it on a
    # loaded 2-core machine (load 10) and the summary failed; beta's cell sleeps 60 s, well past 8
    result = build(BuildOptions(data=tiny_dir, out=out, jobs=2, year=2019, timeout=8,
                                zone_notebook=TESTS / "data" / "notebooks" / "misbehaving.ipynb"))
    by_id = {o.id: o for o in result.outcomes}
    assert by_id["alpha"].status == "failed" and by_id["alpha"].attempts == 2 and by_id["alpha"].failure == "kernel"
    assert "DeadKernelError" in by_id["alpha"].reason or "died" in by_id["alpha"].reason
    assert by_id["beta"].status == "failed" and by_id["beta"].attempts == 1 and by_id["beta"].failure == "timeout"
    assert "timeout" in by_id["beta"].reason
    nb = (out / "2019" / "zones" / "beta" / "assessment.ipynb").read_text(encoding="utf-8")
    assert "nzc-error-banner" in nb
    # with every zone failed, the summaries still build and list them all as missing
    national = json.loads((out / "2019" / "national" / "results.json").read_text(encoding="utf-8"))
    assert national["zones_built"] == 0 and len(national["missing"]) == 2
    assert result.exit_code == 1


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (workers, warm templates, kernels in their own groups)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_temporaries_do_not_end_in_the_final_extension(tmp_path):
    from nzc_report.atomic import atomic_path

    with atomic_path(tmp_path / "report.pdf") as tmp:
        assert tmp.name.startswith(".report.pdf.tmp-") and tmp.suffix != ".pdf"
        tmp.write_bytes(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_killed_build_leaves_reports_intact_no_process_behind_and_the_next_build_finishes(four_zone_build, tmp_path):
    data, out = copy_build(four_zone_build, tmp_path)  # a whole build of four zones, as the session made it
    zones = sorted(p.name for p in (out / "2019" / "zones").iterdir())
    assert len(zones) == 4
    manifest_path = out / "2019" / "manifest.json"
    first = json.loads(manifest_path.read_text(encoding="utf-8"))
    # change the two Guangdong zones alike (copies of alpha: still tied, the Zhejiang zones' reports
    # unchanged), start a rebuild, kill -9 the build process alone once one of them is done
    changed = ["z01", "z03"]
    for z in changed:
        bump_emissions(data, z)
    # on Dask (its workers, their warm templates and kernels must all leave with the build)
    proc = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--data", str(data),
                             "--out", str(out), "--year", "2019", "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, EXECUTOR_ENV: "dask"})
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            m = read_manifest(manifest_path.parent)  # manifest.json and the tasks journalled since
            done = [z for z in m["zones"] if m["zones"][z]["key"] != first["zones"][z]["key"]]
            if done:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the rebuild finished no zone in time")
        family = _descendants(proc.pid)
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # the build only: its children must notice and leave
        proc.wait()
    assert family, "the build had no worker process"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(_alive(p) for p in family):
        time.sleep(0.5)
    left = [p for p in family if _alive(p)]
    for p in left:  # do not leave them to the next tests
        os.kill(p, signal.SIGKILL)
    assert left == [], "processes of the killed build still running"
    m = read_manifest(manifest_path.parent)  # what the killed build finished, by the time it was killed
    finished = [z for z in m["zones"] if m["zones"][z]["key"] != first["zones"][z]["key"]]
    from pypdf import PdfReader
    for pdf in (out / "2019").rglob("*.pdf"):
        assert len(PdfReader(str(pdf)).pages) >= 1  # every report is whole, old or new
    result = build(BuildOptions(data=data, out=out, jobs=2, year=2019))
    s = statuses(result)
    assert result.exit_code == 0
    # what the killed build finished is kept; the rest of what changed is built; nothing else is
    assert done and set(done) <= set(finished) <= set(changed)
    assert {z: s[z] for z in zones} == {z: "built" if z in changed and z not in finished else "up_to_date"
                                        for z in zones}
    assert not list((out / "2019").rglob(".*.tmp-*"))
    assert main(["verify", "--out", str(out)]) == 0


def test_the_manifest_journal_keeps_what_a_killed_build_finished_and_is_folded_in_by_the_next_write(tmp_path):
    year = tmp_path / "2024"
    (year / "zones" / "a").mkdir(parents=True)
    (year / "zones" / "a" / "results.json").write_text("{}", encoding="utf-8")
    write_manifest(year, {"year": 2024, "zones": {"a": {"status": "failed", "outputs": []}}})
    entry = {"status": "built", "outputs": [{"path": "zones/a/results.json", "sha256": "0" * 64}]}
    append_entry(year, "zones", "a", entry)
    append_entry(year, "summaries", "national", {"status": "built", "outputs": []})
    with open(year / JOURNAL, "a", encoding="utf-8") as f:
        f.write('{"unit": "zones", "id": "b", "entr')  # the line a kill cut short
    m = read_manifest(year)
    assert m["zones"] == {"a": entry} and m["summaries"]["national"]["status"] == "built"
    assert "b" not in m["zones"]
    with speaking("en"):
        problems, checked = verify(tmp_path)  # the journal's entries are verified too
    assert checked == 1 and problems == [f"CHANGED {year / 'zones' / 'a' / 'results.json'}"]
    # in Chinese (the default) the same code word leads, and the rest is said
    assert verify(tmp_path)[0] == [f"CHANGED {year / 'zones' / 'a' / 'results.json'} 内容与构建时记录的不同"]
    write_manifest(year, m)
    assert not (year / JOURNAL).exists()
    assert json.loads((year / "manifest.json").read_text(encoding="utf-8"))["zones"] == {"a": entry}
