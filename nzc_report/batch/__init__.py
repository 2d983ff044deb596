"""Orchestration of a build: validate once, run each zone, render, write the manifest."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nzc_report import __version__
from nzc_report.atomic import write_json
from nzc_report.dataset import Dataset, load_dataset, sha256_file
from nzc_report.errors import NzcError, UsageError, ZoneBuildError
from nzc_report.notebook import execute
from nzc_report.render import check_harfbuzz_subset, render_zone_pdf
from nzc_report.resources import PARAMS_DIR, SAMPLE_DATA_DIR, ZONE_NOTEBOOK

log = logging.getLogger("nzc_report")


@dataclass
class BuildOptions:
    data: Path = SAMPLE_DATA_DIR
    year: int | None = None
    out: Path = Path("build")
    zones: list[str] | None = None
    province: str | None = None
    lang: str = "zh"
    timeout: float = 600
    pdf_variant: str | None = None
    max_file_bytes: int = 50 * 1024 * 1024


@dataclass
class ZoneOutcome:
    zone_id: str
    status: str  # built, failed
    seconds: float
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    year: int
    out_dir: Path
    zones: list[ZoneOutcome]

    @property
    def failed(self) -> list[ZoneOutcome]:
        return [z for z in self.zones if z.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def zone_params(zone_id: str) -> dict:
    path = PARAMS_DIR / "zones" / f"{zone_id}.yaml"
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def select_zones(ds: Dataset, zones: list[str] | None, province: str | None) -> list[str]:
    ids = ds.zone_ids
    if zones:
        unknown = [z for z in zones if z not in ids]
        if unknown:
            raise UsageError(f"--zones: unknown zone(s): {', '.join(unknown)}")
        ids = [z for z in ids if z in zones]
    if province:
        from nzc_report.dataset.provinces import province_code

        code = province_code(province)
        if code is None:
            raise UsageError(f"--province: '{province}' is not a provincial-level division")
        ids = [z for z in ids if ds.zone(z)["province_code"] == code]
    return ids


def build_zone(ds: Dataset, zone_id: str, year: int, zone_dir: Path, options: BuildOptions) -> ZoneOutcome:
    start = time.perf_counter()
    params = {
        "zone_id": zone_id,
        "year": year,
        "data": str(Path(options.data).resolve()),
        "out_dir": str(zone_dir.resolve()),
        "rules": str((PARAMS_DIR / "rules.yaml").resolve()),
        "zone_params": zone_params(zone_id),
        "lang": options.lang,
    }
    try:
        execute(ZONE_NOTEBOOK, zone_dir / "assessment.ipynb", params, zone_id=zone_id,
                timeout=options.timeout, cwd=zone_dir)
        warnings = render_zone_pdf(zone_dir, lang=options.lang, pdf_variant=options.pdf_variant)
    except ZoneBuildError as exc:
        return ZoneOutcome(zone_id, "failed", time.perf_counter() - start, exc.reason)
    except NzcError as exc:
        return ZoneOutcome(zone_id, "failed", time.perf_counter() - start, str(exc))
    for w in warnings:
        log.warning("%s: WeasyPrint: %s", zone_id, w)
    return ZoneOutcome(zone_id, "built", time.perf_counter() - start, warnings=warnings)


def write_manifest(ds: Dataset, result: BuildResult) -> None:
    outputs = []
    for path in sorted(result.out_dir.rglob("*")):
        if path.is_file() and path.name != "manifest.json" and not path.name.startswith("."):
            outputs.append({"path": path.relative_to(result.out_dir).as_posix(), "sha256": sha256_file(path)})
    manifest = {
        "generator": {"name": "nzc-report", "version": __version__},
        "year": result.year,
        "inputs": ds.provenance(),
        "zones": {z.zone_id: {"status": z.status, "seconds": round(z.seconds, 3), "reason": z.reason}
                  for z in result.zones},
        "outputs": outputs,
    }
    write_json(result.out_dir / "manifest.json", manifest)


def build(options: BuildOptions) -> BuildResult:
    ds = load_dataset(options.data, max_file_bytes=options.max_file_bytes, lang=options.lang)  # raises DatasetError before anything is written
    for w in ds.warnings:
        log.warning("%s", w)
    check_harfbuzz_subset()
    from nzc_report.assess import resolve_year

    year = resolve_year(ds, options.year)
    ids = select_zones(ds, options.zones, options.province)
    out_dir = Path(options.out) / str(year)
    outcomes = []
    for zone_id in ids:
        outcome = build_zone(ds, zone_id, year, out_dir / "zones" / zone_id, options)
        level = logging.INFO if outcome.status == "built" else logging.ERROR
        log.log(level, "%s: %s in %.1f s%s", zone_id, outcome.status, outcome.seconds,
                f": {outcome.reason}" if outcome.reason else "")
        outcomes.append(outcome)
    result = BuildResult(year, out_dir, outcomes)
    write_manifest(ds, result)
    return result
