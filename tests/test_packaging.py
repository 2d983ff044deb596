"""pyproject.toml and environment.yml list the same packages with the same minimums, under
conda-forge's names; the run environment holds no test tool and installs the package without a
checkout; the test tools are in environment-test.yml."""
import re
import tomllib

import yaml

# PyPI name → conda-forge's, where they differ (conda-forge keeps the underscore of jupyter_client)
CONDA_FORGE_NAMES = {"jupyter-client": "jupyter_client", "types-PyYAML": "types-pyyaml"}


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    assert m, req
    return m[1], m[2].replace(" ", "")


def _conda(path) -> dict[str, str]:
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    return dict(_split(d) for d in env["dependencies"] if isinstance(d, str) and d not in ("pip",)
                and not d.startswith("python"))


def _pypi(reqs: list[str]) -> dict[str, str]:
    return {CONDA_FORGE_NAMES.get(name, name.lower()): spec for name, spec in map(_split, reqs)}


def test_environment_yml_has_the_run_dependencies_under_conda_forge_names(project_root):
    project = tomllib.loads((project_root / "pyproject.toml").read_text())["project"]
    assert _conda(project_root / "environment.yml") == _pypi(project["dependencies"])


def test_the_test_tools_are_in_the_optional_file(project_root):
    project = tomllib.loads((project_root / "pyproject.toml").read_text())["project"]
    assert _conda(project_root / "environment-test.yml") == _pypi(project["optional-dependencies"]["test"])


def test_the_package_is_installed_without_a_checkout(project_root):
    env = yaml.safe_load((project_root / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    version = tomllib.loads((project_root / "pyproject.toml").read_text())["project"]["version"]
    assert f"nzc-report=={version}" in pip
    assert not any(p.startswith("-e") or p in (".", "./") for p in pip)


def test_python_version_agrees(project_root):
    pyproject = tomllib.loads((project_root / "pyproject.toml").read_text())
    env = yaml.safe_load((project_root / "environment.yml").read_text())
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert pythons == ["python" + pyproject["project"]["requires-python"]]


def test_weasyprint_minimum_is_69(project_root):
    deps = tomllib.loads((project_root / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "weasyprint>=69" in deps
