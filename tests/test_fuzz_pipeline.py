"""A property-based fuzz of the pipeline with hostile numbers (hypothesis, fixed seed).

Datasets are drawn structurally valid, then perturbed (tests/fuzzdata.py). For each:

- the dataset layer either refuses it — every error at FILE:ROW:COLUMN (or a workbook
  cell), exit 2 through the CLI, nothing written — or loads it, and then every figure
  of every table is a finite number within its column's plausible range;
- once loaded, the assessment runs in-process as the notebook runs it (load → assess →
  findings → results), results.json is strict JSON with finite figures or null, and the
  zone report rendered by the render layer (HTML, in zh and en) says no inf, nan, None
  and shows no unfilled "{".

Derandomized with a bounded number of examples: the same datasets on every run.
Five drawn datasets (one zone each) also go through the real ``build`` (kernel, PDF,
pdftotext): tests marked e2e at the end.
"""
from __future__ import annotations

import contextlib
import io
import json
import math
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from clirun import in_process as cli
from fuzzdata import datasets, write_csv, write_xlsx
from pdftools import pdftotext
from nzc_report.assess import assess_zone, load_framework, resolve_year
from nzc_report.cli import main
from nzc_report.dataset import load_dataset
from nzc_report.dataset.schema import TABLES, plausible_range
from nzc_report.errors import DatasetError
from nzc_report.findings import evaluate_findings, load_rules
from nzc_report.findings.results import build_results
from nzc_report.render import render_zone_html
from nzc_report.render.narrative import narrate_findings
from nzc_report.resources import PARAMS_DIR

FRAMEWORK = load_framework(PARAMS_DIR / "frameworks" / "near-zero-zone.yaml")
UNITS = FRAMEWORK.units()
RULES = load_rules(PARAMS_DIR / "rules.yaml")

# Fixed seed, bounded: about a minute on a 2-core machine for both properties.
FUZZ = {"derandomize": True, "database": None, "deadline": None, "print_blob": False,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                   HealthCheck.filter_too_much]}
DATASET_EXAMPLES = 50
PIPELINE_EXAMPLES = 30

# FILE:ROW:COLUMN: (CSV) or FILE[sheet]!B7: (workbook), then the message.
LOCATED = re.compile(r"^(?:[\w.-]+\.csv:\d+:[a-z0-9_]+|[\w.-]+\.xlsx\[[a-z]+\]![A-Z]+\d+): \S")
# What a reader must never see in a report: unfilled or non-finite figures, Python's None.
# ("None of the 2 targets …" is English, a bare None is Python's.)
NOT_FOR_READERS = re.compile(r"\b(?:inf|Infinity|nan|NaN)\b|\bNone\b(?! of\b)|\{|\}|-inf\b", re.IGNORECASE)
# A negative zero ("-0 t", "-0.0%"): the sign of nothing.
NEGATIVE_ZERO = re.compile(r"(?<![\d.,])[-−]0(?:\.0+)?(?![\d.,])")


def _load(tables: dict, where: Path, lang: str, workbook: bool):
    data = write_xlsx(tables, where / "dataset.xlsx") if workbook else write_csv(tables, where / "data")
    try:
        return data, load_dataset(data, lang=lang, indicator_units=UNITS), None
    except DatasetError as err:
        return data, None, err


# -- the dataset layer: refused properly, or finite and plausible ------------------------------
def check_refusal(err: DatasetError, data: Path, where: Path, lang: str) -> None:
    assert err.errors, "a refusal names at least one error"
    for p in err.errors:
        assert LOCATED.match(str(p)), f"not at FILE:ROW:COLUMN: {p}"
    out = where / "out"
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", "--data", str(data), "--out", str(out), "--lang", lang, "--jobs", "1"])
    assert code == 2
    assert not out.exists(), "a refused dataset writes nothing"
    assert stderr.getvalue().splitlines() == err.format_message().splitlines()
    assert "Traceback" not in stderr.getvalue()


def check_loaded(ds) -> None:
    for name, spec in TABLES.items():
        df = ds.tables[name]
        for col in spec:
            values = [v for v in df[col.name].tolist() if not pd.isna(v)]  # None, NaN, pd.NA (an empty optional year)
            if col.kind == "float":
                lo, hi = plausible_range(name, col.name)
                for v in values:
                    assert math.isfinite(v), (name, col.name, v)
                    assert lo <= v <= hi and (col.minimum is None or v >= col.minimum), (name, col.name, v)
                    assert math.copysign(1, v) > 0 or v != 0, (name, col.name, "negative zero")
            if col.kind == "year":
                assert all(1900 <= int(v) <= 2100 for v in values), (name, col.name, values)


@settings(max_examples=DATASET_EXAMPLES, **FUZZ)
@given(tables=datasets(), lang=st.sampled_from(["zh", "en"]), workbook=st.booleans())
def test_hostile_numbers_are_refused_at_their_cell_or_load_finite(tables, lang, workbook):
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        data, ds, err = _load(tables, where, lang, workbook)
        if err is not None:
            check_refusal(err, data, where, lang)
        else:
            check_loaded(ds)


# -- downstream: assessment, findings, results.json, the rendered report -------------------------
class _Text(HTMLParser):
    """The text a reader sees: no tags, no style or script."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _non_finite(obj, path="results"):
    if isinstance(obj, float) and not math.isfinite(obj):
        yield path
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _non_finite(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _non_finite(v, f"{path}[{i}]")


def downstream_defects(ds, where: Path, lang: str) -> list[str]:
    """What the assessment, findings and report do wrong with a loaded dataset (empty: nothing)."""
    found = []
    year = resolve_year(ds, None)
    for zone_id in ds.zone_ids:
        stage = "assess"
        try:
            a = assess_zone(ds, zone_id, year, FRAMEWORK)
            stage = "findings"
            f = evaluate_findings(a, RULES)
            stage = "results"
            stage = "narrative"
            results = narrate_findings(build_results(ds, a, f, zone_params={}), lang)  # as the notebook does
            json.dumps(results, allow_nan=False)
            found += [f"results: non-finite figure at {p}" for p in _non_finite(results)]
            stage = "render"
            text = visible_text(render_zone_html(results, where, lang))
        except Exception as exc:  # recorded, not raised: every example is run
            found.append(f"{stage}: {type(exc).__name__}: {exc}"[:300])
            continue
        for pattern in (NOT_FOR_READERS, NEGATIVE_ZERO):
            for m in pattern.finditer(text):
                found.append(f"report ({lang}): prints {m[0]!r} in …{text[max(0, m.start() - 60):m.end() + 20]}…")
    return found


# Downstream (assess, findings, render) is not the dataset layer's room: the test runs every
# example and lists every defect at once. Those the fuzz found are in notes/hostile-downstream.md;
# with the dataset's limits (finite, plausible, no figure nearer zero than 1e-6) none is left open.
def test_loaded_datasets_give_finite_figures_and_clean_sentences():
    found: dict[str, list[str]] = {}
    loaded = []

    @settings(max_examples=PIPELINE_EXAMPLES, phases=[Phase.explicit, Phase.generate], **FUZZ)
    @given(tables=datasets(max_zones=2), lang=st.sampled_from(["zh", "en"]))
    def run(tables, lang):
        with tempfile.TemporaryDirectory() as tmp:
            _, ds, err = _load(tables, Path(tmp), lang, workbook=False)
            if err is not None:
                return
            loaded.append(1)
            for defect in downstream_defects(ds, Path(tmp), lang):
                found.setdefault(_kind(defect), []).append(defect)

    run()
    assert loaded, "some drawn datasets load"
    assert not found, "\n".join(f"{k}: {len(v)}× e.g. {v[0]}" for k, v in sorted(found.items()))


def _kind(defect: str) -> str:
    return re.sub(r"….*", "", defect)[:80]


# -- five drawn datasets through the real build: kernel, PDF, pdftotext -------------------------
def _strict(constant):
    raise ValueError(f"results.json holds {constant}")


@pytest.mark.e2e
@settings(max_examples=5, phases=[Phase.explicit, Phase.generate], **FUZZ)
@given(tables=datasets(max_zones=1, max_years=3, hostile=False), lang=st.sampled_from(["zh", "en"]))
def test_five_drawn_datasets_build_to_reports_without_hostile_text(tables, lang):
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        data, ds, err = _load(tables, where, lang, workbook=False)
        assume(err is None)  # odd but valid figures only: these must build
        # a zone approved after the assessment year is outside that year's cycle (cli.md v3): not built
        assume(int(ds.tables["zones"]["approved_year"].iloc[0]) <= resolve_year(ds, None))
        out = where / "out"
        # --zones (the dataset's one zone): the same zone report, without the national summary, which
        # this test does not read (a restricted build leaves it out, cli.md)
        (zone_id,) = ds.tables["zones"]["zone_id"].tolist()
        # in this process (clirun): the same command line, without a new interpreter's imports for each build
        proc = cli("build", "--data", data, "--out", out, "--jobs", "1", "--lang", lang, "--zones", zone_id, cwd=where)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        (zone_dir,) = (out / str(resolve_year(ds, None)) / "zones").iterdir()
        json.loads((zone_dir / "results.json").read_text(encoding="utf-8"), parse_constant=_strict)
        text = pdftotext(zone_dir / "report.pdf")
        assert "示例数据" in text or "sample" in text.lower()
        shown = [text[max(0, m.start() - 60):m.end() + 20]
                 for pattern in (NOT_FOR_READERS, NEGATIVE_ZERO) for m in pattern.finditer(text)]
        assert not shown, shown
