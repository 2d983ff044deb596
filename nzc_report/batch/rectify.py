"""A zone's rectification plan (params/zones/<id>.yaml `rectification`, cli.md v3) checked
against the problems of the previous year before anything runs: an entry whose subject
matches no problem of that year would never reach the report, so it is refused at its
FILE:LINE (ConfigError, exit 2), every such entry at once."""
from __future__ import annotations

from pathlib import Path

from nzc_report.assess.framework import Framework
from nzc_report.dataset import Dataset
from nzc_report.errors import ConfigProblem
from nzc_report.findings.annual import shares_fact
from nzc_report.resources import params_file
from nzc_report.results_model import read_results
from nzc_report.yamlfile import did_you_mean, display_path, key_line, load_with_lines, message_lang, said


def unmatched(plan: list[dict], subjects: list[str]) -> list[int]:
    """The indices of the plan's entries whose subject shares no fact with a problem's subject."""
    return [i for i, x in enumerate(plan) if not any(shares_fact(str(x.get("subject") or ""), s) for s in subjects)]


def previous_subjects(ds: Dataset, zone_id: str, year: int, overlay: Path | None,
                      published: Path | None, zone_params: dict,
                      framework: Framework) -> tuple[list[str], bool]:
    """The claim subjects of the zone's problems of year − 1 (from the published results where
    the build reads them, else recomputed from the dataset as the notebook does, under the zone's
    ``framework``), and whether that year was assessed at all."""
    if published is not None:
        return [p.claim.subject for p in read_results(published).problems if p.claim is not None and p.claim.subject], True
    from nzc_report.findings import load_rules
    from nzc_report.findings.annual import previous_year_results

    rules = load_rules(params_file("rules.yaml", overlay), framework)
    full = previous_year_results(ds, zone_id, year, framework, rules, zone_params=zone_params)
    if full is None:
        return [], False
    return [s for p in full.get("problems") or [] if (s := (p.get("claim") or {}).get("subject"))], True


def rectification_problems(ds: Dataset, zone_ids: list[str], zone_params: dict[str, dict], year: int,
                           overlay: Path | None = None,
                           published: dict[str, Path] | None = None,
                           framework_id: str | None = None) -> list[ConfigProblem]:
    """Every `rectification` entry (of the zones built) whose subject matches no problem of
    year − 1, at its FILE:LINE."""
    from nzc_report.assess.frameworks import chosen_framework, load_frameworks
    from nzc_report.batch.plan import zone_params_path
    from nzc_report.resources import PARAMS_DIR

    out: list[ConfigProblem] = []
    plans = {z: plan for z in zone_ids if (plan := zone_params.get(z, {}).get("rectification") or [])}
    if not plans:
        return out
    frameworks = load_frameworks(PARAMS_DIR, overlay)  # read once, not per zone
    for zone_id, plan in plans.items():
        # the zone's framework as its notebook chooses it: its programme, else --framework, else the default
        framework = frameworks.get(chosen_framework(ds.zone(zone_id), framework_id, None))
        subjects, assessed = previous_subjects(ds, zone_id, year, overlay, (published or {}).get(zone_id),
                                               zone_params[zone_id], framework)
        bad = unmatched(plan, subjects)
        if not bad:
            continue
        path = zone_params_path(zone_id, overlay)
        _, node = load_with_lines(path.read_text(encoding="utf-8"))
        for i in bad:
            subject = str(plan[i].get("subject") or "")
            why = (said("rect_no_previous_year", previous=year - 1) if not assessed else
                   said("rect_unknown_subject", subject=subject, previous=year - 1,
                        subjects="、".join(sorted(set(subjects))) if message_lang() == "zh" else
                        ", ".join(sorted(set(subjects))),
                        hint=did_you_mean(subject, sorted(set(subjects)))))
            out.append(ConfigProblem(display_path(path), key_line(node, ["rectification", i, "subject"]), why))
    return out
