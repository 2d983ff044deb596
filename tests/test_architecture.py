"""Layers point one way: cli → batch → render/notebook → findings/charts → assess → dataset → errors."""
import ast
from pathlib import Path

import nzc_report

PACKAGE = Path(nzc_report.__file__).parent

# room → rooms it may import (besides itself and the leaf modules)
ALLOWED = {
    "errors": set(),
    "resources": set(),
    "atomic": set(),
    "dataset": {"errors", "atomic"},
    "assess": {"dataset", "errors"},
    "findings": {"assess", "dataset", "errors"},
    "summary": {"dataset", "errors"},
    "synth": {"dataset", "errors"},
    "charts": {"assess", "dataset", "errors", "atomic"},
    "render": {"findings", "summary", "charts", "assess", "dataset", "errors", "resources", "atomic"},
    # the warm-kernel template pre-imports (and preloads) what the notebooks use
    "notebook": {"findings", "summary", "charts", "assess", "dataset", "errors", "atomic", "resources"},
    "portal": {"render", "dataset", "errors", "resources", "atomic"},  # the reviewers' site over a build
    "batch": {"portal", "render", "notebook", "findings", "summary", "charts", "assess", "dataset", "errors",
              "resources", "atomic", "system"},
    "cli": {"batch", "assess", "errors", "dataset", "resources", "synth", "workspace", "system"},
    # issue 14: workspaces (settings, init) and the system requirements checked at start
    "workspace": {"dataset", "errors", "resources"},
    "system": {"errors"},
}
# nzc_report/__init__.py holds only the version; yamlfile reads YAML (errors, and resources for schemas/)
LEAVES = {"__init__", "yamlfile"}


def _room(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imported_rooms(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rooms = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for n in names:
            if n.startswith("nzc_report."):
                rooms.add(n.split(".")[1])
    return rooms


def test_layers_point_one_way():
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        room = _room(path)
        if room in ("__init__", "__main__", "yamlfile"):
            continue
        assert room in ALLOWED, f"new room {room}: add it to ALLOWED with its place in the layers"
        for other in _imported_rooms(path) - {room} - LEAVES:
            if other not in ALLOWED[room]:
                violations.append(f"{path.relative_to(PACKAGE)} imports nzc_report.{other}")
    assert not violations, "\n".join(violations)
