"""Hostile configuration files (issue 26): every YAML bounded while it is parsed, text fields
free of control characters, params files where they belong, placeholders that reach no
attribute. Each refusal is exit 2 with FILE:LINE, no traceback; bombs are made here."""
import os
import time

import pytest

from nzc_report.cli import main
from nzc_report.render.significance import zone_significance
from nzc_report.resources import PARAMS_DIR
from nzc_report.yamlfile import bounds, check_file, fill, placeholders
from nzc_report.yamlfile import speaking


@pytest.fixture(autouse=True)
def _english():
    """The problems read here in English (the library's own default is Chinese; the Chinese forms
    are checked in test_cli_language.py)."""
    with speaking("en"):
        yield


def _problems(tmp_path, text: str, schema: str = "zone-params") -> list[str]:
    path = tmp_path / "alpha.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(p) for p in check_file(path, schema).problems]


def _shown(tmp_path) -> str:
    return str(tmp_path / "alpha.yaml")


def billion_laughs(levels: int = 12) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_at_parse(tmp_path):
    start = time.perf_counter()
    problems = _problems(tmp_path, billion_laughs())
    assert time.perf_counter() - start < 5  # a bound, not a benchmark: unrefused it runs for minutes
    assert len(problems) == 1
    assert problems[0].endswith(f"expands to more than {int(bounds()['yaml_max_nodes']):,} values once its "
                                "aliases are followed")
    assert problems[0].split(":")[1].isdigit()  # FILE:LINE


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path):
    depth = 20000
    problems = _problems(tmp_path, "expert_opinion: " + "[" * depth + "]" * depth + "\n")
    assert problems == [f"{_shown(tmp_path)}:1: nested more than {int(bounds()['yaml_max_depth'])} levels deep"]


def test_a_self_referencing_alias_is_refused(tmp_path):
    problems = _problems(tmp_path, "context: &a\n  - *a\n")
    assert problems == [f"{_shown(tmp_path)}:2: alias *a refers to a node it is inside (a recursive structure)"]


def test_too_many_aliases_are_refused(tmp_path):
    n = int(bounds()["yaml_max_aliases"]) + 1
    problems = _problems(tmp_path, "a: &x 1\nb: [" + ", ".join(["*x"] * n) + "]\n")
    assert len(problems) == 1 and "aliases" in problems[0]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    limit = int(bounds()["yaml_max_bytes"])
    problems = _problems(tmp_path, "expert_opinion: " + "字" * limit + "\n")
    assert len(problems) == 1 and problems[0].startswith(f"{_shown(tmp_path)}: file of ")


@pytest.mark.parametrize("escaped,said", [
    ("\\x07", "control character U+0007"), ("\\u202e", "bidirectional control U+202E"),
    ("\\x1b[31m", "control character U+001B"), ("\\ud800", "lone surrogate \\ud800"),
    ("\\u2066", "bidirectional control U+2066"),
])
def test_text_with_controls_is_refused_at_its_line(tmp_path, escaped, said):
    problems = _problems(tmp_path, f'zone_id: alpha\nexpert_opinion: "专家意见{escaped}通过"\n')
    assert len(problems) == 1
    assert problems[0].startswith(f"{_shown(tmp_path)}:2: {said}")


def test_raw_bidi_override_is_refused(tmp_path):
    problems = _problems(tmp_path, "expert_opinion: 专家意见\u202e过通\n")
    assert problems[0].startswith(f"{_shown(tmp_path)}:1: bidirectional control U+202E")


def test_tab_and_newline_are_text(tmp_path):
    assert _problems(tmp_path, 'expert_opinion: "第一段\\t。\\n第二段。"\n') == []


def test_a_long_text_is_refused(tmp_path):
    longest = int(bounds()["yaml_max_text_chars"])
    problems = _problems(tmp_path, "expert_opinion: " + "很" * (longest + 1) + "\n")
    assert problems == [f"{_shown(tmp_path)}:1: text of {longest + 1:,} characters, over the limit of {longest:,}"]


def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "alpha.yaml"
    os.mkfifo(path)
    assert [str(p) for p in check_file(path, "zone-params").problems] == [
        f"{path}: not a regular file (a pipe, a device or a folder): not read"]


def test_a_symlink_out_of_its_folder_is_refused(tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("expert_opinion: secret\n", encoding="utf-8")
    (tmp_path / "params").mkdir()
    link = tmp_path / "params" / "alpha.yaml"
    link.symlink_to(outside)
    problems = [str(p) for p in check_file(link, "zone-params").problems]
    assert problems == [f"{link}: a symbolic link to {outside}, outside {tmp_path / 'params'}: not read "
                        "(copy the file itself in)"]


# -- through the command line ----------------------------------------------------------------
def _validate(capsys, *args) -> tuple[int, list[str]]:
    code = main(["validate", *args, "--lang", "en"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.err.splitlines()


def test_params_of_an_unknown_zone_are_refused_with_did_you_mean(tmp_path, tiny_dir, capsys):
    (tmp_path / "params" / "zones").mkdir(parents=True)
    (tmp_path / "params" / "zones" / "alhpa.yaml").write_text("expert_opinion: 很好\n", encoding="utf-8")
    (tmp_path / "params" / "zones" / "_example.yaml").write_text("expert_opinion: 示例\n", encoding="utf-8")
    code, lines = _validate(capsys, "--data", str(tiny_dir), "--params", str(tmp_path / "params"))
    assert code == 2
    assert lines[0] == (f"{tmp_path / 'params' / 'zones' / 'alhpa.yaml'}: zone 'alhpa' is not in the dataset, "
                        "so these parameters would be lost (did you mean 'alpha'?)")
    assert len(lines) == 2  # the example is no zone's and is not refused for it


def test_control_characters_in_an_expert_opinion_refuse_validate(tmp_path, tiny_dir, capsys):
    (tmp_path / "params" / "zones").mkdir(parents=True)
    (tmp_path / "params" / "zones" / "alpha.yaml").write_text(
        'zone_id: alpha\nexpert_opinion: "通过\\u202e。"\n', encoding="utf-8")
    code, lines = _validate(capsys, "--data", str(tiny_dir), "--params", str(tmp_path / "params"))
    assert code == 2 and lines[0].startswith(f"{tmp_path / 'params' / 'zones' / 'alpha.yaml'}:2: bidirectional")


@pytest.mark.parametrize("placeholder", ["{name.__class__.__init__}", "{zone_name}", "{name[0]}", "{name!r}"])
def test_significance_placeholders_are_the_documented_names_only(tmp_path, tiny_dir, capsys, placeholder):
    (tmp_path / "params").mkdir()
    text = (PARAMS_DIR / "significance.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("en:") and "{name}" in line)
    lines[at] = lines[at].replace("{name}", placeholder, 1)
    (tmp_path / "params" / "significance.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _validate(capsys, "--data", str(tiny_dir), "--params", str(tmp_path / "params"))
    assert code == 2
    assert out[0].startswith(f"{tmp_path / 'params' / 'significance.yaml'}:{at + 1}: intro.en: unknown placeholder "
                             f"'{placeholder}'")


def test_fill_reaches_no_attribute():
    assert placeholders("{name.__class__.__init__} {{x}} {name}") == ["name.__class__.__init__", "name"]
    assert fill("{name.__class__.__init__} {{x}} {name}", {"name": "甲镇"}) == "{name.__class__.__init__} {x} 甲镇"


def test_the_view_fills_every_documented_placeholder():
    from nzc_report.config import SIGNIFICANCE_PLACEHOLDERS

    facts = {name: f"<{name}>" for name in SIGNIFICANCE_PLACEHOLDERS}
    s = zone_significance({"zone_type": "town"}, "zh", facts)
    assert "{" not in s.intro and "<name>" in s.intro
