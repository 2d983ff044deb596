"""WeasyPrint's warnings reach manifest.json and the closing table (issue 14 §4).

A copy of the project (NZC_REPORT_HOME) whose report.css has a property
WeasyPrint does not know builds one sample zone: the warning WeasyPrint logs
while rendering must be in that zone's manifest entry and in the closing
table, and in the entry of the province summary that uses the same sheet.
The project as it stands builds the session's sample zones (conftest.py) without any.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nzc_report.resources import PROJECT_FOLDERS, PROJECT_ROOT

pytestmark = pytest.mark.e2e
ZONE = "gd-nanao"
UNKNOWN_RULE = ".summary-page { nzc-no-such-property: 1mm; }\n"


def _build(out: Path, env: dict | None = None) -> tuple[int, str, dict]:
    proc = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--zones", ZONE,
                           "--out", str(out), "--jobs", "1"],
                          capture_output=True, text=True, timeout=900, env={**os.environ, **(env or {})})
    manifest = json.loads((out / "2024" / "manifest.json").read_text(encoding="utf-8"))
    return proc.returncode, proc.stdout, manifest


def _warnings(manifest: dict) -> dict[str, list[str]]:
    entries = {f"zones/{z}": e for z, e in manifest["zones"].items()} | manifest["summaries"]
    return {uid: e["warnings"] for uid, e in entries.items()}


def test_the_project_builds_the_sample_zones_without_weasyprint_warnings(sample_build):
    manifest = json.loads((sample_build.year_dir / "manifest.json").read_text(encoding="utf-8"))
    assert _warnings(manifest) == {**{f"zones/{z}": [] for z in sample_build.zones}, "provinces/330000": []}
    assert "WeasyPrint" not in sample_build.stdout  # the closing table


def test_a_weasyprint_warning_reaches_the_manifest_and_the_closing_table(tmp_path):
    home = tmp_path / "project"
    for folder in PROJECT_FOLDERS:
        shutil.copytree(PROJECT_ROOT / folder, home / folder)
    with open(home / "templates" / "report.css", "a", encoding="utf-8") as f:
        f.write(UNKNOWN_RULE)
    code, table, manifest = _build(tmp_path / "out", {"NZC_REPORT_HOME": str(home)})
    assert code == 0, table  # a warning is reported, not a failure
    found = manifest["zones"][ZONE]["warnings"]
    assert found and all("nzc-no-such-property" in w for w in found), found
    assert f"{ZONE} 报告：WeasyPrint 警告 {len(found)} 条" in table  # Chinese: no --lang, no workspace
    assert f"  {found[0]}" in table
    # the province summary uses report.css too, rendered after the zone by the same worker, which
    # parsed the sheet once: the parse's warning is listed for every document that uses it
    summary = manifest["summaries"]["provinces/440000"]["warnings"]
    assert any("nzc-no-such-property" in w for w in summary), summary
    total = sum(len(w) for w in _warnings(manifest).values())
    assert f"；WeasyPrint 警告共 {total} 条 —— " in next(line for line in table.splitlines() if "用时" in line)
