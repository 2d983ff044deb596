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

import json
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from nzc_report.atomic import write_json

__all__ = ["TargetStatus", "Polarity", "Judgement", "ChangeHow", "BuildStatus", "MechanismStatus", "Claim",
           "Finding", "Recommendation", "Target", "Emissions", "ProblemChange", "Changes", "ZoneResults",
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


class BuildStatus(StrEnum):
    """A task's status in the manifest and the closing table."""
    BUILT = "built"
    FAILED = "failed"
    UP_TO_DATE = "up_to_date"
    NOT_YET_APPROVED = "not_yet_approved"


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


def _extra(cls, d: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in d.items() if k not in names}


@dataclass
class Claim:
    subject: str
    polarity: Polarity
    judgement: Judgement | None = None  # mixed where the statement is a balanced one

    @classmethod
    def from_dict(cls, d: dict) -> Claim:
        j = d.get("judgement")
        return cls(d["subject"], Polarity(d["polarity"]), Judgement(j) if j else None)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"subject": self.subject, "polarity": str(self.polarity)}
        if self.judgement is not None:
            out["judgement"] = str(self.judgement)
        return out

    def atoms(self) -> list[str]:
        return subject_atoms(self.subject)


@dataclass
class Finding:
    """A highlight or a problem."""
    rule_id: str | None
    text: str | None
    evidence: dict
    category: str | None = None
    claim: Claim | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Finding:
        return cls(d.get("rule_id"), d.get("text"), d.get("evidence") or {}, d.get("category"),
                   Claim.from_dict(d["claim"]) if d.get("claim") else None, _extra(cls, d))

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"rule_id": self.rule_id}
        if self.category is not None:
            out["category"] = self.category
        out["text"] = self.text
        out["evidence"] = self.evidence
        if self.claim is not None:
            out["claim"] = self.claim.to_dict()
        return {**out, **self.extra}

    @property
    def figures(self) -> dict:
        return self.evidence.get("figures") or {}


@dataclass
class Recommendation:
    rule_id: str | None
    category: str
    text: str | None
    addresses: list[str]
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Recommendation:
        return cls(d.get("rule_id"), d["category"], d.get("text"), list(d.get("addresses") or []), _extra(cls, d))

    def to_dict(self) -> dict:
        return {"rule_id": self.rule_id, "category": self.category, "text": self.text,
                "addresses": self.addresses, **self.extra}


@dataclass
class Target:
    metric: str
    target_year: int
    target_value: float
    current_value: float | None
    progress_ratio: float | None
    status: TargetStatus
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Target:
        return cls(d["metric"], int(d["target_year"]), d["target_value"], d.get("current_value"),
                   d.get("progress_ratio"), TargetStatus(d["status"]), _extra(cls, d))

    def to_dict(self) -> dict:
        return {"metric": self.metric, "target_year": self.target_year, "target_value": self.target_value,
                "current_value": self.current_value, "progress_ratio": self.progress_ratio,
                "status": str(self.status), **self.extra}


@dataclass
class Emissions:
    baseline_net_tco2e: float
    net_tco2e: float
    gross_tco2e: float
    removals_tco2e: float | None
    net_reduction_pct: float | None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Emissions:
        return cls(d["baseline_net_tco2e"], d["net_tco2e"], d["gross_tco2e"], d.get("removals_tco2e"),
                   d.get("net_reduction_pct"), _extra(cls, d))

    def to_dict(self) -> dict:
        return {"baseline_net_tco2e": self.baseline_net_tco2e, "net_tco2e": self.net_tco2e,
                "gross_tco2e": self.gross_tco2e, "removals_tco2e": self.removals_tco2e,
                "net_reduction_pct": self.net_reduction_pct, **self.extra}


@dataclass
class ProblemChange:
    subject: str
    before: str | None
    after: str | None
    how: ChangeHow
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> ProblemChange:
        return cls(d["subject"], d.get("before"), d.get("after"), ChangeHow(d["how"]), _extra(cls, d))

    def to_dict(self) -> dict:
        return {"subject": self.subject, "before": self.before, "after": self.after, "how": str(self.how),
                **self.extra}


@dataclass
class Changes:
    score_delta: float | None
    grade_before: str | None
    grade_after: str | None
    problems_resolved: list[str]
    problems_persisting: list[str]
    problems_new: list[str]
    problem_changes: list[ProblemChange] | None = None
    score_change_by_cause: dict[str, float] | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Changes:
        pc = d.get("problem_changes")
        return cls(d.get("score_delta"), d.get("grade_before"), d.get("grade_after"),
                   list(d.get("problems_resolved") or []), list(d.get("problems_persisting") or []),
                   list(d.get("problems_new") or []),
                   None if pc is None else [ProblemChange.from_dict(x) for x in pc],
                   d.get("score_change_by_cause"), _extra(cls, d))

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"score_delta": self.score_delta, "grade_before": self.grade_before,
                               "grade_after": self.grade_after, "problems_resolved": self.problems_resolved,
                               "problems_persisting": self.problems_persisting, "problems_new": self.problems_new}
        if self.problem_changes is not None:
            out["problem_changes"] = [p.to_dict() for p in self.problem_changes]
        if self.score_change_by_cause is not None:
            out["score_change_by_cause"] = self.score_change_by_cause
        return {**out, **self.extra}


@dataclass
class Gate:
    """A framework's pass condition for the zone (v3); ``passed`` None where the data is missing."""
    id: str
    label: str
    value: float | None
    threshold: float | None
    passed: bool | None
    source: str
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Gate:
        return cls(d["id"], d["label"], d.get("value"), d.get("threshold"), d.get("passed"), d["source"],
                   _extra(cls, d))

    def to_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "value": self.value, "threshold": self.threshold,
                "passed": self.passed, "source": self.source, **self.extra}


@dataclass
class Outcome:
    """What the framework concludes about the zone and why (v3); ``decided_by``: score, gate, eligibility …"""
    label: str | None
    reason: str | None
    status: str
    decided_by: str
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Outcome:
        return cls(d.get("label"), d.get("reason"), d["status"], d["decided_by"], _extra(cls, d))

    def to_dict(self) -> dict:
        return {"label": self.label, "reason": self.reason, "status": self.status, "decided_by": self.decided_by,
                **self.extra}


# Keys of a zone's results in the order they are written (then whatever else it holds).
_ORDER = ("zone_id", "name", "name_en", "province_code", "province_name", "city", "zone_type", "zone_type_label",
          "sectors", "approved_year", "implementing_body", "plan_document", "plan_date", "year", "data_year",
          "baseline_year", "emissions", "emissions_by_year", "emissions_by_sector", "targets", "measures",
          "removals_by_source", "activity_by_year", "score", "grade", "grade_en", "grade_provisional",
          "coverage_pct", "score_by_dimension", "indicators", "framework", "gates", "outcome", "judgements",
          "highlights", "problems", "recommendations", "dataset", "params", "figures", "generator", "previous", "changes",
          "previous_source", "revisions")


@dataclass
class ZoneResults:
    """A zone's results.json. The typed part is what consumers decide on; the rest is ``extra``."""
    zone_id: str
    name: str
    province_code: str
    zone_type: str
    year: int
    data_year: int
    baseline_year: int
    emissions: Emissions
    targets: list[Target]
    score: float | None
    grade: str | None
    highlights: list[Finding]
    problems: list[Finding]
    recommendations: list[Recommendation]
    judgements: dict[str, Judgement] = field(default_factory=dict)
    previous: dict | None = None
    changes: Changes | None = None
    previous_source: str | None = None
    gates: list[Gate] | None = None  # v3; None: results written before version 3
    outcome: Outcome | None = None  # v3
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> ZoneResults:
        ch = d.get("changes")
        return cls(
            zone_id=d["zone_id"], name=d["name"], province_code=d["province_code"], zone_type=d["zone_type"],
            year=int(d["year"]), data_year=int(d["data_year"]), baseline_year=int(d["baseline_year"]),
            emissions=Emissions.from_dict(d["emissions"]),
            targets=[Target.from_dict(t) for t in d.get("targets") or []],
            score=d.get("score"), grade=d.get("grade"),
            highlights=[Finding.from_dict(f) for f in d.get("highlights") or []],
            problems=[Finding.from_dict(f) for f in d.get("problems") or []],
            recommendations=[Recommendation.from_dict(r) for r in d.get("recommendations") or []],
            judgements={k: Judgement(v) for k, v in (d.get("judgements") or {}).items()},
            previous=d.get("previous"), changes=None if ch is None else Changes.from_dict(ch),
            previous_source=d.get("previous_source"),
            gates=None if d.get("gates") is None else [Gate.from_dict(g) for g in d["gates"]],
            outcome=None if d.get("outcome") is None else Outcome.from_dict(d["outcome"]),
            extra={k: v for k, v in d.items() if k not in _TYPED},
        )

    def to_dict(self) -> dict:
        typed: dict[str, Any] = {
            "zone_id": self.zone_id, "name": self.name, "province_code": self.province_code,
            "zone_type": self.zone_type, "year": self.year, "data_year": self.data_year,
            "baseline_year": self.baseline_year, "emissions": self.emissions.to_dict(),
            "targets": [t.to_dict() for t in self.targets], "score": self.score, "grade": self.grade,
            "highlights": [f.to_dict() for f in self.highlights], "problems": [f.to_dict() for f in self.problems],
            "recommendations": [r.to_dict() for r in self.recommendations],
            "previous": self.previous, "changes": None if self.changes is None else self.changes.to_dict(),
        }
        if self.judgements:
            typed["judgements"] = {k: str(v) for k, v in self.judgements.items()}
        if self.gates is not None:
            typed["gates"] = [g.to_dict() for g in self.gates]
        if self.outcome is not None:
            typed["outcome"] = self.outcome.to_dict()
        if self.previous_source is not None or "previous_source" in self.extra:
            typed["previous_source"] = self.previous_source
        merged = {**self.extra, **typed}
        return {**{k: merged[k] for k in _ORDER if k in merged}, **{k: v for k, v in merged.items() if k not in _ORDER}}

    # -- what consumers ask ---------------------------------------------------------
    def findings(self) -> list[Finding]:
        return self.highlights + self.problems

    def judgement(self, subject: str) -> Judgement | None:
        return self.judgements.get(subject)

    def get(self, key: str, default=None):
        """A key the model does not type (indicators, figures, dataset …), as written."""
        return self.extra.get(key, default)


_TYPED = {"zone_id", "name", "province_code", "zone_type", "year", "data_year", "baseline_year", "emissions",
          "targets", "score", "grade", "highlights", "problems", "recommendations", "judgements", "previous",
          "changes", "previous_source", "gates", "outcome"}


def results_errors(results: dict) -> list[str]:
    """What schemas/results.schema.json finds wrong with ``results`` (empty when valid)."""
    from nzc_report.yamlfile import _validator, schema_path

    v = _validator(str(schema_path("results")))
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


def read_results(path: str | Path, *, validate: bool = True) -> ZoneResults:
    """A zone's results.json, validated against the schema, as the model."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if validate:
        errors = results_errors(data)
        if errors:
            raise ResultsError(f"{path}: results do not follow the contract: " + "; ".join(errors[:5]))
    return ZoneResults.from_dict(data)
