"""The Python API at the package root (issue 31): its docstrings run (doctest), and the notebook
example in docs/ runs from top to bottom in the project's kernel."""
import doctest

import pytest

import nzc_report
from nzc_report import api
from nzc_report.resources import PROJECT_ROOT


def test_the_api_is_at_the_package_root():
    assert nzc_report.build is api.build and nzc_report.load_results is api.load_results
    assert nzc_report.validate is api.validate and nzc_report.explain is api.explain
    with pytest.raises(AttributeError):
        nzc_report.no_such_function  # noqa: B018


def test_the_docstrings_run():
    found = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert found.attempted >= 5 and found.failed == 0


def test_load_results_of_a_file_a_zone_folder_and_a_build(tmp_path):
    import json

    from nzc_report.dataset import load_dataset
    from nzc_report.resources import SAMPLE_DATA_DIR
    from test_results_model import zone_results

    data = zone_results(load_dataset(SAMPLE_DATA_DIR), "gd-nanao", 2024)
    zone = tmp_path / "2024" / "zones" / "gd-nanao"
    zone.mkdir(parents=True)
    (zone / "results.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    loaded = nzc_report.load_results(zone / "results.json")
    assert isinstance(loaded, nzc_report.ZoneResults) and loaded.to_dict() == data
    assert nzc_report.load_results(zone).zone_id == "gd-nanao"
    assert list(nzc_report.load_results(tmp_path / "2024")) == ["gd-nanao"]


@pytest.mark.e2e
def test_the_notebook_example_runs():
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(PROJECT_ROOT / "docs" / "api-example.ipynb", as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="nzc-report").execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "31 zones" in text
