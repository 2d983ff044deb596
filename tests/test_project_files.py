"""The renderer is given its project files (resources.Project): two builds with different
templates, catalogues and params in one process never see each other's files, whether they
render one after the other or at once in two threads (the in-process executor, two builds
of one test session, a Dask worker serving one build after another)."""
from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import pytest
from nzc_report.batch.project import ProjectFiles, collect
from nzc_report.batch.tasks import ZONE_REPORT_INPUT, TaskSpec, run_task
from nzc_report.render import render_zone_html
from nzc_report.resources import PROJECT_ROOT, ZONE_NOTEBOOK, Project, current_project, using_project
from pdftools import pdfinfo, pdftotext
from reportdata import write_zone_dir, zone_results

TITLE = "近零碳排放区示范工程"  # the default programme's name in templates/messages/zh.yaml's doc.title
BODY = "近零碳排放区示范工程评估组"  # params/report.yaml's evaluating_body
OTHER_TITLE, OTHER_BODY, MARK = "另一项目之评估", "某省第二评估中心", "<!-- the other project's template -->"


def _other(text: str, name: str) -> str:
    """The other project's version of the file ``name`` (relative to the project's root)."""
    if name == "templates/messages/zh.yaml":
        assert "{name}{programme}{year}年度评估报告" in text  # the programme: the framework's (issue 30)
        return text.replace("{name}{programme}{year}年度评估报告", "{name}" + OTHER_TITLE + "{year}")
    if name == "params/report.yaml":
        assert BODY in text
        return text.replace(BODY, OTHER_BODY)
    if name == "templates/zone_report.html.j2":
        return text.replace("<!DOCTYPE html>", "<!DOCTYPE html>\n" + MARK, 1)
    return text


CHANGED = ("templates/messages/zh.yaml", "params/report.yaml", "templates/zone_report.html.j2")


@pytest.fixture(scope="module")
def other_root(tmp_path_factory) -> Path:
    """A copy of the project's templates/ and params/ with a changed title, evaluating body and template."""
    root = tmp_path_factory.mktemp("other-project")
    for folder in ("templates", "params"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    for name in CHANGED:
        path = root / name
        path.write_text(_other(path.read_text(encoding="utf-8"), name), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def alpha(tmp_path_factory) -> tuple[dict, Path]:
    results = zone_results("alpha")
    return results, write_zone_dir(tmp_path_factory.mktemp("zone") / "alpha", results)


def _check(html: str, own: bool) -> None:
    if own:
        assert TITLE + "2019年度评估报告" in html and BODY in html and MARK not in html
        assert OTHER_TITLE not in html and OTHER_BODY not in html
    else:
        assert OTHER_TITLE in html and OTHER_BODY in html and MARK in html
        assert TITLE + "2019年度评估报告" not in html and BODY not in html


def test_two_projects_in_turn_each_render_with_their_own_files(alpha, other_root):
    results, folder = alpha
    installed, other = Project(PROJECT_ROOT), Project(other_root)
    for _ in range(2):  # and back again: nothing of the other's is kept in a cache
        _check(render_zone_html(results, folder, project=installed), own=True)
        _check(render_zone_html(results, folder, project=other), own=False)
    _check(render_zone_html(results, folder), own=True)  # no project given: the installed one


def test_two_projects_at_once_in_two_threads(alpha, other_root):
    results, folder = alpha
    seen: dict[str, list[str]] = {"own": [], "other": []}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def render(name: str, project: Project) -> None:
        try:
            start.wait(timeout=60)
            for _ in range(4):
                seen[name].append(render_zone_html(results, folder, project=project))
        except BaseException as exc:  # reported by the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=render, args=("own", Project(PROJECT_ROOT))),
               threading.Thread(target=render, args=("other", Project(other_root)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(seen["own"]) == len(seen["other"]) == 4
    for html in seen["own"]:
        _check(html, own=True)
    for html in seen["other"]:
        _check(html, own=False)


def test_using_a_project_is_undone_after_the_block(other_root):
    before = current_project()
    with using_project(Project(other_root)):
        assert current_project().templates == other_root / "templates"
    assert current_project() == before


def _shipped(files: dict[str, bytes]) -> ProjectFiles:
    h = hashlib.sha256()
    for name, data in sorted(files.items()):
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return ProjectFiles(h.hexdigest(), tuple(sorted(files.items())))


def test_two_builds_tasks_in_one_process_render_each_with_the_files_its_build_shipped(alpha, tmp_path, monkeypatch):
    """The report task of two builds, run in this process one after the other (as the in-process
    executor does): each PDF says what its own build's project files say."""
    monkeypatch.setenv("NZC_REPORT_CACHE", str(tmp_path / "cache"))
    results, folder = alpha
    plain = collect(ZONE_NOTEBOOK)
    files = dict(plain.files)
    other = _shipped({name: (_other(data.decode("utf-8"), name).encode("utf-8") if name in CHANGED else data)
                      for name, data in files.items()})
    assert other.digest != plain.digest
    inputs = ((f"{ZONE_REPORT_INPUT}/results.json", (folder / "results.json").read_bytes()),
              *((f"{ZONE_REPORT_INPUT}/{p.relative_to(folder).as_posix()}", p.read_bytes())
                for p in sorted((folder / "figures").glob("*"))))
    spec = TaskSpec("zone_report", "alpha", "", {"rank": None}, 600, "zh", None, False, inputs=inputs)
    texts, titles = {}, {}
    for name, project in (("plain", plain), ("other", other), ("plain again", plain)):
        outcome = run_task(spec, project)
        assert outcome.status == "built", outcome.reason
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(dict(outcome.outputs)["report.pdf"])
        texts[name] = pdftotext(pdf)
        titles[name] = pdfinfo(pdf)["Title"]  # the catalogue's doc.title
    assert len(list((tmp_path / "cache").glob("project-*"))) == 2
    for name in ("plain", "plain again"):
        assert BODY in texts[name] and OTHER_BODY not in texts[name]
        assert titles[name] == "甲镇（测试）近零碳排放区示范工程2019年度评估报告"
    assert OTHER_BODY in texts["other"] and titles["other"] == "甲镇（测试）" + OTHER_TITLE + "2019"
