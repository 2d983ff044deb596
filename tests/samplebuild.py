"""The session's one build of sample zones (the sample_build fixture of conftest.py): which zones, and what a test gets."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The sample zones of the session's one sample build (see sample_build). Chosen for what the
# tests that read it check: a zone without targets or plan (zj-qiaonan), one whose emissions
# rose (zj-huangyan-mould), and a transport organisation with staged targets (zj-cixi-transport,
# for the 本区 and recommendation wording, and the milestones). One province (Zhejiang): its
# provincial summary and the portal, and no national summary (--zones restricts).
SAMPLE_BUILD_ZONES = ("zj-qiaonan", "zj-huangyan-mould", "zj-cixi-transport")
# Fixed, not the machine's core count: the same build on a laptop and on CI.
SAMPLE_BUILD_JOBS = 2


@dataclass(frozen=True)
class SampleBuild:
    """The session's build of SAMPLE_BUILD_ZONES: its year folder (read-only) and what the CLI printed."""

    year_dir: Path
    zones: tuple[str, ...]
    stdout: str
    stderr: str

    def zone(self, zone_id: str) -> Path:
        return self.year_dir / "zones" / zone_id
