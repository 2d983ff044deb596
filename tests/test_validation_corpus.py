"""Every broken dataset in tests/data/bad gives exactly the lines its expected.<lang>.txt holds."""
from pathlib import Path

import pytest

from nzc_report.cli import main
from nzc_report.dataset import load_dataset
from nzc_report.dataset.catalogue import msg
from nzc_report.errors import DatasetError

BAD = Path(__file__).parent / "data" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def _data(case: str) -> Path:
    """The case's dataset: its folder of CSV files, or the dataset.xlsx in it (workbook-* cases)."""
    workbook = BAD / case / "dataset.xlsx"
    return workbook if workbook.is_file() else BAD / case


def _expected(case: str, lang: str) -> list[str]:
    return (BAD / case / f"expected.{lang}.txt").read_text(encoding="utf-8").splitlines()


def _refused(lines: list[str], lang: str) -> bool:
    return lines[-1] == msg("refused", lang, n=sum(
        not l.startswith(msg("warning_prefix", lang)) for l in lines[:-1]))


def test_corpus_is_large_and_each_case_has_one_defect():
    assert len(CASES) >= 30
    for case in CASES:
        for lang in ("en", "zh"):
            lines = _expected(case, lang)
            assert len(lines) == (2 if not case.startswith("warning-") else 1), (case, lines)
            assert _refused(lines, lang) != case.startswith("warning-"), case


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", CASES)
def test_exact_messages(case, lang):
    expected = _expected(case, lang)
    if case.startswith("warning-"):
        ds = load_dataset(_data(case), lang=lang)  # loads: warnings do not refuse
        assert [msg("warning_prefix", lang) + str(w) for w in ds.warnings] == expected
    else:
        with pytest.raises(DatasetError) as info:
            load_dataset(_data(case), lang=lang)
        assert info.value.format_message().splitlines() == expected


@pytest.mark.parametrize("case", [c for c in CASES if not c.startswith("warning-")])
def test_validate_prints_them_and_exits_2(case, capsys):
    assert main(["validate", "--data", str(_data(case)), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == _expected(case, "en")
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.parametrize("case", [c for c in CASES if c.startswith("warning-")])
def test_validate_prints_warnings_and_exits_0(case, capsys):
    assert main(["validate", "--data", str(_data(case)), "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == _expected(case, "en") + ["dataset OK: 1 zones"]


def test_non_finite_and_implausible_figures_are_cases_in_csv_and_workbook():
    """Issue 13: hostile numbers are refused at their cell, in CSV files and in the workbook."""
    for kind in ("overflow", "nan", "implausibly-large"):
        csv_cases = [c for c in CASES if kind in c and not c.startswith("workbook-")]
        workbook_cases = [c for c in CASES if kind in c and c.startswith("workbook-")]
        assert csv_cases and workbook_cases, kind
    for case in ("workbook-error-value", "workbook-boolean-cell", "workbook-date-cell",
                 "workbook-formula-without-value"):
        assert (BAD / case / "dataset.xlsx").is_file(), case


@pytest.mark.parametrize("case", ["emissions-overflow-to-infinity", "workbook-formula-without-value"])
def test_build_of_a_dataset_with_a_hostile_number_writes_nothing(case, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--data", str(_data(case)), "--out", str(out), "--lang", "zh"]) == 2
    assert capsys.readouterr().err.splitlines() == _expected(case, "zh")
    assert not out.exists()


def test_build_of_a_refused_dataset_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--data", str(BAD / "province-typo"), "--out", str(out), "--lang", "en"]) == 2
    assert capsys.readouterr().err.splitlines() == _expected("province-typo", "en")
    assert not out.exists()
