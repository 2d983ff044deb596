"""The indicator framework (params/framework.yaml): what is measured, how, and against what.

``load_framework`` checks the whole file against schemas/framework.schema.json
and its cross-references, and reports every problem at once (FILE:LINE); the
rest of the engine can then trust it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    unreported_from: str | None = None  # a mechanism the zone did not report, read off this table (targets)

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
    # version 3: what a programme adds (the defaults are those of an evaluator's annual assessment)
    kind: str = "annual"  # annual | acceptance
    authority: str = "evaluator"  # official | evaluator
    source: str | None = None  # a key of sources: the programme document
    zone_types: frozenset[str] | None = None  # None: every zone type
    eligibility: dict = field(default_factory=dict)
    gates: tuple[dict, ...] = ()
    adjustments: tuple[dict, ...] = ()
    materials: tuple[dict, ...] = ()
    outcomes: dict = field(default_factory=dict)
    base: str | None = None
    authority_note: str | None = None
    authority_note_en: str | None = None  # the English report's words (else it shows none)
    outcomes_en: dict = field(default_factory=dict)  # outcome labels in English (else the catalogue's)
    programme: str | None = None  # the programme's name, as a cover says it (else the default programme's)
    programme_en: str | None = None
    # when the programme document was issued, as far as its sources tell (known_by, after, note)
    in_force: dict = field(default_factory=dict)
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

    def in_force_on(self, report_date: str | None) -> str | None:
        """Whether the framework's document was in force on ``report_date`` (ISO), as its sources tell.

        None where the framework dates no document (an evaluators' framework); ``in_force`` on or after
        ``known_by`` (a date by which it is known to have been issued); ``after_report`` on or before
        ``after`` (it was issued after that date); else ``unconfirmed``: the sources cannot tell whether
        it existed on the report's date, or the report has no date."""
        if not self.in_force:
            return None
        if not report_date:
            return "unconfirmed"
        known_by, after = self.in_force.get("known_by"), self.in_force.get("after")
        if known_by and report_date >= str(known_by):
            return "in_force"
        if after and report_date <= str(after):
            return "after_report"
        return "unconfirmed"

    def applies_to_type(self, zone_type: str) -> bool:
        return self.zone_types is None or zone_type in self.zone_types


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


def _known(c: CheckedYaml, at: list, value: str, allowed, what: str) -> None:
    if value not in allowed:
        c.add(at, said(f"cfg_unknown_{what}", id=value, hint=did_you_mean(value, allowed)))


def _grade_problems(c: CheckedYaml, grades: dict, sources: dict) -> None:
    with c.part():
        _known(c, ["grades", "source"], grades["source"], sources, "source")
    with c.part():
        minima = [b["min"] for b in grades["bands"]]
        if minima != sorted(set(minima), reverse=True) or minima[-1] != 0:
            c.add(["grades", "bands"], said("cfg_grade_bands"))


def _programme_problems(c: CheckedYaml, raw: dict, sources: dict, indicator_ids: set[str]) -> None:
    """Version 3: the programme document, eligibility, gates, bonus/penalty items, ids used once."""
    if "source" in raw:
        with c.part():
            _known(c, ["source"], raw["source"], sources, "source")
    if "eligibility" in raw:
        with c.part():
            _known(c, ["eligibility", "source"], raw["eligibility"]["source"], sources, "source")
    for part in ("gates", "adjustments", "materials"):
        seen: set[str] = set()
        for i, item in enumerate(raw.get(part) or []):
            with c.part():
                if item["id"] in seen:
                    c.add([part, i, "id"], said("cfg_used_twice", id=item["id"]))
                seen.add(item["id"])
            if part == "gates":
                with c.part():
                    _known(c, [part, i, "indicator"], item["indicator"], indicator_ids, "indicator")
                for j, band in enumerate(item["bands"]):
                    with c.part():
                        _known(c, [part, i, "bands", j, "source"], band["source"], sources, "source")
                with c.part():
                    bounds = [b.get("below_total_energy_tce") for b in item["bands"]]
                    upper = [float(b) for b in bounds[:-1] if b is not None]
                    if len(upper) < len(bounds) - 1 or bounds[-1] is not None:
                        c.add([part, i, "bands"], said("cfg_bands_bound"))
                    elif upper != sorted(set(upper)):
                        c.add([part, i, "bands"], said("cfg_bands_rise"))
            if part == "adjustments":
                with c.part():
                    _known(c, [part, i, "source"], item["source"], sources, "source")
                if "indicator" in item["when"]:
                    with c.part():
                        _known(c, [part, i, "when", "indicator"], item["when"]["indicator"], indicator_ids, "indicator")
    for i, ind_id in enumerate(raw.get("score_only") or []):
        with c.part():
            _known(c, ["score_only", i], ind_id, indicator_ids, "indicator")


def _scored_problems(c: CheckedYaml, indicators: list[dict], zone_types: list[str], weights) -> None:
    with c.part():
        # (a negative weight is the schema's to report, not counted as none here)
        scored = {z for ind in indicators if weights(ind) != 0 for z in _zone_types(ind)}
        unscored = [z for z in zone_types if z not in scored]
        if unscored:
            c.add(["indicators"], said("cfg_unscored_types", types=said("cfg_list_sep").join(unscored)))


def _framework_zone_types(raw: dict) -> list[str]:
    types = raw.get("zone_types", "all")
    return list(ZONE_TYPES) if types == "all" else [z for z in types if z in ZONE_TYPES]


def _cross_reference_problems(c: CheckedYaml, raw: dict, base: "Framework | None" = None) -> None:
    """What refers to something else in the file (or in its base framework)."""
    sources = ({**base.sources} if base else {}) | (raw.get("sources") or {})
    dimensions = ({**base.dimensions} if base else {}) | (raw.get("dimensions") or {})
    target_metrics = ({**base.target_metrics} if base else {}) | (raw.get("target_metrics") or {})
    if "grades" in raw:
        _grade_problems(c, raw["grades"], sources)
    seen: set[str] = {i.id for i in base.indicators} if base else set()
    for i, ind in enumerate(raw.get("indicators") or []):
        with c.part():
            if ind["id"] in seen:
                twice = "cfg_also_base_indicator" if base and base.indicator(ind["id"]) else "cfg_used_twice"
                c.add(["indicators", i, "id"], said(twice, id=ind["id"]))
            elif ind["id"] in target_metrics:
                c.add(["indicators", i, "id"], said("cfg_also_target_metric", id=ind["id"]))
            seen.add(ind["id"])
        with c.part():
            _indicator_problems(c, i, ind, {"dimensions": dimensions, "sources": sources})
    with c.part():
        _programme_problems(c, raw, sources, seen)
    if base is None:
        with c.part():
            only = set(raw.get("score_only") or ())
            _scored_problems(c, [i for i in raw.get("indicators") or [] if isinstance(i, dict)],
                             _framework_zone_types(raw),
                             lambda ind: ind["weight"] if not only or ind["id"] in only else 0)


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
                     sector_required=raw.get("only_if_sector_declared"), note=raw.get("note"),
                     unreported_from=compute.get("unreported_from"))


def _programme_fields(raw: dict) -> dict:
    """The version 3 fields of a Framework read from ``raw`` (only those it states)."""
    out: dict = {}
    for key in ("kind", "authority", "source", "eligibility", "outcomes", "authority_note", "authority_note_en",
                "outcomes_en", "programme", "programme_en", "in_force"):
        if key in raw:
            out[key] = raw[key]
    if "zone_types" in raw:
        out["zone_types"] = None if raw["zone_types"] == "all" else frozenset(raw["zone_types"])
    for key in ("gates", "adjustments", "materials"):
        if key in raw:
            out[key] = tuple(raw[key])
    return out


def _score_only(indicators: tuple[Indicator, ...], only) -> tuple[Indicator, ...]:
    if not only:
        return indicators
    return tuple(i if i.id in only else replace(i, weight=0.0) for i in indicators)


def _layered(raw: dict, base: Framework, path: str | Path) -> Framework:
    """``base`` with what ``raw`` states in its place (sources and dimensions merged, indicators added)."""
    fields: dict = {"id": raw["id"], "version": raw["version"], "title": raw["title"],
                    "title_en": raw.get("title_en", ""), "path": str(path), "base": base.id,
                    "sources": {**base.sources, **(raw.get("sources") or {})},
                    "dimensions": {**base.dimensions, **(raw.get("dimensions") or {})},
                    "gates": (), "adjustments": (), "materials": (), "eligibility": {}, "outcomes": {},
                    "source": None, "zone_types": None, "authority_note": None, "authority_note_en": None,
                    "outcomes_en": {}, "programme": None, "programme_en": None, "in_force": {}}
    if "grades" in raw:
        grades = raw["grades"]
        fields.update(grade_bands=tuple((b["grade"], b.get("grade_en", b["grade"]), float(b["min"]))
                                        for b in grades["bands"]),
                      grade_source=grades["source"],
                      provisional_below_coverage_pct=float(grades["provisional_below_coverage_pct"]))
    if "target_status_labels" in raw:
        fields["target_status_labels"] = dict(raw["target_status_labels"])
    indicators = base.indicators + tuple(_indicator(r) for r in raw.get("indicators") or [])
    fields["indicators"] = _score_only(indicators, raw.get("score_only"))
    fields.update(_programme_fields(raw))
    return replace(base, _by_id={}, **fields)


def check_framework(path: str | Path, base: Framework | None = None) -> tuple[Framework | None, list[ConfigProblem]]:
    """The framework in ``path`` and every problem found in it (None if there is any).

    A framework that names a ``base`` is read over that framework, which the caller
    loads first (frameworks.load_frameworks); without it, its ``base`` is refused."""
    c = check_file(path, "framework")
    raw = c.mapping
    if raw is not None:
        if "base" in raw and (base is None or base.id != raw["base"]):
            c.add(["base"], said("cfg_unknown_framework", id=raw["base"], hint=""))
        else:
            _cross_reference_problems(c, raw, base if "base" in raw else None)
    if raw is None or c.problems:
        return None, c.sorted_problems()
    if "base" in raw:
        assert base is not None
        layered = _layered(raw, base, path)
        c2 = c  # the scored check over the merged indicators, at the file's 'indicators' or 'score_only'
        types = sorted(layered.zone_types or ZONE_TYPES)
        unscored = [z for z in types if not any(i.weight > 0 and z in i.zone_types for i in layered.indicators)]
        if unscored:
            c2.add(["score_only"] if "score_only" in raw else ["id"],
                   said("cfg_unscored_types", types=said("cfg_list_sep").join(unscored)))
            return None, c2.sorted_problems()
        return layered, []
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
        indicators=_score_only(tuple(_indicator(r) for r in raw["indicators"]), raw.get("score_only")),
        path=str(path), **_programme_fields(raw),
    ), []


def load_framework(path: str | Path) -> Framework:
    """The framework in ``path``, or ConfigError listing every problem in it (FILE:LINE)."""
    framework, problems = check_framework(path)
    if framework is None:
        raise ConfigError(problems)
    return framework
