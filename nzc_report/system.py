"""What the machine must have besides Python packages, checked at start with what to install.

libharfbuzz-subset is checked by nzc_report.render.pdf (WeasyPrint's own view);
the Chinese fonts the reports are set in are checked here through fontconfig.
"""
from __future__ import annotations

import shutil
import subprocess

from nzc_report.errors import EnvironmentProblem

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC")
CJK_FONTS_MESSAGE = (
    "the Chinese fonts the reports are set in are not installed: {missing}. "
    "Install them (Debian/Ubuntu: apt-get install fonts-noto-cjk; Fedora: dnf install "
    "google-noto-sans-cjk-fonts google-noto-serif-cjk-fonts; macOS: brew install --cask "
    "font-noto-sans-cjk-sc font-noto-serif-cjk-sc), or run `make reports`, which installs them."
)


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
        raise EnvironmentProblem(CJK_FONTS_MESSAGE.format(missing=", ".join(missing)))
