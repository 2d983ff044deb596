"""The closing table of a build (issue 31): grouped by outcome, failures last with their working
paper, counts and failures only past 30 rows, the portal named last; in zh or en."""
from nzc_report.batch import BuildResult, Outcome
from nzc_report.cli import _closing_table


def _result(tmp_path, n_built: int) -> BuildResult:
    year_dir = tmp_path / "2024"
    (year_dir / "zones" / "z-bad").mkdir(parents=True)
    (year_dir / "zones" / "z-bad" / "assessment.ipynb").write_text("{}", encoding="utf-8")
    (year_dir / "index.html").write_text("", encoding="utf-8")
    outcomes = [Outcome("z-bad", "zone", "failed", 1.0, "a cell raised ValueError")]
    outcomes += [Outcome(f"z{i:03d}", "zone", "built", 2.0) for i in range(n_built)]
    outcomes += [Outcome("z-old", "zone", "up_to_date"), Outcome("national", "national", "built", 3.0)]
    return BuildResult(2024, year_dir, outcomes, 9.5)


def test_failures_come_last_with_their_working_paper_and_the_portal_is_named(tmp_path):
    shown, full = _closing_table(_result(tmp_path, 3), "zh")
    lines = shown.splitlines()
    rows = [line.split()[0] for line in lines[1:] if line and not line.startswith(" ")]
    assert rows.index("z-bad") > rows.index("national") > rows.index("z002")
    assert "z-old" not in rows  # up to date: counted, not listed
    assert f"    评估底稿：{tmp_path / '2024' / 'zones' / 'z-bad' / 'assessment.ipynb'}" in lines
    assert lines[-1] == f"打开门户：{tmp_path / '2024' / 'index.html'}"
    assert any(line.startswith("区域：已构建 3，最新 1，失败 1") for line in lines)
    assert shown == full


def test_past_30_rows_the_terminal_gets_counts_and_failures_and_the_log_the_table(tmp_path):
    shown, full = _closing_table(_result(tmp_path, 40), "en")
    assert "z039" not in shown and "z039" in full
    assert "z-bad" in shown and "working paper:" in shown
    assert f"42 rows: only the failures are listed here; the full table is in {tmp_path / '2024' / 'build.log'}" in shown
    assert "zones: 40 built, 1 up to date, 1 failed" in shown
