"""What the machine must have besides Python packages, checked at start with what to install.

libharfbuzz-subset is checked by nzc_report.render.pdf (WeasyPrint's own view);
the Chinese fonts the reports are set in are checked here through fontconfig.
"""
from __future__ import annotations

import shutil
import subprocess

from nzc_report.errors import EnvironmentProblem
from nzc_report.yamlfile import said

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC")
CJK_FONTS_MESSAGE = "cjk_fonts_missing"  # cli_messages.yaml, in the current language


def installed_families(family: str) -> set[str] | None:
    """The families fontconfig knows under ``family``; None when fontconfig's fc-list is absent."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    out = subprocess.run([fc_list, family, "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def missing_cjk_fonts() -> list[str]:
    missing = []
    for family in CJK_FONTS:
        found = installed_families(family)
        if found is not None and family not in found:
            missing.append(family)
    return missing


def check_cjk_fonts() -> None:
    """EnvironmentProblem (exit 2) saying what to install when a report font is missing."""
    missing = missing_cjk_fonts()
    if missing:
        raise EnvironmentProblem(said(CJK_FONTS_MESSAGE, missing=", ".join(missing)))
