"""End to end: the real `build` of sample zones (the session's sample build, see conftest.py),
through a real Jupyter kernel, with the PDFs read back by poppler and pypdf."""
import json

import pytest

from pdftools import pdffonts, pdftotext
from samplebuild import SAMPLE_BUILD_ZONES

pytestmark = pytest.mark.e2e

ZONES = list(SAMPLE_BUILD_ZONES)  # in Zhejiang
HEADINGS = ["一、重要意义", "二、进展情况", "三、存在的问题", "四、政策建议"]


@pytest.fixture(scope="module")
def built(sample_build):
    return sample_build.year_dir, sample_build


def test_every_zone_has_its_three_outputs(built):
    year_dir, _ = built
    for z in ZONES:
        d = year_dir / "zones" / z
        assert (d / "report.pdf").stat().st_size > 10_000
        assert (d / "results.json").is_file()
        nb = json.loads((d / "assessment.ipynb").read_text(encoding="utf-8"))
        # the working paper is the executed notebook: its code cells ran and have outputs
        executed = [c for c in nb["cells"] if c["cell_type"] == "code" and c["execution_count"]]
        assert len(executed) >= 5
        assert any(c["outputs"] for c in executed)


def test_results_json_has_the_spec_keys(built):
    year_dir, _ = built
    r = json.loads((year_dir / "zones" / "zj-cixi-transport" / "results.json").read_text(encoding="utf-8"))
    for key in ["zone_id", "name", "province_code", "zone_type", "year", "data_year", "baseline_year",
                "emissions", "targets", "score", "grade", "highlights", "problems", "recommendations"]:
        assert key in r
    assert r["name"] == "慈溪市交通集团有限公司" and r["province_code"] == "330000"
    assert set(r["emissions"]) >= {"baseline_net_tco2e", "net_tco2e", "gross_tco2e", "removals_tco2e",
                                   "net_reduction_pct"}
    for t in r["targets"]:
        assert t["status"] in {"on_track", "at_risk", "off_track", "achieved", "missed", "no_data"}


@pytest.mark.parametrize("zone", ZONES)
def test_pdf_has_the_four_parts_in_chinese(built, zone):
    year_dir, _ = built
    text = pdftotext(year_dir / "zones" / zone / "report.pdf")
    for h in HEADINGS:
        assert h in text
    assert "近零碳排放区示范工程" in text
    assert "示例数据" in text  # sample figures are labelled as such
    assert "\ufffd" not in text


@pytest.mark.parametrize("zone", ZONES)
def test_every_font_is_embedded_and_cjk(built, zone):
    year_dir, _ = built
    fonts = pdffonts(year_dir / "zones" / zone / "report.pdf")
    assert fonts
    for f in fonts:
        assert f["emb"] == "yes" and f["sub"] == "yes", f
        assert "CJK-SC" in f["name"], f  # never a JP face or DejaVu fallback


def test_weasyprint_logged_no_warning(built):
    """Nor matplotlib, nor a Python warning (the CLI's log, as a user sees it)."""
    _, build = built
    for noise in ("WeasyPrint", "matplotlib", "Warning:"):
        assert noise not in build.stderr, build.stderr


@pytest.mark.parametrize("zone", ZONES)
def test_the_kernel_drew_the_charts_without_a_warning(built, zone):
    """The charts are drawn in the kernel: its warnings are in the working paper's stderr."""
    year_dir, _ = built
    nb = json.loads((year_dir / "zones" / zone / "assessment.ipynb").read_text(encoding="utf-8"))
    stderr = "".join("".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
                     for o in c.get("outputs", []) if o.get("name") == "stderr")
    assert "Warning" not in stderr and "findfont" not in stderr, stderr


def test_manifest_lists_the_outputs(built):
    year_dir, _ = built
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["zones"]) == set(ZONES)
    for z in ZONES:
        entry = manifest["zones"][z]
        assert entry["status"] == "built" and entry["parameters"]["zone_id"] == z
        assert f"zones/{z}/report.pdf" in {o["path"] for o in entry["outputs"]}
    # --zones restricts: the provinces touched get a summary, the nation does not
    assert set(manifest["summaries"]) == {"provinces/330000"}
    for uid in manifest["summaries"]:
        assert (year_dir / uid / "summary.pdf").is_file()
