"""Reading the project's YAML files (framework, rules) with errors a user can act on."""
from __future__ import annotations

from pathlib import Path

import yaml

from nzc_report.errors import UsageError


def read_yaml(path: str | Path, what: str):
    """The parsed content of ``path``; UsageError naming ``what`` if it is missing or not YAML."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{what} {path}: no such file")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise UsageError(f"{what} {path}: not valid YAML: {exc}") from None
