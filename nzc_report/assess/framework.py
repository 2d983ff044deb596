"""The indicator framework (params/framework.yaml): what is measured, how, and against what.

``load_framework`` checks the whole file against schemas/framework.schema.json
and its cross-references, and reports every problem at once (FILE:LINE); the
rest of the engine can then trust it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nzc_report.dataset.vocab import MEASURE_STATUSES, MECHANISM_STATUSES, ZONE_TYPES
from nzc_report.errors import ConfigError, ConfigProblem
from nzc_report.yamlfile import CheckedYaml, check_file, did_you_mean, said

__all__ = ["Threshold", "Indicator", "Framework", "load_framework", "check_framework"]


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
# The file's shape (keys, types, enums, ranges) is schemas/framework.schema.json's;
# here only what refers to something else in the file.

def _threshold_problems(c: CheckedYaml, at: list, raw: dict, sources: dict, direction: str) -> None:
    if raw["source"] not in sources:
        c.add([*at, "source"], said("cfg_unknown_source", id=raw["source"], hint=did_you_mean(raw["source"], sources)))
    floor, bench = raw["floor"], raw["benchmark"]
    if floor == bench:
        c.add(at, said("cfg_floor_equals_benchmark"))
    elif direction in ("higher", "lower") and (bench > floor) != (direction == "higher"):
        c.add(at, said("cfg_benchmark_wrong_side", benchmark=f"{bench:g}", floor=f"{floor:g}", direction=direction))


def _bands(entry) -> list[dict]:
    return entry if isinstance(entry, list) else [entry]


def _indicator_problems(c: CheckedYaml, i: int, raw: dict, fw_raw: dict) -> None:
    at: list = ["indicators", i]
    with c.part():
        if raw["dimension"] not in fw_raw["dimensions"]:
            c.add([*at, "dimension"],
                  said("cfg_unknown_dimension", id=raw["dimension"],
                       hint=did_you_mean(raw["dimension"], fw_raw["dimensions"])))
    thresholds = raw.get("thresholds") if isinstance(raw, dict) else None
    if not isinstance(thresholds, dict):
        return  # the schema says what is wrong with it
    for key, entry in thresholds.items():
        bands = _bands(entry)
        for j, band in enumerate(bands):
            with c.part():
                band_at = [*at, "thresholds", key] + ([j] if isinstance(entry, list) else [])
                _threshold_problems(c, band_at, band, fw_raw["sources"], raw["direction"])
        with c.part():
            bounds = [b.get("below_total_energy_tce") for b in bands]
            upper = [float(b) for b in bounds[:-1] if b is not None]
            if len(upper) < len(bands) - 1 or bounds[-1] is not None:
                c.add([*at, "thresholds", key], said("cfg_bands_bound"))
            elif upper != sorted(set(upper)):
                c.add([*at, "thresholds", key], said("cfg_bands_rise"))
    with c.part():
        for zone_type in _zone_types(raw):
            if zone_type not in thresholds and "default" not in thresholds:
                c.add([*at, "thresholds"], said("cfg_no_thresholds", zone_type=zone_type))


def _zone_types(raw: dict) -> list[str]:
    applies = raw["applies_to"]
    if applies == "all":
        return list(ZONE_TYPES)
    return [z for z in applies if z in ZONE_TYPES] if isinstance(applies, list) else []


def _cross_reference_problems(c: CheckedYaml, raw: dict) -> None:
    with c.part():
        grades = raw["grades"]
        if grades["source"] not in raw["sources"]:
            c.add(["grades", "source"],
                  said("cfg_unknown_source", id=grades["source"], hint=did_you_mean(grades["source"], raw["sources"])))
    with c.part():
        minima = [b["min"] for b in raw["grades"]["bands"]]
        if minima != sorted(set(minima), reverse=True) or minima[-1] != 0:
            c.add(["grades", "bands"], said("cfg_grade_bands"))
    seen: set[str] = set()
    for i, ind in enumerate(raw.get("indicators") or []):
        with c.part():
            if ind["id"] in seen:
                c.add(["indicators", i, "id"], said("cfg_used_twice", id=ind["id"]))
            elif ind["id"] in (raw.get("target_metrics") or {}):
                c.add(["indicators", i, "id"], said("cfg_also_target_metric", id=ind["id"]))
            seen.add(ind["id"])
        with c.part():
            _indicator_problems(c, i, ind, raw)
    with c.part():
        # (a negative weight is the schema's to report, not counted as none here)
        scored = {z for ind in raw["indicators"] if ind["weight"] != 0 for z in _zone_types(ind)}
        unscored = [z for z in ZONE_TYPES if z not in scored]
        if unscored:
            c.add(["indicators"], said("cfg_unscored_types", types=said("cfg_list_sep").join(unscored)))


def _indicator(raw: dict) -> Indicator:
    compute = raw["compute"]
    thresholds = raw["thresholds"]
    by_type = {}
    for zone_type in sorted(_zone_types(raw)):
        entry = thresholds.get(zone_type, thresholds.get("default"))
        by_type[zone_type] = tuple(
            Threshold(float(b["floor"]), float(b["benchmark"]), b["source"], b.get("note"),
                      None if b.get("below_total_energy_tce") is None else float(b["below_total_energy_tce"]))
            for b in _bands(entry))
    return Indicator(id=raw["id"], name_zh=raw["name_zh"], name_en=raw["name_en"], unit=raw["unit"],
                     dimension=raw["dimension"], direction=raw["direction"], kind=compute["kind"],
                     formula=compute.get("formula"), mechanism=compute.get("mechanism"),
                     zone_types=frozenset(_zone_types(raw)), weight=float(raw["weight"]), thresholds=by_type,
                     sector_required=raw.get("only_if_sector_declared"), note=raw.get("note"))


def check_framework(path: str | Path) -> tuple[Framework | None, list[ConfigProblem]]:
    """The framework in ``path`` and every problem found in it (None if there is any)."""
    c = check_file(path, "framework")
    raw = c.mapping
    if raw is not None:
        _cross_reference_problems(c, raw)
    if raw is None or c.problems:
        return None, c.sorted_problems()
    grades = raw["grades"]
    return Framework(
        id=raw["id"], version=raw["version"], title=raw["title"], title_en=raw.get("title_en", ""),
        sources=raw["sources"], dimensions=dict(raw["dimensions"]),
        grade_bands=tuple((b["grade"], b.get("grade_en", b["grade"]), float(b["min"])) for b in grades["bands"]),
        grade_source=grades["source"],
        provisional_below_coverage_pct=float(grades["provisional_below_coverage_pct"]),
        mechanism_values={k: float(raw["mechanism_values"][k]) for k in MECHANISM_STATUSES},
        measure_status_values={k: float(raw["measure_status_values"][k]) for k in MEASURE_STATUSES},
        measure_statuses_for_coverage=frozenset(raw["measure_statuses_for_coverage"]),
        target_metrics=raw.get("target_metrics") or {}, target_status_labels=dict(raw["target_status_labels"]),
        indicators=tuple(_indicator(r) for r in raw["indicators"]), path=str(path),
    ), []


def load_framework(path: str | Path) -> Framework:
    """The framework in ``path``, or ConfigError listing every problem in it (FILE:LINE)."""
    framework, problems = check_framework(path)
    if framework is None:
        raise ConfigError(problems)
    return framework
