"""The command line in-process: exit codes, messages, nothing written on refusal."""
from nzc_report.cli import main


def test_validate_ok(tiny_dir, capsys):
    assert main(["validate", "--data", str(tiny_dir)]) == 0
    assert "数据集检查通过：2 个区域" in capsys.readouterr().out


def test_refused_dataset_exits_2_with_every_problem_and_writes_nothing(tiny_copy, tmp_path, capsys):
    (tiny_copy / "zones.csv").write_text(
        "zone_id,name,province,zone_type,approved_year,baseline_year,sectors\n"
        "Alpha!,甲,广东,town,2017,2015,energy\n"
        "beta,乙,Guangdongg,parc,2018,2016,industry\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--data", str(tiny_copy), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert ("zones.csv:2:zone_id: “Alpha!”不是有效的编号：只能使用小写字母、数字、“-”和“_”，以字母或数字开头，"
            "最多 64 个字符（是否应为“alpha”？）") in lines
    assert "zones.csv:3:province: “Guangdongg”不是省级行政区（是否应为“广东省”？）" in lines
    assert ("zones.csv:3:zone_type: “parc”不是以下取值之一：town, county, new_district, park, community, building, "
            "organisation, transport, mining, agriculture, ecological, industry（是否应为“park”？）") in lines
    assert not out.exists()


def test_unknown_zone_is_a_usage_error(tiny_dir, tmp_path, capsys):
    assert main(["build", "--data", str(tiny_dir), "--zones", "nope", "--out", str(tmp_path / "o")]) == 2
    assert "数据集中没有这些区域：nope" in capsys.readouterr().err


def test_missing_data_path(tmp_path, capsys):
    assert main(["validate", "--data", str(tmp_path / "none"), "--lang", "en"]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["validate", "--data", str(tmp_path / "none")]) == 2
    assert "：不存在" in capsys.readouterr().err


def test_usage_error_exits_2(capsys):
    assert main(["build", "--jobs", "many"]) == 2
