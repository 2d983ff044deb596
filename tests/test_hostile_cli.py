"""Every command-line value checked before anything is read or written (issue 26): exit 2, one
line, no traceback, nothing written; and a property test: no value makes the parser or the
checks raise anything else."""
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nzc_report.cli import main, make_parser
from nzc_report.cli_checks import check_args
from nzc_report.config import check_shared_params
from nzc_report.errors import ConfigError, UsageError
from nzc_report.batch.plan import load_zone_params
from nzc_report.yamlfile import check_file

TINY = Path(__file__).parent / "data" / "tiny"


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*"))


@pytest.fixture
def place(tmp_path, monkeypatch):
    """An empty current folder with a file, a folder and a notebook in it, watched for writes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (tmp_path / "a-folder").mkdir()
    return tmp_path


CASES = [
    (["build", "--max-file-mb", "nan"], "--max-file-mb nan: must be a finite number"),
    (["build", "--max-file-mb", "inf"], "--max-file-mb inf: must be a finite number"),
    (["validate", "--max-file-mb=-1"], "--max-file-mb -1.0: must be between 0.001 and 4096"),
    (["export", "--out", "x.xlsx", "--lang", "en", "--max-file-mb", "0"], "--max-file-mb 0.0: must be between 0.001 and 4096"),
    (["build", "--timeout", "nan"], "--timeout nan: must be a finite number"),
    (["build", "--timeout=-inf"], "--timeout -inf: must be a finite number"),
    (["build", "--timeout", "0"], "--timeout 0.0: must be between 1 and 86400"),
    (["build", "--jobs", "0"], "--jobs 0: must be between 1 and 256"),
    (["build", "--jobs", "100000"], "--jobs 100000: must be between 1 and 256"),
    (["build", "--year", "0"], "--year 0: must be a four-digit year between 1900 and 2100"),
    (["build", "--year", "99999"], "--year 99999: must be a four-digit year between 1900 and 2100"),
    (["validate", "--year=-2024"], "--year -2024: must be a four-digit year between 1900 and 2100"),
    (["build", "--scheduler", "garbage"],
     "--scheduler garbage: not a scheduler address (expected tcp://host:port or host:port, port 1–65535)"),
    (["build", "--scheduler", "tcp://host:99999"],
     "--scheduler tcp://host:99999: not a scheduler address (expected tcp://host:port or host:port, port 1–65535)"),
    (["build", "--scheduler", "tcp://:8786"],
     "--scheduler tcp://:8786: not a scheduler address (expected tcp://host:port or host:port, port 1–65535)"),
    (["build", "--zones", ","], "--zones: list at least one zone id (comma-separated)"),
    (["build", "--zones", " , "], "--zones: list at least one zone id (comma-separated)"),
    (["build", "--zones", "alpha,Beta!"], "--zones: 'Beta!' is not a valid zone id (lower-case letters, digits, - and _)"),
    (["build", "--province", " "], "--province: must not be empty"),
    (["build", "--notebook", "missing.ipynb"], "--notebook missing.ipynb: no such file or directory"),
    (["build", "--notebook", "a-folder"], "--notebook a-folder: not an .ipynb notebook file"),
    (["build", "--out", "a-file"], "--out a-file: cannot be created here (a file is in the way)"),
    (["build", "--out", "a-file/sub"], "--out a-file/sub: cannot be created here (a file is in the way)"),
    (["build", "--data", "missing"], "--data missing: no such file or directory"),
    (["build", "--data", "a-file"], "--data a-file: neither a folder of CSV files nor an .xlsx workbook"),
    (["build", "--compare-to", "missing/2023"], "--compare-to missing/2023: no such file or directory"),
    (["verify", "--out", "missing"], "--out missing: no such file or directory"),
    (["verify", "--out", "a-file"], "--out a-file: not a folder"),
    (["template", "--out", "template.txt"], "--out template.txt: the file name must end in .xlsx"),
    (["template", "--out", "a-file/t.xlsx"], "--out a-file/t.xlsx: cannot be created here (a file is in the way)"),
    (["synth", "--zones", "0", "--out", "s"], "--zones 0: must be between 1 and 100000"),
    (["init", "a-file"], "DIR a-file: cannot be created here (a file is in the way)"),
    (["build", "--jobs", "two"], "nzc-report build: argument --jobs: invalid int value: 'two'"),
    (["build", "--year", "2024", "--lang", "zh", "--jobs", "0"], "--jobs 0：应在 1 至 256 之间"),
    (["build", "--jobs", "two", "--lang", "zh"], "nzc-report build: 参数 --jobs：应为整数，而不是 'two'"),
    (["build", "--zones", ",", "--lang", "zh"], "--zones：至少列出一个区域编号（以逗号分隔）"),
    (["synth", "--lang", "zh"], "nzc-report synth: 缺少必需的参数：--zones, --out"),
]


@pytest.mark.parametrize("argv,line", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_bad_value_is_one_line_exit_2_nothing_written(place, capsys, argv, line):
    """In English with --lang en (as the lines here are); Chinese by default (the zh case)."""
    before = _files(place)
    assert main(argv if "--lang" in argv else [*argv, "--lang", "en"]) == 2
    out = capsys.readouterr()
    assert out.err.splitlines() == [line]
    assert "Traceback" not in out.err and out.out == ""
    assert _files(place) == before


def test_a_scheduler_address_from_the_environment_is_checked(place, capsys, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "not an address")
    assert main(["build", "--data", str(TINY), "--lang", "en"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "DASK_SCHEDULER_ADDRESS not an address: not a scheduler address (expected tcp://host:port or host:port, "
        "port 1–65535)"]
    assert not (place / "build").exists()


@pytest.mark.parametrize("year", ["2014", "2021"])
def test_a_year_outside_the_data_is_refused_before_anything_is_written(place, capsys, year):
    """The tiny dataset's emissions cover 2015–2019: 2020 may be assessed (its data not in yet), not 2021."""
    assert main(["build", "--data", str(TINY), "--year", year, "--lang", "en", "--out", "out"]) == 2
    out = capsys.readouterr()
    assert out.err.splitlines()[-1] == (f"--year {year}: the dataset's emissions data covers 2015–2019, so the "
                                        "assessment year must be between 2015 and 2020")
    assert "Traceback" not in out.err
    assert not (place / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_out_is_refused(place, capsys):
    (place / "ro").mkdir(mode=0o555)
    assert main(["build", "--out", "ro/out", "--lang", "en"]) == 2
    assert capsys.readouterr().err.splitlines() == ["--out ro/out: cannot be created here (the place is not writable)"]


# -- property tests --------------------------------------------------------------------------
_OPTIONS = ["--data", "--year", "--out", "--zones", "--province", "--jobs", "--lang", "--timeout", "--max-file-mb",
            "--notebook", "--params", "--compare-to", "--scheduler", "--pdf-variant", "--seed", "--framework"]
_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["nan", "inf", "-inf", "1e309", "0", "-1", "2024", "99999", ",", "tcp://h:1", "a-file",
                     "a-folder", "a-folder/x", "x.xlsx", "\x00", "é" * 300, "--help-me"]),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(["build", "validate", "verify", "template", "export", "synth", "init", "frameworks"]),
       options=st.lists(st.tuples(st.sampled_from(_OPTIONS), _VALUES), max_size=5))
@example(command="build", options=[("--data", "\n")])  # found by this test: the error printed the newline
def test_no_command_line_value_raises_anything_but_a_usage_error(place, command, options):
    argv = [command] + [part for pair in options for part in pair]
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as exc:
        assert exc.code in (0, 2)
        return
    try:
        check_args(args)
    except UsageError as exc:
        assert "\n" not in str(exc)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
_YAML_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=20)
_YAML_TEXT = st.one_of(
    _YAML_DATA.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.text(alphabet=st.sampled_from(list("ab:- &*[]{}|>'\"\n\t#!%@`,?\\0x.")), max_size=80),
    st.text(max_size=80),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_YAML_TEXT, which=st.sampled_from(["zones/alpha.yaml", "framework.yaml", "rules.yaml",
                                               "significance.yaml", "report.yaml", "summary.yaml"]))
def test_no_yaml_makes_validation_raise(tmp_path, text, which):
    overlay = tmp_path / "params"
    path = overlay / which
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        if which.startswith("zones/"):
            check_file(path, "zone-params")
            load_zone_params(["alpha", "beta"], overlay)
        else:
            check_shared_params(overlay)
    except ConfigError as exc:
        assert exc.problems
    finally:
        path.unlink()
