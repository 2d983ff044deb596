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
    # the digests that need no dataset (pandas): verify reads them too
    "digests": set(),
    # results.json as one typed model (issue 25 item 3): below every room that reads or writes it
    "results_model": {"atomic", "errors"},
    "dataset": {"errors", "atomic", "digests"},
    "assess": {"dataset", "errors"},
    "findings": {"results_model", "assess", "dataset", "errors"},
    # assess: the default framework's id, to name the principal framework (issue 30)
    "summary": {"results_model", "assess", "dataset", "errors"},
    "synth": {"dataset", "errors"},
    "charts": {"assess", "dataset", "errors", "atomic"},
    "render": {"results_model", "findings", "summary", "charts", "assess", "dataset", "errors", "resources", "atomic"},
    # the warm-kernel template pre-imports (and preloads) what the notebooks use, the kernels'
    # narrative and its message catalogues (render) included: render never imports notebook
    "notebook": {"results_model", "findings", "summary", "charts", "render", "assess", "dataset", "errors", "atomic",
                 "resources"},
    # the reviewers' site over a build (its figures defined once, in summary/statistics.py, as the PDFs')
    "portal": {"results_model", "render", "summary", "dataset", "errors", "resources", "atomic"},
    "batch": {"results_model", "config", "portal", "render", "notebook", "findings", "summary", "charts", "assess",
              "dataset", "errors", "resources", "atomic", "system", "messages", "digests"},
    "cli": {"config", "batch", "assess", "errors", "dataset", "resources", "synth", "workspace", "system",
            "cli_checks", "messages", "cli_frameworks"},
    # issue 30: `nzc-report frameworks` and the check of --framework
    "cli_frameworks": {"config", "assess", "dataset", "errors", "messages"},
    # issue 26: every command-line value checked before anything is read or written
    "cli_checks": {"dataset", "errors", "messages"},
    # issue 31: the command line's sentences (cli_messages.yaml), Chinese first, for cli and batch
    "messages": set(),
    # issue 31: the Python API at the package root (nzc_report.build, validate, explain, load_results)
    "api": {"batch", "config", "dataset", "results_model", "resources", "system", "errors"},
    # issue 14: workspaces (settings, init) and the system requirements checked at start
    "workspace": {"dataset", "errors", "resources", "config"},  # config: the frameworks' indicators (issue 30)
    "system": {"errors"},
    # every shared params file checked at once against its schema and the others (issue 14)
    "config": {"assess", "findings", "errors", "resources"},
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


def _module_name(path: Path, package_dir: Path) -> str:
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, here: str, modules: set[str]) -> set[str]:
    """The package's modules ``path`` imports, at the top or inside a function alike
    (``from a import b`` counts as importing a.b where b is a module)."""
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[:len(package.split(".")) - node.level + 1], *filter(None, [base])])
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names}
    return {m for m in found if m in modules and m != here}


def import_cycles(package_dir: Path) -> list[list[str]]:
    """Every cycle of imports between the modules of ``package_dir`` (Tarjan's strongly connected components)."""
    paths = {_module_name(p, package_dir): p for p in sorted(package_dir.rglob("*.py"))}
    graph = {m: sorted(_imported_modules(p, m, set(paths))) for m, p in paths.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(m: str) -> None:
        index[m] = low[m] = len(index)
        stack.append(m)
        for n in graph[m]:
            if n not in index:
                visit(n)
                low[m] = min(low[m], low[n])
            elif n in stack:
                low[m] = min(low[m], index[n])
        if low[m] == index[m]:
            component = []
            while True:
                n = stack.pop()
                component.append(n)
                if n == m:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for m in graph:
        if m not in index:
            visit(m)
    return cycles


def test_no_module_imports_itself_through_others():
    """assess/framework.py ↔ assess/indicators.py was one (issue 14): a function-level import hides a cycle too."""
    assert import_cycles(PACKAGE) == []


def test_the_cycle_check_finds_a_cycle(tmp_path):
    pkg = tmp_path / "nzc_report"
    (pkg / "assess").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "assess" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "assess" / "framework.py").write_text(
        "def load():\n    from nzc_report.assess.indicators import FORMULAS\n", encoding="utf-8")
    (pkg / "assess" / "indicators.py").write_text("from .framework import load\n", encoding="utf-8")
    assert import_cycles(pkg) == [["nzc_report.assess.framework", "nzc_report.assess.indicators"]]
