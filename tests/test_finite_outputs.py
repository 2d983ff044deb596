"""Issue 13: non-finite numbers fail loudly where they are written or read, never silently later.

results.json, the manifest and the summaries' results are written by atomic.write_json,
which forbids NaN and Infinity (strict JSON); the YAML framework and rules refuse a
non-finite number at its FILE:LINE.
"""
import json
import math

import pytest

from nzc_report.assess.framework import load_framework
from nzc_report.atomic import write_json
from nzc_report.errors import ConfigError
from nzc_report.findings import load_rules
from nzc_report.resources import PARAMS_DIR, PROJECT_ROOT
from nzc_report.yamlfile import speaking


@pytest.fixture(autouse=True)
def _english():
    """The problems read here in English (the library's own default is Chinese)."""
    with speaking("en"):
        yield


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_write_json_refuses_non_finite_numbers_and_writes_nothing(tmp_path, bad):
    target = tmp_path / "results.json"
    with pytest.raises(ValueError, match="JSON compliant"):
        write_json(target, {"emissions": {"net_reduction_pct": bad}})
    assert list(tmp_path.iterdir()) == []  # not even a temporary file is left


def test_write_json_writes_finite_figures_and_null(tmp_path):
    target = tmp_path / "results.json"
    write_json(target, {"a": 1.5, "b": None, "c": -0.0})
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": 1.5, "b": None, "c": 0.0}


# a zone's results go through the typed model (results_model.write_results validates them, then
# writes with atomic.write_json); the summaries' through write_json itself
@pytest.mark.parametrize("notebook, writer", [("zone_assessment", "write_results"), ("province_summary", "write_json"),
                                              ("national_summary", "write_json")])
def test_notebooks_write_their_results_as_strict_json(notebook, writer):
    nb = json.loads((PROJECT_ROOT / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert f'{writer}(out / "results.json"' in code
    assert "json.dump" not in code


def test_no_module_writes_json_but_through_write_json():
    """Every JSON file the package writes goes through atomic.write_json (allow_nan=False)."""
    for path in (PROJECT_ROOT / "nzc_report").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "json.dump(" not in text, path  # json.dump writes a file; dumps only makes text
        if path.name == "atomic.py":
            assert "allow_nan=False" in text


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN", "1.0e+400"])
def test_framework_refuses_a_non_finite_number_at_its_line(tmp_path, value):
    lines = (PARAMS_DIR / "frameworks" / "near-zero-zone.yaml").read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.strip().startswith("weight:"))
    lines[n] = lines[n].split("weight:")[0] + f"weight: {value}"
    path = tmp_path / "framework.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_framework(path)
    lines = info.value.format_message().splitlines()
    assert lines[0] == f"{path}:{n + 1}: {value!r} is not a finite number"
    # -.inf is also below the schema's minimum weight (0), said at the same line
    assert lines[1:] == ([f"{path}:{n + 1}: indicators[0].weight: must be at least 0, not -inf"]
                         if value == "-.inf" else []) + [f"configuration refused: {len(lines) - 1} problem"
                                                          + ("s" if len(lines) > 2 else "")]


def test_rules_refuse_a_non_finite_number_at_its_line(tmp_path):
    text = (PARAMS_DIR / "rules.yaml").read_text(encoding="utf-8").replace("{min_pct: 30}", "{min_pct: -.inf}")
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines()) if "-.inf" in x) + 1
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    assert info.value.format_message().splitlines()[0] == f"{path}:{line}: '-.inf' is not a finite number"


def test_the_project_framework_and_rules_are_finite():
    load_framework(PARAMS_DIR / "frameworks" / "near-zero-zone.yaml")
    load_rules(PARAMS_DIR / "rules.yaml")


def test_negative_zero_loads_as_zero(tiny_copy):
    """−0 in a cell is 0: the report must never print "-0 t" (found by the fuzz)."""
    from nzc_report.dataset import load_dataset

    path = tiny_copy / "emissions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("alpha,2016,building,5000", "alpha,2016,building,-0"),
                    encoding="utf-8")
    em = load_dataset(tiny_copy).tables["emissions"]
    (value,) = em[(em["zone_id"] == "alpha") & (em["year"] == 2016) & (em["sector"] == "building")]["emissions_tco2e"]
    assert value == 0 and math.copysign(1, value) == 1


def test_a_figure_that_rounds_to_zero_prints_without_a_sign():
    """Net emissions of gross − sinks can come out a hair below zero (-1e-10 t): the reader sees 0."""
    from nzc_report.findings.format import value_text
    from nzc_report.render.environment import fmt_number, fmt_pct, fmt_value

    assert fmt_number(-1e-10) == "0" and fmt_number(-0.0, 1) == "0.0"
    assert fmt_pct(-0.00001) == "0.0%" and fmt_value(-0.0) == "0.0"
    assert "-" not in value_text(-1e-10, "吨") + value_text(-1e-10, "%")
