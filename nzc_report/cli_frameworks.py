"""`nzc-report frameworks` and the check of --framework: the frameworks a zone may be assessed under."""
from __future__ import annotations

from pathlib import Path

from nzc_report.errors import UsageError
from nzc_report.messages import say

__all__ = ["list_frameworks", "check_framework_option"]


def _frameworks(params: Path | None):
    from nzc_report.config import load_shared_params

    return load_shared_params(params)


def check_framework_option(framework_id: str, params: Path | None, lang: str | None) -> None:
    """--framework ID names a framework of the project or of the overlay; UsageError with the known ids."""
    frameworks = _frameworks(params)
    if framework_id not in frameworks.by_id:
        raise UsageError(say("unknown_framework", lang, value=framework_id, known=", ".join(frameworks.ids())))


def list_frameworks(params: Path | None, lang: str) -> str:
    """One entry per framework: id, title, kind, zone types, version, source, authority, file."""
    from nzc_report.assess.frameworks import DEFAULT_FRAMEWORK
    from nzc_report.dataset.vocab import ZONE_TYPES
    from nzc_report.yamlfile import display_path

    frameworks = _frameworks(params)
    type_labels = ZONE_TYPES if lang == "zh" else {}
    lines = [say("frameworks_head", lang, n=len(frameworks.ids()), default=DEFAULT_FRAMEWORK)]
    for fw in frameworks:
        source = fw.sources.get(fw.source or "") or {}
        types = (say("frameworks_all_types", lang) if fw.zone_types is None
                 else ("、" if lang == "zh" else ", ").join(type_labels.get(z, z) for z in sorted(fw.zone_types)))
        title = fw.title_en if lang == "en" and fw.title_en else fw.title
        lines.append(say("frameworks_item", lang, id=fw.id, title=title, kind=say(f"frameworks_kind_{fw.kind}", lang),
                         types=types, version=fw.version,
                         source=(source.get("title_en") if lang == "en" else None) or source.get("title") or "—",
                         authority=say(f"frameworks_authority_{fw.authority}", lang),
                         path=display_path(Path(fw.path))))
    return "\n".join(lines)
