"""pyproject.toml and environment.yml list the same packages with the same minimums."""
import re
import tomllib

import yaml


def _normalise(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    name = m[1].lower().replace("_", "-")
    return name, m[2].replace(" ", "")


def test_environment_yml_matches_pyproject(project_root):
    pyproject = tomllib.loads((project_root / "pyproject.toml").read_text())
    project = pyproject["project"]
    pip_side = dict(_normalise(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])

    env = yaml.safe_load((project_root / "environment.yml").read_text())
    conda_side = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, spec = _normalise(dep)
            if name not in ("python", "pip"):
                conda_side[name] = spec
    assert conda_side == pip_side


def test_python_version_agrees(project_root):
    pyproject = tomllib.loads((project_root / "pyproject.toml").read_text())
    env = yaml.safe_load((project_root / "environment.yml").read_text())
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert pythons == ["python" + pyproject["project"]["requires-python"]]


def test_weasyprint_minimum_is_69(project_root):
    deps = tomllib.loads((project_root / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "weasyprint>=69" in deps
