"""manifest.json: inputs, parameters, versions, outputs and their sha256; and verify."""
from __future__ import annotations

import json
import platform
import subprocess
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Any

from nzc_report import __version__
from nzc_report.atomic import write_json
from nzc_report.batch.cited import cited_problems
from nzc_report.batch.pages_stale import stale_pages
from nzc_report.digests import sha256_file
from nzc_report.resources import PROJECT_ROOT
from nzc_report.yamlfile import said

MANIFEST = "manifest.json"


class BuildStatus(StrEnum):
    """A task's status: in the manifest's entries ("status", "report_status") and the closing table.
    A StrEnum: it is written, and compares, as the contract's word."""
    BUILT = "built"
    UP_TO_DATE = "up_to_date"
    FAILED = "failed"
    NOT_YET_APPROVED = "not_yet_approved"  # a zone approved after the assessment year: not assessed (closing table)

VERSIONED_PACKAGES = ["papermill", "nbclient", "ipykernel", "pandas", "matplotlib", "seaborn", "weasyprint",
                      "jinja2", "pyyaml"]


def _status(value: object) -> BuildStatus | None:
    """A status word as the enum; None for none, or one nzc-report does not write (not built)."""
    return BuildStatus(value) if isinstance(value, str) and value in BuildStatus._value2member_map_ else None


@dataclass(frozen=True)
class Output:
    """A file an entry made: its path from the year folder, sha256, size and mtime as written."""
    path: str
    sha256: str
    bytes: int | None = None
    mtime_ns: int | None = None

    @classmethod
    def of(cls, d: dict) -> Output:
        return cls(str(d["path"]), str(d["sha256"]), d.get("bytes"), d.get("mtime_ns"))


@dataclass(frozen=True)
class Entry:
    """One task's manifest entry (a zone, a summary, the ranking, the portal), typed. A zone's entry
    holds its notebook's fields and its report's (``report_*``); ``parts`` splits them."""
    status: BuildStatus | None
    key: str | None = None
    outputs: tuple[Output, ...] = ()
    reason: str | None = None
    kind: str | None = None
    inputs: dict[str, str] | None = None  # path → sha256 of each file it was made from
    key_parts: dict | None = None  # why it is stale next time (explain.py)
    report_status: BuildStatus | None = None
    report_key: str | None = None
    report_inputs: dict[str, str] | None = None
    page_inputs: dict[str, list[str]] | None = None  # the portal: page → the files it shows
    data_sha256: str | None = None  # a zone: the digest of its data its notebook ran on (item 8)

    @classmethod
    def of(cls, d: dict | None) -> Entry | None:
        if not isinstance(d, dict) or not d:
            return None

        def digests(v: object) -> dict[str, str] | None:
            return v if isinstance(v, dict) else None
        return cls(_status(d.get("status")), d.get("key"), tuple(Output.of(o) for o in d.get("outputs") or []),
                   d.get("reason"), d.get("kind"), digests(d.get("inputs")),
                   d.get("key_parts") if isinstance(d.get("key_parts"), dict) else None,
                   _status(d.get("report_status")), d.get("report_key"), digests(d.get("report_inputs")),
                   d.get("page_inputs") if isinstance(d.get("page_inputs"), dict) else None,
                   d.get("data_sha256") if isinstance(d.get("data_sha256"), str) else None)

    @property
    def built(self) -> bool:
        return self.status == BuildStatus.BUILT

    def parts(self) -> tuple[Entry, Entry]:
        """A zone's entry split into its notebook's part and its report's, each with its own
        outputs (the entry lists them all, so that `verify` covers them)."""
        notebook = tuple(o for o in self.outputs if Path(o.path).name != REPORT_FILE)
        report = tuple(o for o in self.outputs if Path(o.path).name == REPORT_FILE)
        return (Entry(self.status, self.key, notebook), Entry(self.report_status, self.report_key, report))


@dataclass(frozen=True)
class Planned:
    """An output a build listed before writing it; struck off once decided (verify names those left)."""
    paths: tuple[str, ...]
    began: str = "?"
    reason: str | None = None  # why OUT/ refused it, when the build ended and could not write it


@dataclass(frozen=True)
class Stamp:
    """What an identical build may skip (uptodate.py): its stamp and the zones and summaries it covers."""
    stamp: str
    zones: tuple[str, ...]
    summaries: tuple[str, ...]


@dataclass
class Manifest:
    """manifest.json as read (normalised, the journal laid over it), typed. ``data``: the JSON
    object itself, which a build copies from and writes back through write_manifest."""
    data: dict[str, Any]

    @classmethod
    def read(cls, year_dir: Path) -> Manifest:
        return cls(read_manifest(year_dir))

    @classmethod
    def load(cls, path: Path) -> Manifest:
        return cls(load(path))

    @property
    def year(self) -> int | None:
        year = self.data.get("year")
        return year if isinstance(year, int) else None

    def entries(self, unit: str) -> dict[str, Entry]:
        return {uid: e for uid, d in (self.data.get(unit) or {}).items() if (e := Entry.of(d)) is not None}

    def entry(self, unit: str, uid: str) -> Entry | None:
        return Entry.of((self.data.get(unit) or {}).get(uid))

    @property
    def planned(self) -> dict[str, Planned]:
        return {uid: Planned(tuple(str(p) for p in item["paths"]), str(item.get("began", "?")), item.get("reason"))
                for uid, item in (self.data.get(PLANNED) or {}).items()}

    @property
    def stamps(self) -> list[Stamp]:
        return [Stamp(str(d["stamp"]), tuple(d.get("zones") or ()), tuple(d.get("summaries") or ()))
                for d in self.data.get("up_to_date") or [] if isinstance(d, dict) and d.get("stamp")]


# What each task brought back, one JSON line per task ({"unit", "id", "entry"}), appended while
# a build runs: a killed build loses nothing done, and the build writes manifest.json once at
# its start and once at its end instead of after every task (which cost O(n²): 27 s over a
# 300-zone build). read_manifest lays the lines over manifest.json; write_manifest folds them in.
JOURNAL = ".manifest-journal.jsonl"


UNITS = ("zones", "summaries", "ranking", "portal")  # the parts of a manifest whose entries list outputs
# What a build will write, listed before it writes any: id → {"paths": [...], "began": ...}; each
# item is struck off (a journal line) as it is decided, so that after a kill verify names what
# the build did not finish. "inputs" of an entry: path → sha256 of each file it was made from.
PLANNED = "planned"
REPORT_FILE = "report.pdf"  # a zone's PDF: its report task's output; the rest, its notebook's


def _output_ok(o: object) -> bool:
    return isinstance(o, dict) and isinstance(o.get("path"), str) and isinstance(o.get("sha256"), str)


def shape_problems(data: object) -> list[str]:
    """What makes ``data`` not a manifest of nzc-report's shape (empty when it is one)."""
    if not isinstance(data, dict):
        return [said("mf_not_object", kind=type(data).__name__)]
    problems = []
    for unit in UNITS:
        entries = data.get(unit, {})
        if not isinstance(entries, dict):
            problems.append(said("mf_unit_not_object", unit=unit, kind=type(entries).__name__))
            continue
        for uid, entry in entries.items():
            if not isinstance(entry, dict) or not isinstance(entry.get("outputs", []), list) \
                    or not all(_output_ok(o) for o in entry.get("outputs", [])):
                problems.append(said("mf_bad_entry", unit=unit, entry=uid))
    return problems


def normalised(data: object) -> dict[str, Any]:
    """``data`` as a manifest: what is not of the shape nzc-report writes is left out (its outputs
    are then rebuilt), never read as if it were (a list where an object belongs...)."""
    if not isinstance(data, dict):
        return {}
    manifest = dict(data)
    for unit in UNITS:
        entries = manifest.get(unit)
        if unit in manifest and not isinstance(entries, dict):
            del manifest[unit]
        elif isinstance(entries, dict):
            manifest[unit] = {str(uid): entry for uid, entry in entries.items() if isinstance(entry, dict)
                              and isinstance(entry.get("outputs", []), list)
                              and all(_output_ok(o) for o in entry.get("outputs", []))}
    planned = manifest.get(PLANNED)
    if PLANNED in manifest:
        manifest[PLANNED] = {str(k): v for k, v in planned.items() if isinstance(v, dict)
                             and isinstance(v.get("paths"), list)} if isinstance(planned, dict) else {}
    if not isinstance(manifest.get("up_to_date", []), list):
        del manifest["up_to_date"]
    if not isinstance(manifest.get("timings", {}), dict):
        del manifest["timings"]
    return manifest


def load(path: Path) -> dict[str, Any]:
    """manifest.json of the shape nzc-report writes, or {} (a damaged manifest only means
    everything is rebuilt)."""
    try:
        return normalised(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def read_manifest(year_dir: Path) -> dict[str, Any]:
    """manifest.json with the entries of a killed build's journal over it."""
    return with_journal(load(year_dir / MANIFEST), year_dir)


def with_journal(manifest: dict[str, Any], year_dir: Path) -> dict[str, Any]:
    """``manifest`` with the entries of ``year_dir``'s journal (a killed build's last tasks) laid over it."""
    for unit, uid, entry in journal_entries(year_dir):
        if unit == PLANNED:  # a planned output decided (built, failed or found up to date)
            if isinstance(manifest.get(PLANNED), dict):
                manifest[PLANNED].pop(uid, None)
            continue
        if not isinstance(manifest.get(unit), dict):
            manifest[unit] = {}
        manifest[unit][uid] = entry
    return manifest


def journal_entries(year_dir: Path) -> list[tuple[str, str, dict]]:
    """The journal's entries in order; a line cut short by a kill is left out."""
    try:
        lines = (year_dir / JOURNAL).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            item = json.loads(line)
            unit, uid, entry = str(item["unit"]), str(item["id"]), item["entry"]
        except (ValueError, KeyError, TypeError):
            continue
        if unit == PLANNED or (unit in UNITS and normalised({unit: {uid: entry}}).get(unit)):
            entries.append((unit, uid, dict(entry)))
    return entries


def append_entry(year_dir: Path, unit: str, uid: str, entry: dict) -> None:
    """Records one task's manifest entry in the journal (one line, flushed)."""
    year_dir.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"unit": unit, "id": uid, "entry": entry}, ensure_ascii=False, allow_nan=False)
    with open(year_dir / JOURNAL, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, timeout=5).stdout.strip()
    return out.stdout.strip() + ("-dirty" if dirty else "")


def versions() -> dict:
    v = {"nzc-report": __version__, "python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            v[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return v


def output_entries(year_dir: Path, paths: list[Path]) -> list[dict]:
    out = []
    for p in sorted(paths):
        if p.is_file():
            st = p.stat()
            out.append({"path": p.relative_to(year_dir).as_posix(), "sha256": sha256_file(p),
                        "bytes": st.st_size, "mtime_ns": st.st_mtime_ns})
    return out


def outputs_of(folder: Path) -> list[Path]:
    """The files a zone or summary produced (hidden temporaries excluded)."""
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]


def write_manifest(year_dir: Path, manifest: dict) -> None:
    """manifest.json, atomically; the journal it now holds is removed."""
    write_json(year_dir / MANIFEST, manifest)
    (year_dir / JOURNAL).unlink(missing_ok=True)


def verify(out: Path) -> tuple[list[str], int]:
    """Recomputes every recorded sha256; returns (problems, files checked)."""
    manifests = sorted(Path(out).glob(f"*/{MANIFEST}"))
    if not manifests:
        return [said("verify_no_manifest", out=out)], 0
    problems, checked = [], 0
    for m in manifests:
        try:
            data = json.loads(m.read_text(encoding="utf-8"))
        except ValueError as exc:
            problems.append(said("verify_bad_json", path=m, error=exc))
            continue
        shape = shape_problems(data)
        problems += [said("verify_bad_shape", path=m, problem=p) for p in shape]
        manifest = Manifest(with_journal(normalised(data), m.parent))
        problems += _unfinished(m.parent, manifest)
        for o in (o for unit in UNITS for e in manifest.entries(unit).values() for o in e.outputs):
            p = m.parent / o.path
            checked += 1
            if not p.is_file():
                problems.append(said("verify_missing", path=p))
            elif sha256_file(p) != o.sha256:
                problems.append(said("verify_changed", path=p))
        problems += _stale(m.parent, manifest)
        problems += cited_problems(m.parent, manifest.data)  # item 8: the data digests outputs cite
    return problems, checked


def _unfinished(year_dir: Path, manifest: Manifest) -> list[str]:
    """A build running there now, or the outputs a build planned and did not finish (killed)."""
    from nzc_report.batch.lock import holder

    running = holder(year_dir)
    if running is not None:
        return [said("verify_building", dir=year_dir, holder=running)]
    problems = []
    for uid, item in sorted(manifest.planned.items()):
        for rel in item.paths:
            p = year_dir / rel
            shown = f"{p}/" if rel.endswith("/") else str(p)  # a folder: every file in it
            state = said("verify_state_missing" if not p.exists() else "verify_state_may_be_stale")
            if item.reason:
                problems.append(said("verify_not_written", path=shown, state=state, reason=item.reason))
                continue
            problems.append(said("verify_not_finished", path=shown, state=state, began=item.began, uid=uid))
    return problems


def _stale(year_dir: Path, manifest: Manifest) -> list[str]:
    """Outputs made from inputs that changed since (a report older than its results...)."""
    problems = []
    for unit in UNITS:
        for uid, entry in sorted(manifest.entries(unit).items()):
            for inputs, made in ((entry.inputs, [o.path for o in entry.outputs]),
                                 (entry.report_inputs, [o.path for o in entry.parts()[1].outputs])):
                if inputs is None or not made:
                    continue
                if entry.page_inputs is not None and inputs is entry.inputs:  # the portal: each page by name
                    problems += stale_pages(year_dir, {"inputs": inputs, "page_inputs": entry.page_inputs},
                                            sha256_file)
                    continue
                changed = sorted(rel for rel, digest in inputs.items()
                                 if not (year_dir / rel).is_file() or sha256_file(year_dir / rel) != digest)
                if changed:
                    what = made[0] if len(made) == 1 else said("verify_files_of", unit=unit, uid=uid, n=len(made))
                    problems.append(said("verify_stale", path=year_dir / what, inputs=", ".join(changed)))
    return problems


def digests(year_dir: Path, rels: list[str]) -> dict[str, str]:
    """path → sha256 of each of ``rels`` that is a file of ``year_dir`` (what an output is made from)."""
    return {rel: sha256_file(year_dir / rel) for rel in sorted(rels) if (year_dir / rel).is_file()}
