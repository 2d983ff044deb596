"""Every framework a build may assess a zone under (params/frameworks/<id>.yaml), and the choice per zone.

A framework is data (schemas/framework.schema.json, checked by framework.py).
The project ships some; a params overlay (``--params DIR`` or a workspace's
``params/``) adds its own ``frameworks/<id>.yaml`` or replaces one of the same
id. An overlay's ``framework.yaml`` (the version 2 name) replaces the default
framework. A framework with ``base`` is read over that framework (one level).

Each zone is assessed under its ``programme`` (zones.csv), else the build's
``--framework``, else the workspace's ``framework``, else DEFAULT_FRAMEWORK.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nzc_report.assess.framework import Framework, check_framework
from nzc_report.errors import ConfigError, ConfigProblem
from nzc_report.yamlfile import check_file, display_path, document, said

__all__ = ["DEFAULT_FRAMEWORK", "Frameworks", "framework_files", "check_frameworks", "load_frameworks",
           "chosen_framework"]

DEFAULT_FRAMEWORK = "near-zero-zone"
LEGACY_NAME = "framework.yaml"  # version 2: an overlay's framework.yaml replaces the default framework
MAX_FRAMEWORKS = 50


@dataclass(frozen=True)
class Frameworks:
    """The frameworks of a build, by id; ``default`` the one a zone with no choice is assessed under."""

    by_id: dict[str, Framework]
    default: str = DEFAULT_FRAMEWORK

    def ids(self) -> list[str]:
        return sorted(self.by_id)

    def get(self, framework_id: str | None) -> Framework:
        return self.by_id[framework_id or self.default]

    def units(self) -> dict[str, str]:
        """indicator id → unit over every framework (the dataset's ids are checked against it)."""
        out: dict[str, str] = {}
        for fid in self.ids():
            out.update(self.by_id[fid].units())
        return out

    def indicator_catalogue(self) -> list[dict]:
        """The indicators read from indicators.csv (long format): id, names, unit, the frameworks using them."""
        out: dict[str, dict] = {}
        for fw in self:
            for ind in fw.indicators:
                if ind.kind == "indicators":
                    entry = out.setdefault(ind.id, {"id": ind.id, "name_zh": ind.name_zh, "name_en": ind.name_en,
                                                    "unit": ind.unit, "frameworks": []})
                    entry["frameworks"].append(fw.id)
        return list(out.values())

    def __iter__(self):
        return (self.by_id[i] for i in self.ids())


def framework_files(params_dir: Path, overlay: Path | None = None) -> dict[str, Path]:
    """framework id → the file it is read from: params/frameworks/, then the overlay's."""
    files: dict[str, Path] = {}
    for folder in (params_dir, overlay):
        if folder is None:
            continue
        folder = Path(folder)
        for path in sorted((folder / "frameworks").glob("*.yaml")) if (folder / "frameworks").is_dir() else []:
            files[path.stem] = path
        if (folder / LEGACY_NAME).exists():
            files[DEFAULT_FRAMEWORK] = folder / LEGACY_NAME
    return files


def _base_of(path: Path) -> str | None:
    """The ``base`` a file names (read loosely: its full check follows)."""
    try:  # parsed once: check_framework's check_file reads the same text again (yamlfile.document)
        _, raw, _ = document(path.read_text(encoding="utf-8"))
    except Exception:  # the full check reports what is wrong with the file (unreadable, not YAML, over bounds)
        return None
    base = raw.get("base") if isinstance(raw, dict) else None
    return base if isinstance(base, str) else None


def check_frameworks(params_dir: Path, overlay: Path | None = None) -> tuple[Frameworks | None, list[ConfigProblem]]:
    """Every framework and every problem of every framework file (None if there is any)."""
    files = framework_files(params_dir, overlay)
    problems: list[ConfigProblem] = []
    if len(files) > MAX_FRAMEWORKS:
        return None, [ConfigProblem(display_path(Path(overlay or params_dir) / "frameworks"), None,
                                    said("cfg_too_many_frameworks", n=MAX_FRAMEWORKS))]
    bases = {fid: _base_of(path) for fid, path in files.items()}
    loaded: dict[str, Framework] = {}
    # those without a base first, then those over one (one level: a base must have none itself)
    for fid in sorted(files, key=lambda f: (bases[f] is not None, f)):
        base_id = bases[fid]
        if base_id is not None and base_id in files and base_id not in loaded:
            # its base is refused (its problems are listed): this file's own shape only, for now
            problems += check_file(files[fid], "framework").problems
            continue
        base = loaded.get(base_id or "") if base_id is not None and bases.get(base_id) is None else None
        framework, found = check_framework(files[fid], base)
        problems += found
        if framework is None:
            continue
        if files[fid].name != LEGACY_NAME and framework.id != fid:
            problems.append(ConfigProblem(display_path(files[fid]), 1,
                                          said("cfg_framework_id_not_name", id=framework.id, name=fid)))
            continue
        loaded[fid] = framework
    if DEFAULT_FRAMEWORK not in files:
        problems.append(ConfigProblem(display_path(Path(params_dir) / "frameworks"), None,
                                      said("cfg_no_default_framework", id=DEFAULT_FRAMEWORK)))
    if problems:
        return None, problems
    frameworks = Frameworks(loaded)
    clash = _unit_clashes(frameworks)
    return (None, clash) if clash else (frameworks, [])


def _unit_clashes(frameworks: Frameworks) -> list[ConfigProblem]:
    """One indicator id with two units in two frameworks: indicators.csv could not be read for both."""
    seen: dict[str, tuple[str, Framework]] = {}
    out = []
    for fw in frameworks:
        for ind_id, unit in fw.units().items():
            if ind_id in seen and seen[ind_id][0] != unit:
                other = seen[ind_id][1]
                out.append(ConfigProblem(display_path(Path(fw.path)), None,
                                         said("cfg_unit_clash", id=ind_id, unit=unit, other_unit=seen[ind_id][0],
                                              other=display_path(Path(other.path)))))
            seen.setdefault(ind_id, (unit, fw))
    return out


def load_frameworks(params_dir: Path, overlay: Path | None = None) -> Frameworks:
    """Every framework of ``params_dir`` (params/, or a task's copy of it) and ``overlay``
    (ConfigError with every problem, FILE:LINE, if any file is wrong)."""
    frameworks, problems = check_frameworks(Path(params_dir), overlay)
    if frameworks is None:
        raise ConfigError(problems)
    return frameworks


def chosen_framework(zone: dict, option: str | None, workspace: str | None) -> str:
    """The id a zone is assessed under: its programme, else --framework, else the workspace's, else the default."""
    programme = zone.get("programme")
    if isinstance(programme, str) and programme:
        return programme
    return option or workspace or DEFAULT_FRAMEWORK
