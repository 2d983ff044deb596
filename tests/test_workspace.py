"""Workspaces (nzc-report init, settings, params overlay) and --params in the cache keys."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nzc_report.errors import ConfigError

from nzc_report.batch import Build, BuildOptions
from nzc_report.cli import main
from nzc_report.resources import PARAMS_DIR, use_params
from nzc_report.workspace import EXAMPLE_PARAMS, SETTINGS_FILE, WORKBOOK, find_workspace

TESTS = Path(__file__).parent
TINY = TESTS / "data" / "tiny"


def keys(out: Path, params: Path | None = None, **kw) -> tuple[dict, str]:
    """The zones' keys and the summaries' params digest a build would use (nothing runs)."""
    with use_params(params):
        b = Build(BuildOptions(data=TINY, out=out, year=2019, params=params, **kw))
    return b.keys, b.key_options["params"]


# -- cache keys -----------------------------------------------------------------------------
def test_an_overlay_file_changes_exactly_the_keys_that_read_it(tmp_path):
    overlay = tmp_path / "params"
    (overlay / "zones").mkdir(parents=True)
    base, shared = keys(tmp_path / "o")
    assert keys(tmp_path / "o", overlay) == (base, shared)  # an empty overlay changes nothing

    (overlay / "zones" / "alpha.yaml").write_text("zone_id: alpha\ncontext: 工作区背景。\n", encoding="utf-8")
    own, own_shared = keys(tmp_path / "o", overlay)
    assert own["alpha"] != base["alpha"] and own["beta"] == base["beta"] and own_shared == shared

    shutil.copyfile(PARAMS_DIR / "frameworks" / "near-zero-zone.yaml", overlay / "framework.yaml")  # same content: same keys
    assert keys(tmp_path / "o", overlay) == (own, own_shared)

    text = (PARAMS_DIR / "report.yaml").read_text(encoding="utf-8")
    (overlay / "report.yaml").write_text(text.replace("近零碳排放区示范工程评估组", "某省评估中心"), encoding="utf-8")
    changed, changed_shared = keys(tmp_path / "o", overlay)
    assert changed_shared != shared  # the summaries' keys carry it too
    assert changed["alpha"] != own["alpha"] and changed["beta"] != own["beta"]


def test_workspace_defaults_are_part_of_the_keys_of_zones_that_use_them(tmp_path):
    overlay = tmp_path / "params"
    (overlay / "zones").mkdir(parents=True)
    (overlay / "zones" / "alpha.yaml").write_text("zone_id: alpha\nevaluating_body: 甲评估所\n", encoding="utf-8")
    before, _ = keys(tmp_path / "o", overlay)
    after, _ = keys(tmp_path / "o", overlay, zone_defaults={"evaluating_body": "工作区评估组"})
    assert after["alpha"] == before["alpha"]  # its own file names its evaluating body
    assert after["beta"] != before["beta"]


# -- init and settings ------------------------------------------------------------------------
def test_init_writes_a_workspace(tmp_path, capsys):
    assert main(["init", str(tmp_path / "ws")]) == 0
    ws = tmp_path / "ws"
    for rel in (SETTINGS_FILE, WORKBOOK, EXAMPLE_PARAMS, "README.md"):
        assert (ws / rel).is_file(), rel
    assert "示范区" in (ws / "README.md").read_text(encoding="utf-8")
    settings = find_workspace(ws)
    assert settings.data == ws / WORKBOOK and settings.lang == "zh" and settings.out == ws / "build"
    assert settings.year is None and settings.pdf_variant is None and settings.params == ws / "params"
    assert not (ws / "data" / "sample").exists()

    assert main(["init", str(ws)]) == 2  # never over an existing workspace
    assert "已是工作区" in capsys.readouterr().err


def test_init_sample_holds_the_sample_and_its_params(tmp_path, monkeypatch, capsys):
    assert main(["init", str(tmp_path / "ws"), "--sample"]) == 0
    ws = tmp_path / "ws"
    assert (ws / "data" / "sample" / "meta.csv").read_text(encoding="utf-8").count("示例数据") >= 1
    assert sorted(p.name for p in (ws / "params" / "zones").glob("[!_]*.yaml")) == \
        sorted(p.name for p in (PARAMS_DIR / "zones").glob("*.yaml"))
    monkeypatch.chdir(ws)
    capsys.readouterr()
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "数据集检查通过：31 个区域"


def test_settings_are_read_and_the_command_line_wins(tmp_path, monkeypatch, capsys):
    shutil.copytree(TINY, tmp_path / "ws" / "data")
    (tmp_path / "ws" / SETTINGS_FILE).write_text("data: data\nyear: 2019\nlang: en\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "ws")
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("warning: ")  # lang: en
    assert main(["validate", "--lang", "zh"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("警告：")
    assert main(["validate", "--data", str(tmp_path / "none")]) == 2


def test_the_placeholder_evaluating_body_is_refused_unless_the_sample_is_built(tmp_path, monkeypatch, capsys):
    ws = tmp_path / "ws"
    assert main(["init", str(ws)]) == 0
    shutil.copytree(TINY, ws / "data" / "tiny")
    settings = (ws / SETTINGS_FILE).read_text(encoding="utf-8")
    assert "evaluating_body: 某某评估机构" in settings  # what init writes
    meta = ws / "data" / "tiny" / "meta.csv"  # a real dataset, not the sample
    meta.write_text(re.sub(r"(?m)^is_sample,.*$", "is_sample,false", meta.read_text(encoding="utf-8")), encoding="utf-8")
    settings = re.sub(r"(?m)^data: .*$", "data: data/tiny", settings)
    (ws / SETTINGS_FILE).write_text(settings, encoding="utf-8")
    monkeypatch.chdir(ws)
    capsys.readouterr()
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "nzc-report.yaml" in err and "某某评估机构" in err and "evaluating_body" in err and "Traceback" not in err
    assert main(["build", "--jobs", "1"]) == 2
    assert "某某评估机构" in capsys.readouterr().err and not (ws / "build").exists()
    (ws / SETTINGS_FILE).write_text(settings.replace("某某评估机构", "某省评估中心"), encoding="utf-8")
    assert main(["validate"]) == 0


def test_document_number_and_sign_off_are_workspace_settings(tmp_path):
    (tmp_path / SETTINGS_FILE).write_text(
        "document_number: 浙评〔2025〕12号\nsign_off:\n  prepared_by: {name: 张三, date: 2025-03-20}\n"
        "  reviewed_by:\n  approved_by: {name: 王五}\n", encoding="utf-8")
    ws = find_workspace(tmp_path)
    assert ws.zone_defaults["document_number"] == "浙评〔2025〕12号"
    assert ws.zone_defaults["sign_off"]["prepared_by"] == {"name": "张三", "date": "2025-03-20"}
    (tmp_path / SETTINGS_FILE).write_text("sign_off: {checked_by: 张三}\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        find_workspace(tmp_path)


# -- system requirements -----------------------------------------------------------------------
def test_missing_cjk_fonts_exit_2_saying_what_to_install(tmp_path, monkeypatch, capsys):
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
                    f'<dir>{tmp_path / "no-fonts"}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n',
                    encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    assert subprocess.run(["fc-list", "Noto Sans CJK SC"], capture_output=True, text=True).stdout == ""
    out = tmp_path / "out"
    assert main(["build", "--data", str(TINY), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Noto Sans CJK SC, Noto Serif CJK SC" in err and "apt-get install fonts-noto-cjk" in err
    assert "Traceback" not in err and not out.exists()


# -- a real build in a workspace ---------------------------------------------------------------
@pytest.mark.e2e
def test_build_in_a_workspace_uses_its_params_and_rebuilds_what_changed(tmp_path, monkeypatch, capsys):
    ws = tmp_path / "ws"
    assert main(["init", str(ws)]) == 0
    shutil.copytree(TINY, ws / "data" / "tiny")
    (ws / SETTINGS_FILE).write_text("data: data/tiny\nyear: 2019\nout: reports\nevaluating_body: 某省评估中心\n",
                                    encoding="utf-8")
    alpha = ws / "params" / "zones" / "alpha.yaml"
    alpha.write_text("zone_id: alpha\ncontext: 工作区补充的背景介绍甲一。\n", encoding="utf-8")
    monkeypatch.chdir(ws)
    assert main(["build", "--zones", "alpha", "--jobs", "1"]) == 0
    pdf = ws / "reports" / "2019" / "zones" / "alpha" / "report.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "工作区补充的背景介绍甲一" in text and "某省评估中心" in text

    (ws / "params" / "zones" / "beta.yaml").write_text("zone_id: beta\ncontext: 乙。\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--zones", "alpha", "--jobs", "1"]) == 0
    assert "全部为最新，无需重建" in capsys.readouterr().out  # beta's file is not alpha's input

    alpha.write_text("zone_id: alpha\ncontext: 工作区补充的背景介绍甲二。\n", encoding="utf-8")
    assert main(["build", "--zones", "alpha", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "alpha" in out and "已构建" in out
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "甲二" in text and "甲一" not in text
