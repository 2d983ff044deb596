"""A zone's rectification plan (cli.md v3) names problems of the previous year: an entry whose
subject matches none is refused at its FILE:LINE, exit 2, before anything is written."""
from nzc_report.cli import main

PLAN = """zone_id: alpha
rectification:
  - subject: "indicator:non_fossil_share_pct"
    measure: 推进屋顶光伏
    owner: 甲镇人民政府
    due: "2020-06"
  - subject: "target:net_reduction_pct"
    measure: 制定专项行动方案
"""


def _validate(tmp_path, tiny_dir, capsys, *extra):
    (tmp_path / "params" / "zones").mkdir(parents=True)
    (tmp_path / "params" / "zones" / "alpha.yaml").write_text(PLAN, encoding="utf-8")
    code = main(["validate", "--data", str(tiny_dir), "--params", str(tmp_path / "params"), *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, [line for line in out.err.splitlines() if "alpha.yaml" in line]


def test_a_plan_for_a_problem_last_year_did_not_have_is_refused_at_its_line(tmp_path, tiny_dir, capsys):
    # alpha's 2018 problems: no targets, missing and stale data, its non-fossil share; no target at risk
    code, lines = _validate(tmp_path, tiny_dir, capsys, "--year", "2019")
    assert code == 2
    assert len(lines) == 1, lines  # the first entry matches a 2018 problem and is kept
    assert lines[0].startswith(f"{tmp_path / 'params' / 'zones' / 'alpha.yaml'}:7: ")
    assert "target:net_reduction_pct" in lines[0] and "2018" in lines[0]
    assert "indicator:non_fossil_share_pct" in lines[0]  # the problems it could have named
    assert "不是2018年的任何问题" in lines[0] and "matches no problem" not in lines[0]  # Chinese first, one language


def test_the_refusal_is_said_in_english_under_lang_en(tmp_path, tiny_dir, capsys):
    code, lines = _validate(tmp_path, tiny_dir, capsys, "--year", "2019", "--lang", "en")
    assert code == 2
    assert len(lines) == 1, lines
    assert "matches no problem of 2018" in lines[0] and not any("\u4e00" <= c <= "\u9fff" for c in lines[0])


def test_a_plan_without_a_previous_assessment_is_refused(tmp_path, tiny_dir, capsys):
    # 2015 is alpha's first year of emissions: no 2014 to compare with
    code, lines = _validate(tmp_path, tiny_dir, capsys, "--year", "2015")
    assert code == 2
    assert [line.split(": ")[0] for line in lines] == [f"{tmp_path / 'params' / 'zones' / 'alpha.yaml'}:{n}"
                                                       for n in (3, 7)]
    assert all("2014" in line for line in lines)
    assert all("没有上年度问题可整改" in line for line in lines)
