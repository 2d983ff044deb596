"""Reading the project's YAML files (framework, rules) with errors a user can act on."""
from __future__ import annotations

import math
from pathlib import Path

import yaml

from nzc_report.errors import UsageError


def read_yaml(path: str | Path, what: str):
    """The parsed content of ``path``; UsageError naming ``what`` if it is missing or not YAML.

    Every number in it must be finite: ``.inf``, ``.nan`` or ``1.0e+400`` (a weight, a
    threshold) is refused at its FILE:LINE, so that no figure of a report is computed from it.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{what} {path}: no such file")
    try:
        text = path.read_text(encoding="utf-8")
        problems = [f"{path}:{line}: {what}: {value!r} is not a finite number"
                    for line, value in _non_finite_numbers(yaml.compose(text, Loader=yaml.SafeLoader))]
        if problems:
            raise UsageError("\n".join([*problems, f"{what} refused: {len(problems)} problem(s)"]))
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{what} {path}: not valid YAML: {exc}") from None


def _non_finite_numbers(node):
    """(line, text) of every float scalar that is infinite or NaN, in document order."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:float" and \
                not math.isfinite(yaml.SafeLoader("").construct_yaml_float(node)):
            yield node.start_mark.line + 1, node.value
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _non_finite_numbers(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _non_finite_numbers(key)
            yield from _non_finite_numbers(value)
