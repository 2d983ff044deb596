"""--compare-to checked before any task runs (issue 27, item 7).

It must be the year folder of a finished build (its manifest.json whole, no
build running or killed there) of the year before, and not the folder being
built. Every published zone results.json in it is read and checked (JSON, its
zone, its year, the results contract through results_model, and the keys the
`previous` block reads) before anything runs;
the first that fails refuses the build, exit 2, naming the file.
"""
from __future__ import annotations

import json
from pathlib import Path

from nzc_report.batch import manifest as mf
from nzc_report.batch.lock import holder
from nzc_report.errors import UsageError
from nzc_report.results_model import ZoneResults, results_errors
from nzc_report.yamlfile import said


def _refuse(folder: Path, why: str) -> UsageError:
    return UsageError(said("cmp_refused", folder=folder, why=why))


def check_finished(folder: Path, year_dir: Path, year: int) -> None:
    """``folder`` is a finished build of ``year`` − 1, not ``year_dir`` (nor in it, nor holding it)."""
    here, there = year_dir.resolve(), folder.resolve()
    if there == here or here in there.parents or there in here.parents:
        raise _refuse(folder, said("cmp_is_target", target=year_dir, previous=year - 1))
    manifest_path = folder / mf.MANIFEST
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
    except OSError:
        raise _refuse(folder, said("cmp_no_manifest", manifest=mf.MANIFEST)) from None
    except ValueError as exc:
        raise _refuse(folder, said("cmp_manifest_not_json", path=manifest_path, error=exc)) from None
    problems = mf.shape_problems(data)
    if problems:
        raise _refuse(folder, said("cmp_manifest_shape", path=manifest_path, problem=problems[0]))
    running = holder(folder)
    if running is not None:
        raise _refuse(folder, said("cmp_running", holder=running))
    if (folder / mf.JOURNAL).exists() or data.get(mf.PLANNED):
        raise _refuse(folder, said("cmp_unfinished"))
    if data.get("year") != year - 1:
        raise _refuse(folder, said("cmp_wrong_year", found=data.get("year"), previous=year - 1, year=year))


def published_results(folder: Path, zone_ids: list[str], year: int) -> dict[str, Path]:
    """zone → its published results.json in ``folder``, each one read and checked."""
    from nzc_report.findings.annual import previous_block

    found = {}
    for z in zone_ids:
        path = folder / "zones" / z / "results.json"
        if not path.is_file():
            continue
        try:
            results = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(said("cmp_unreadable", path=path, error=exc)) from None
        if not isinstance(results, dict):
            raise UsageError(said("cmp_not_object", path=path, kind=type(results).__name__))
        if results.get("zone_id") != z or results.get("year") != year - 1:
            raise UsageError(said("cmp_other_zone", path=path, zone=repr(results.get("zone_id")),
                                  found=repr(results.get("year")), expected_zone=repr(z), previous=year - 1))
        errors = results_errors(results)
        if errors:
            raise UsageError(said("cmp_not_ours", path=path, error=errors[0])) from None
        try:
            previous_block(ZoneResults.from_dict(results).to_dict())
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise UsageError(said("cmp_not_ours", path=path, error=exc)) from None
        found[z] = path
    return found
