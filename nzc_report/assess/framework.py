"""The indicator framework (params/framework.yaml): what is measured, how, and against what.

``load_framework`` checks the whole file and reports every problem at once;
the rest of the engine can then trust it.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast


from nzc_report.dataset.vocab import MECHANISM_STATUSES, MECHANISMS, MEASURE_STATUSES, ZONE_TYPES, DOMAINS
from nzc_report.errors import UsageError
from nzc_report.yamlfile import read_yaml

__all__ = ["Threshold", "Indicator", "Framework", "load_framework", "KINDS", "DIRECTIONS"]

KINDS = ("derived", "indicators", "mechanisms")
DIRECTIONS = ("higher", "lower")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Threshold:
    floor: float
    benchmark: float
    source: str  # a key of Framework.sources
    note: str | None = None
    below_total_energy_tce: float | None = None  # upper bound (exclusive) of an energy-use band


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    unit: str
    dimension: str
    direction: str
    kind: str
    formula: str | None  # derived indicators
    mechanism: str | None  # mechanism indicators
    zone_types: frozenset[str]
    weight: float
    thresholds: dict[str, tuple[Threshold, ...]]  # zone type → bands (one, or several by energy use)
    sector_required: str | None = None
    note: str | None = None

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    def applies(self, zone: dict) -> bool:
        if zone["zone_type"] not in self.zone_types:
            return False
        return self.sector_required is None or self.sector_required in (zone.get("sectors") or ())

    def threshold(self, zone_type: str, total_energy_tce: float | None = None) -> Threshold | None:
        bands = self.thresholds.get(zone_type)
        if not bands:
            return None
        for band in bands:
            bound = band.below_total_energy_tce
            if bound is None or (total_energy_tce is not None and total_energy_tce < bound):
                return band
        return bands[-1]


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    title: str
    title_en: str
    sources: dict[str, dict]
    dimensions: dict[str, str]
    grade_bands: tuple[tuple[str, str, float], ...]  # (grade, grade_en, min), best first
    grade_source: str
    provisional_below_coverage_pct: float
    mechanism_values: dict[str, float]
    measure_status_values: dict[str, float]
    measure_statuses_for_coverage: frozenset[str]
    target_metrics: dict[str, dict]
    target_status_labels: dict[str, str]
    indicators: tuple[Indicator, ...]
    path: str = ""
    _by_id: dict[str, Indicator] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({i.id: i for i in self.indicators})

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self._by_id.get(indicator_id)

    def source_title(self, key: str) -> str:
        return self.sources[key]["title"]

    def grade(self, score: float | None) -> tuple[str | None, str | None]:
        if score is None:
            return None, None
        for grade, grade_en, minimum in self.grade_bands:
            if score >= minimum:
                return grade, grade_en
        return self.grade_bands[-1][0], self.grade_bands[-1][1]

    def metric(self, metric: str) -> dict | None:
        """name_zh, name_en, unit and direction of a target metric, or None if unknown."""
        if metric in self.target_metrics:
            return self.target_metrics[metric]
        ind = self.indicator(metric)
        if ind is None:
            return None
        return {"name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit, "direction": ind.direction}

    def units(self) -> dict[str, str]:
        """indicator_id or target metric → unit: what load_dataset checks indicators.csv and targets.csv against."""
        return {i.id: i.unit for i in self.indicators} | {k: m["unit"] for k, m in self.target_metrics.items()}

    def meta(self) -> dict:
        return {"id": self.id, "version": self.version, "title": self.title, "title_en": self.title_en}


# -- loading and checking ------------------------------------------------------

class _Checker:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{self.path.name}: {where}: {message}")

    def number(self, obj: dict, key: str, where: str, minimum: float | None = None) -> float | None:
        v = obj.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.add(where, f"'{key}' must be a number")
            return None
        if minimum is not None and v < minimum:
            self.add(where, f"'{key}' must be ≥ {minimum:g}")
        return float(v)

    def choice(self, value, choices, where: str, what: str) -> bool:
        if value in choices:
            return True
        close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.5)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.add(where, f"unknown {what} '{value}'{hint}")
        return False

    def raise_if_any(self) -> None:
        if self.problems:
            shown = self.problems[:MAX_PROBLEMS]
            more = len(self.problems) - len(shown)
            tail = [f"… and {more} more"] if more > 0 else []
            raise UsageError("\n".join([*shown, *tail, f"indicator framework refused: {len(self.problems)} problem(s)"]))


def _threshold(c: _Checker, raw, where: str, sources: dict, direction: str | None) -> Threshold | None:
    if not isinstance(raw, dict):
        c.add(where, "must be a mapping with floor, benchmark and source")
        return None
    floor = c.number(raw, "floor", where)
    bench = c.number(raw, "benchmark", where)
    source = raw.get("source")
    c.choice(source, sources, where, "source")
    if floor is not None and bench is not None:
        if floor == bench:
            c.add(where, "floor and benchmark must differ")
        elif (bench > floor) != (direction == "higher"):
            c.add(where, f"benchmark {bench:g} is not on the better side of floor {floor:g} "
                         f"for direction '{direction}'")
    bound = raw.get("below_total_energy_tce")
    if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
        c.add(where, "'below_total_energy_tce' must be a number")
        bound = None
    if floor is None or bench is None:
        return None
    # c.choice reported a source that is not a key of sources; load_framework raises before use.
    return Threshold(floor, bench, cast(str, source), raw.get("note"), None if bound is None else float(bound))


def _indicator(c: _Checker, raw: dict, i: int, fw_raw: dict, formulas) -> Indicator | None:
    where = f"indicators[{i}]"
    if not isinstance(raw, dict):
        c.add(where, "must be a mapping")
        return None
    iid = raw.get("id")
    if not isinstance(iid, str) or not _ID.match(iid):
        c.add(where, f"id {iid!r} must be a snake_case slug")
        return None
    where = f"indicator {iid}"
    for key in ("name_zh", "name_en", "unit"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            c.add(where, f"'{key}' is required")
    dims = fw_raw.get("dimensions") or {}
    c.choice(raw.get("dimension"), dims, where, "dimension")
    direction = raw.get("direction")
    c.choice(direction, DIRECTIONS, where, "direction")
    compute = raw.get("compute") or {}
    kind = compute.get("kind")
    formula = mechanism = None
    if c.choice(kind, KINDS, where, "compute kind"):
        if kind == "derived":
            formula = compute.get("formula")
            c.choice(formula, formulas, where, "formula")
        elif kind == "mechanisms":
            mechanism = compute.get("mechanism")
            c.choice(mechanism, MECHANISMS, where, "mechanism")
    applies = raw.get("applies_to")
    if applies == "all":
        zone_types = frozenset(ZONE_TYPES)
    elif isinstance(applies, list) and applies:
        zone_types = frozenset(z for z in applies if c.choice(z, ZONE_TYPES, where, "zone type"))
    else:
        c.add(where, "'applies_to' must be 'all' or a list of zone types")
        zone_types = frozenset()
    sector = raw.get("only_if_sector_declared")
    if sector is not None:
        c.choice(sector, DOMAINS, where, "sector")
    weight = c.number(raw, "weight", where, minimum=0)
    sources = fw_raw.get("sources") or {}
    thresholds: dict[str, tuple[Threshold, ...]] = {}
    raw_thresholds = raw.get("thresholds") or {}
    parsed: dict[str, tuple[Threshold, ...]] = {}
    for key, entry in raw_thresholds.items():
        if key != "default":
            c.choice(key, ZONE_TYPES, f"{where}: thresholds", "zone type")
        entries = entry if isinstance(entry, list) else [entry]
        bands = tuple(t for j, e in enumerate(entries)
                      if (t := _threshold(c, e, f"{where}: thresholds.{key}[{j}]", sources, direction)))
        if bands and any(b.below_total_energy_tce is None for b in bands[:-1]):
            c.add(f"{where}: thresholds.{key}", "only the last band may lack 'below_total_energy_tce'")
        parsed[key] = bands
    for zt in sorted(zone_types):
        chosen = parsed.get(zt) or parsed.get("default")
        if not chosen:
            c.add(where, f"no thresholds for zone type '{zt}' (add '{zt}' or 'default')")
        else:
            thresholds[zt] = chosen
    if weight is None or direction not in DIRECTIONS or kind not in KINDS:
        return None
    return Indicator(id=iid, name_zh=raw.get("name_zh", ""), name_en=raw.get("name_en", ""),
                     unit=raw.get("unit", ""), dimension=cast(str, raw.get("dimension")), direction=direction,
                     kind=kind, formula=formula, mechanism=mechanism, zone_types=zone_types,
                     weight=weight, thresholds=thresholds, sector_required=sector, note=raw.get("note"))


def load_framework(path: str | Path) -> Framework:
    """The framework in ``path``, or UsageError listing every problem in it."""
    from nzc_report.assess.indicators import FORMULAS  # the formulas the framework may name

    path = Path(path)
    raw = read_yaml(path, "indicator framework")
    c = _Checker(path)
    if not isinstance(raw, dict):
        raise UsageError(f"indicator framework {path}: must be a YAML mapping")
    for key in ("id", "version", "title", "sources", "dimensions", "grades", "indicators"):
        if key not in raw:
            c.add("top level", f"'{key}' is required")
    c.raise_if_any()

    sources = raw["sources"] or {}
    for key, s in sources.items():
        if not isinstance(s, dict) or not s.get("title"):
            c.add(f"sources.{key}", "needs a 'title'")

    grades = raw["grades"] or {}
    bands = []
    for j, b in enumerate(grades.get("bands") or []):
        m = c.number(b, "min", f"grades.bands[{j}]", minimum=0)
        if m is not None:
            bands.append((str(b.get("grade")), str(b.get("grade_en", b.get("grade"))), m))
    if not bands:
        c.add("grades", "needs 'bands'")
    elif [m for *_, m in bands] != sorted((m for *_, m in bands), reverse=True) or bands[-1][2] != 0:
        c.add("grades.bands", "must run from the best grade down, the last with min 0")
    c.choice(grades.get("source"), sources, "grades", "source")
    provisional = c.number(grades, "provisional_below_coverage_pct", "grades", minimum=0)

    mech_values = {str(k): v for k, v in (raw.get("mechanism_values") or {}).items()}
    for status in MECHANISM_STATUSES:
        c.number(mech_values, status, "mechanism_values", minimum=0)
    measure_values = raw.get("measure_status_values") or {}
    for status in MEASURE_STATUSES:
        c.number(measure_values, status, "measure_status_values", minimum=0)
    coverage_statuses = raw.get("measure_statuses_for_coverage") or []
    for s in coverage_statuses:
        c.choice(s, MEASURE_STATUSES, "measure_statuses_for_coverage", "measure status")

    target_metrics = raw.get("target_metrics") or {}
    for mid, m in target_metrics.items():
        if not isinstance(m, dict) or m.get("direction") not in DIRECTIONS or not m.get("name_zh"):
            c.add(f"target_metrics.{mid}", "needs name_zh, unit and direction (higher or lower)")

    labels = raw.get("target_status_labels") or {}
    for status in ("on_track", "at_risk", "off_track", "achieved", "missed", "no_data"):
        if not labels.get(status):
            c.add("target_status_labels", f"'{status}' is missing")

    indicators = []
    seen = set()
    for i, r in enumerate(raw["indicators"] or []):
        ind = _indicator(c, r, i, raw, FORMULAS)
        if ind is None:
            continue
        if ind.id in seen or ind.id in target_metrics:
            c.add(f"indicator {ind.id}", "id is used twice")
        seen.add(ind.id)
        indicators.append(ind)
    c.raise_if_any()
    assert provisional is not None  # c.number reported it missing, and raise_if_any raised

    return Framework(
        id=str(raw["id"]), version=str(raw["version"]), title=raw["title"],
        title_en=raw.get("title_en", ""), sources=sources, dimensions=dict(raw["dimensions"]),
        grade_bands=tuple(bands), grade_source=grades["source"],
        provisional_below_coverage_pct=float(provisional),
        mechanism_values={k: float(mech_values[k]) for k in MECHANISM_STATUSES},
        measure_status_values={k: float(measure_values[k]) for k in MEASURE_STATUSES},
        measure_statuses_for_coverage=frozenset(coverage_statuses),
        target_metrics=target_metrics, target_status_labels=dict(labels),
        indicators=tuple(indicators), path=str(path),
    )
