"""results.json of a zone as one typed model (../shared/spec/cli.md v1–v3).

Read and written here only: ``read_results`` / ``write_results`` validate
against schemas/results.schema.json, ``ZoneResults.from_dict`` /
``to_dict`` convert. Dataclasses, not pydantic: the project has no pydantic
dependency, the schema already validates (jsonschema), and the model needs
only types and enums, not coercion. Keys the model does not name are kept
in ``extra`` (the contract may grow: extend, never break), so a round trip
gives back what was read.

Status words are enums (StrEnum: they compare equal to the contract's strings).
"""
from __future__ import annotations

import functools
import json
import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, Self

from nzc_report.atomic import write_json

__all__ = ["TargetStatus", "Polarity", "Judgement", "ChangeHow", "MechanismStatus", "Claim",
           "Finding", "Recommendation", "Target", "Indicator", "Emissions", "ProblemChange", "Changes",
           "Gate", "Outcome", "ZoneResults",
           "read_results", "write_results", "results_errors", "subject_atoms"]


class TargetStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ACHIEVED = "achieved"
    MISSED = "missed"
    NO_DATA = "no_data"


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class Judgement(StrEnum):
    """The one judgement a zone gets per subject (issue 28)."""
    POSITIVE = "positive"
    NEGATIVE = "negative"
    MIXED = "mixed"
    NOT_REPORTED = "not_reported"
    NOT_APPLICABLE = "not_applicable"


class ChangeHow(StrEnum):
    """How a subject's problem moved between two years (cli.md v3 problem_changes)."""
    RESOLVED = "resolved"
    DATA_FILED = "data_filed"
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"
    NEW = "new"


class MechanismStatus(StrEnum):
    YES = "yes"
    PARTIAL = "partial"
    NO = "no"


def subject_atoms(subject: str) -> list[str]:
    """The single facts a subject names: ``indicator:a+b`` → ``indicator:a``, ``indicator:b``."""
    kind, sep, rest = subject.partition(":")
    if not sep:
        return [subject]
    return [f"{kind}:{x}" for x in rest.split("+")]


# -- generic (de)serialisation ----------------------------------------------------------
# Every class below is a dataclass whose fields are the contract's keys, in the order they are
# written; ``Model.from_dict`` / ``to_dict`` read the fields and their type hints, so a class
# lists its keys once. A field's metadata says when it is left out of the file:
#   omit="none"    when it is None (an optional key written only with a value),
#   omit="empty"   when it is empty,
#   omit="absent"  when the file read did not hold it (a key older builds do not write).
# Keys a class does not name are kept in ``extra`` and written after the named ones.

def opt(default: Any = None, *, omit: str = "absent", factory: Any = None) -> Any:
    """A field that may be missing from a results.json (see above)."""
    if factory is not None:
        return field(default_factory=factory, metadata={"omit": omit})
    return field(default=default, metadata={"omit": omit})


def _extra_field() -> Any:
    return field(default_factory=dict, metadata={"extra": True})


def _absent_field() -> Any:
    return field(default_factory=set, compare=False, repr=False, metadata={"absent": True})


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, value: Any) -> Any:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        return _decode(next(a for a in args if a is not type(None)), value)
    if origin is list:
        return [_decode(args[0], v) for v in value or []]
    if origin is dict:
        return {k: _decode(args[1], v) for k, v in (value or {}).items()}
    if tp is dict:
        return {} if value is None else value
    if value is None:
        return None
    if isinstance(tp, type) and issubclass(tp, Model):
        return tp.from_dict(value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    if tp is int and not isinstance(value, bool):
        return int(value)
    return value


def _encode(value: Any) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


class Model:
    """What every results.json object shares: from_dict / to_dict over its dataclass fields.

    Reading is lenient about keys (a missing key takes the field's default, else None): what must
    be there is the schema's to say, and ``read_results`` / ``write_results`` validate first."""

    @classmethod
    def from_dict(cls, d: dict) -> Self:
        hints = _hints(cls)  # type: ignore[arg-type]
        kw: dict[str, Any] = {}
        absent: set[str] = set()
        named = set()
        extra_name = absent_name = None
        for f in fields(cls):  # type: ignore[arg-type]
            if f.metadata.get("extra"):
                extra_name = f.name
                continue
            if f.metadata.get("absent"):
                absent_name = f.name
                continue
            named.add(f.name)
            if f.name in d:
                kw[f.name] = _decode(hints[f.name], d[f.name])
            elif f.metadata.get("omit") == "absent":
                absent.add(f.name)
            elif f.default is MISSING and f.default_factory is MISSING:
                kw[f.name] = _decode(hints[f.name], None)
        if extra_name:
            kw[extra_name] = {k: v for k, v in d.items() if k not in named}
        if absent_name:
            kw[absent_name] = absent
        elif absent:
            raise TypeError(f"{cls.__name__} has fields that may be absent and no field to note them")
        return cls(**kw)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {}
        extra: dict = {}
        absent: set[str] = set()
        for f in fields(self):  # type: ignore[arg-type]
            if f.metadata.get("extra"):
                extra = getattr(self, f.name)
            elif f.metadata.get("absent"):
                absent = getattr(self, f.name)
        for f in fields(self):  # type: ignore[arg-type]
            if f.metadata.get("extra") or f.metadata.get("absent"):
                continue
            value, omit = getattr(self, f.name), f.metadata.get("omit")
            if (omit == "none" and value is None) or (omit == "empty" and not value) \
                    or (omit == "absent" and f.name in absent):
                continue
            out[f.name] = _encode(value)
        return {**out, **{k: v for k, v in extra.items() if k not in out}}


@dataclass
class Claim(Model):
    subject: str
    polarity: Polarity
    judgement: Judgement | None = opt(omit="none")  # mixed where the statement is a balanced one

    def atoms(self) -> list[str]:
        return subject_atoms(self.subject)


@dataclass
class Finding(Model):
    """A highlight or a problem."""
    rule_id: str | None
    category: str | None = opt(omit="none")
    text: str | None = None
    evidence: dict = field(default_factory=dict)
    claim: Claim | None = opt(omit="none")
    category_label: str | None = opt()
    extra: dict = _extra_field()
    absent: set[str] = _absent_field()

    @property
    def figures(self) -> dict:
        return self.evidence.get("figures") or {}


@dataclass
class Recommendation(Model):
    rule_id: str | None
    category: str
    text: str | None
    addresses: list[str]
    addressee: str | None = opt()
    problem_category: str | None = opt()
    subjects: list[str] = opt(factory=list)
    evidence: dict = opt(factory=dict)
    category_label: str | None = opt()
    addressee_name: str | None = opt()
    addressee_derived: bool = opt(False)
    extra: dict = _extra_field()
    absent: set[str] = _absent_field()


@dataclass
class Target(Model):
    metric: str
    target_year: int
    target_value: float
    current_value: float | None
    progress_ratio: float | None
    status: TargetStatus
    metric_label: str = opt("")
    unit: str | None = opt()
    direction: str | None = opt()
    baseline_value: float | None = opt()
    current_year: int | None = opt()
    share_achieved: float | None = opt()
    time_elapsed: float | None = opt()
    note: str | None = opt()
    direction_assumed: bool = opt(False)
    planned_value: float | None = opt()
    path_milestones: list[list[float]] = opt(factory=list)
    required_annual_change: float | None = opt()
    years_left: int | None = opt()
    source: str | None = opt()
    status_label: str = opt("")
    evidence: dict = opt(factory=dict)
    extra: dict = _extra_field()
    absent: set[str] = _absent_field()


@dataclass
class Emissions(Model):
    baseline_net_tco2e: float
    net_tco2e: float
    gross_tco2e: float
    removals_tco2e: float | None
    net_reduction_pct: float | None
    extra: dict = _extra_field()


@dataclass
class ProblemChange(Model):
    subject: str
    before: str | None
    after: str | None
    how: ChangeHow
    extra: dict = _extra_field()


@dataclass
class Changes(Model):
    score_delta: float | None
    grade_before: str | None
    grade_after: str | None
    problems_resolved: list[str]
    problems_persisting: list[str]
    problems_new: list[str]
    problem_changes: list[ProblemChange] | None = opt(omit="none")
    score_change_by_cause: dict[str, float] | None = opt(omit="none")
    emissions_compared: bool | None = opt()
    net_tco2e_delta: float | None = opt()
    net_reduction_pct_delta: float | None = opt()
    targets: list[dict] = opt(factory=list)
    indicator_movers: list[dict] = opt(factory=list)
    extra: dict = _extra_field()
    absent: set[str] = _absent_field()


@dataclass
class Gate(Model):
    """A framework's pass condition for the zone (v3); ``passed`` None where the data is missing."""
    id: str
    label: str
    value: float | None
    threshold: float | None
    passed: bool | None
    source: str
    extra: dict = _extra_field()
    absent: set[str] = _absent_field()


@dataclass
class Outcome(Model):
    """What the framework concludes about the zone and why (v3); ``decided_by``: score, gate, eligibility …"""
    label: str | None
    reason: str | None
    status: str
    decided_by: str
    extra: dict = _extra_field()
    absent: set[str] = _absent_field()


@dataclass
class Indicator(Model):
    """A row of the indicator table."""
    id: str
    name_zh: str = opt("")
    name_en: str = opt("")
    unit: str = opt("")
    dimension: str = opt("")
    dimension_label: str = opt("")
    direction: str = opt("")
    kind: str = opt("")
    applies: bool = opt(True)
    reported: bool = opt(False)
    value: float | None = opt()
    year: int | None = opt()
    status: MechanismStatus | None = opt()
    previous_value: float | None = opt()
    previous_year: int | None = opt()
    change: float | None = opt()
    floor: float | None = opt()
    benchmark: float | None = opt()
    score: float | None = opt()
    weight: float = opt(0.0)
    source: str | None = opt()
    source_rows: list[dict] = opt(factory=list)
    benchmark_source: str | None = opt()
    benchmark_source_en: str | None = opt()
    benchmark_note: str | None = opt()
    benchmark_source_known_by: str | None = opt()
    evidence: str | None = opt()
    missing: str | None = opt()
    missing_code: str | None = opt()
    scored_as_zero: bool = opt(False)
    extra: dict = _extra_field()
    absent: set[str] = _absent_field()


@dataclass(kw_only=True)
class ZoneResults(Model):
    """A zone's results.json: every key of the contract a field, in the order they are written
    (then whatever else it holds, in ``extra``)."""
    zone_id: str
    name: str
    name_en: str | None = opt()
    province_code: str
    province_name: str = opt("")
    city: str | None = opt()
    zone_type: str
    zone_type_label: str = opt("")
    sectors: list[str] = opt(factory=list)
    approved_year: int | None = opt()
    implementing_body: str | None = opt()
    plan_document: str | None = opt()
    plan_date: str | None = opt()
    year: int
    data_year: int
    baseline_year: int
    emissions: Emissions
    emissions_by_year: list[dict] = opt(factory=list)
    emissions_by_sector: list[dict] = opt(factory=list)
    targets: list[Target]
    measures: list[dict] = opt(factory=list)
    removals_by_source: list[dict] = opt(factory=list)
    activity_by_year: list[dict] = opt(factory=list)
    score: float | None
    grade: str | None
    grade_en: str | None = opt()
    grade_provisional: bool = opt(False)
    coverage_pct: float | None = opt()
    score_by_dimension: dict = opt(factory=dict)
    indicators: list[Indicator] = opt(factory=list)
    framework: dict = opt(factory=dict)
    gates: list[Gate] | None = opt(omit="none")  # v3; None: results written before version 3
    outcome: Outcome | None = opt(omit="none")  # v3
    judgements: dict[str, Judgement] = opt(factory=dict, omit="empty")
    highlights: list[Finding]
    problems: list[Finding]
    recommendations: list[Recommendation]
    dataset: dict = opt(factory=dict)
    params: dict = opt(factory=dict)
    figures: dict[str, str] = opt(factory=dict)
    generator: dict = opt(factory=dict)
    previous: dict | None = None
    changes: Changes | None = None
    previous_source: str | None = opt(omit="none")
    revisions: list[dict] = opt(factory=list)
    extra: dict = _extra_field()
    absent: set[str] = _absent_field()

    # -- what consumers ask ---------------------------------------------------------
    def findings(self) -> list[Finding]:
        return self.highlights + self.problems

    def judgement(self, subject: str) -> Judgement | None:
        return self.judgements.get(subject)

    @property
    def reference_only(self) -> bool:
        """The conclusion is for reference: its framework's document is not known to be in force on the
        report's date (issue 30); such a zone is not ranked."""
        return self.outcome is not None and bool(self.outcome.extra.get("reference_only"))


def results_errors(results: dict) -> list[str]:
    """What schemas/results.schema.json finds wrong with ``results`` (empty when valid)."""
    from nzc_report.yamlfile import _validator, schema_path, schema_predicate

    path = str(schema_path("results"))
    valid = schema_predicate(path)  # valid is the common case: said 20 times faster than jsonschema does
    if valid is not None and valid(results):
        return []
    v = _validator(path)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in v.iter_errors(results)]


class ResultsError(ValueError):
    """A results.json that does not follow the contract."""


def write_results(path: str | Path, results: ZoneResults | dict) -> ZoneResults:
    """Validates and writes a zone's results.json (atomically); returns the model."""
    model = results if isinstance(results, ZoneResults) else ZoneResults.from_dict(results)
    data = model.to_dict()
    errors = results_errors(data)
    if errors:
        raise ResultsError(f"{path}: results do not follow the contract: " + "; ".join(errors[:5]))
    write_json(path, data)
    return model


def read_results(path: str | Path, *, validate: bool = True, data: bytes | None = None) -> ZoneResults:
    """A zone's results.json (``data``: its bytes, already read), validated against the schema, as the model."""
    data_ = json.loads(Path(path).read_text(encoding="utf-8") if data is None else data.decode("utf-8"))
    return _checked(path, data_, validate)


def _checked(path: str | Path, data: Any, validate: bool) -> ZoneResults:
    if validate:
        errors = results_errors(data)
        if errors:
            raise ResultsError(f"{path}: results do not follow the contract: " + "; ".join(errors[:5]))
    return ZoneResults.from_dict(data)
