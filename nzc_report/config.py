"""Every shared parameter file checked at once, before a build writes anything.

params/frameworks/*.yaml (every framework; an overlay's framework.yaml replaces the
default one), rules.yaml, significance.yaml, report.yaml and
summary.yaml, each taken from the --params overlay (or the workspace's
params/) where it has its own copy: each against its schema in schemas/,
and against one another (the rules name the framework's indicators and
dimensions, the summary settings the rules' ids). Every problem of every
file is reported at once, FILE:LINE (ConfigError, exit 2), with the schema's
problems of the overlay's zone files when there are any; those are checked in
full with the dataset's zone ids (batch.plan.load_zone_params).
"""
from __future__ import annotations

from pathlib import Path

from nzc_report.assess.frameworks import Frameworks, check_frameworks
from nzc_report.errors import ConfigError, ConfigProblem
from nzc_report.findings import check_rules
from nzc_report.resources import PARAMS_DIR, params_file
from nzc_report.yamlfile import check_file, did_you_mean, placeholders, said

# the placeholders render/significance.py fills (config may not import render: the names are data)
SIGNIFICANCE_PLACEHOLDERS = ("name", "province", "zone_type", "zone_kind", "approved_year", "baseline_year", "domains",
                             "plan", "zone", "programme")

# params/ file → its schema (schemas/<name>.schema.json); framework.yaml: an overlay's replacement of the
# default framework (the project's frameworks are params/frameworks/<id>.yaml, same schema)
SHARED_FILES = {"framework.yaml": "framework", "rules.yaml": "rules", "significance.yaml": "significance",
                "report.yaml": "report", "summary.yaml": "summary"}


def _significance_problems(path: Path) -> list[ConfigProblem]:
    c = check_file(path, "significance")
    for part in ("intro", "intro_programme", "plan"):
        for lang, text in ((c.mapping or {}).get(part) or {}).items():
            with c.part():
                for name in placeholders(text):
                    if name not in SIGNIFICANCE_PLACEHOLDERS:
                        c.add([part, lang], said("cfg_unknown_placeholder", name=name, allowed=said(
                            "cfg_list_sep").join(f"{{{n}}}" for n in SIGNIFICANCE_PLACEHOLDERS),
                            hint=did_you_mean(name, SIGNIFICANCE_PLACEHOLDERS)))
    seen: set[str] = set()
    for i, point in enumerate((c.mapping or {}).get("points") or []):
        with c.part():
            if point["id"] in seen:
                c.add(["points", i, "id"], said("cfg_used_twice", id=point["id"]))
            seen.add(point["id"])
    return c.sorted_problems()


def _summary_problems(path: Path, rules: dict | None) -> list[ConfigProblem]:
    """The summary settings against their schema and, when the rules are sound, the rule ids they name."""
    c = check_file(path, "summary")
    config = c.mapping
    if config is None or rules is None:
        return c.problems
    ids = {r["id"] for kind in ("highlights", "problems") for r in rules[kind]}
    highlights = {r["id"] for r in rules["highlights"]}

    def known(rule_id: str, at: list, allowed: set[str] = ids) -> None:
        if rule_id not in allowed:
            hint = did_you_mean(rule_id, allowed)  # a key names itself
            c.add(at, said("cfg_not_a_rule", hint=hint) if at[-1] == rule_id else
                  said("cfg_id_not_a_rule", id=rule_id, hint=hint))

    with c.part():
        for rule_id in config["findings"]:
            known(rule_id, ["findings", rule_id])
    for key in ("lead", "fold_singletons"):
        with c.part():
            for i, rule_id in enumerate(config.get(key) or []):
                known(rule_id, [key, i])
    for category, items in (config.get("recommendations") or {}).items():
        for i, item in enumerate(items or []):
            with c.part():
                for j, ground in enumerate(item["grounds"]):
                    at = ["recommendations", category, i, "grounds", j]
                    if ground.startswith("without:"):
                        known(ground.removeprefix("without:"), at, highlights)
                    elif ground.startswith("not_done:"):
                        pass  # a subject (mechanism:international): the schema checks its form
                    else:
                        known(ground, at)
    return c.sorted_problems()


def check_shared_params(overlay: Path | None = None) -> tuple[Frameworks | None, list[ConfigProblem]]:
    """Every framework (for the dataset's check) and every problem of every shared params file."""
    frameworks, problems = check_frameworks(PARAMS_DIR, overlay)
    rules = None
    rules_path = params_file("rules.yaml", overlay)
    if frameworks is None:
        rules, found = check_rules(rules_path, None)
        problems += found
    else:  # the rules name indicators and dimensions: of every framework they may be read under
        seen: set = set()
        for fw in frameworks:
            checked, found = check_rules(rules_path, fw)
            rules = checked if fw.id == frameworks.default else rules
            problems += [p for p in found if str(p) not in seen]
            seen |= {str(p) for p in found}
    problems += _significance_problems(params_file("significance.yaml", overlay))
    problems += check_file(params_file("report.yaml", overlay), "report").problems
    problems += _summary_problems(params_file("summary.yaml", overlay), rules)
    return frameworks, problems


def _overlay_zone_file_problems(overlay: Path | None) -> list[ConfigProblem]:
    """The schema's problems with the overlay's own zone files (the rest of their check,
    with the dataset's zone ids, is batch.plan.load_zone_params's)."""
    if overlay is None or not (overlay / "zones").is_dir():
        return []
    return [p for path in sorted((overlay / "zones").glob("*.yaml")) for p in check_file(path, "zone-params").problems]


def load_shared_params(overlay: Path | None = None) -> Frameworks:
    """The frameworks, once every shared params file is found sound; ConfigError otherwise, with
    every problem of every shared file and of the overlay's zone files, all at once."""
    framework, problems = check_shared_params(overlay)
    if problems or framework is None:
        raise ConfigError(problems + _overlay_zone_file_problems(overlay))
    return framework


def indicator_catalogue(overlay: Path | None = None) -> list[dict]:
    """The indicator ids indicators.csv may name, with their labels and frameworks (the workbook's sheet)."""
    from nzc_report.assess.frameworks import load_frameworks

    return load_frameworks(PARAMS_DIR, overlay).indicator_catalogue()


__all__ = ["SHARED_FILES", "check_shared_params", "load_shared_params", "indicator_catalogue"]
