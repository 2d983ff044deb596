"""One checked configuration: workspace settings, per-zone params and the shared params
(framework, rules, significance, report, summary) against schemas/.

Every case of tests/data/bad-config is a workspace over the tiny dataset with
one defect (or, in params-two-files, one in each of two files); run inside
it, `validate` prints exactly its expected.txt, exits 2 and `build` writes
nothing.
"""
import shutil
from pathlib import Path

import pytest

from nzc_report.assess import load_framework
from nzc_report.batch.plan import load_zone_params
from nzc_report.cli import main
from nzc_report.config import SHARED_FILES, check_shared_params
from nzc_report.findings import load_rules
from nzc_report.resources import PARAMS_DIR
from nzc_report.errors import ConfigError, UsageError
from nzc_report.yamlfile import check_yaml, read_checked
from nzc_report.yamlfile import speaking


@pytest.fixture(autouse=True)
def _english():
    """The problems read here in English (the library's own default is Chinese; the Chinese forms
    are checked in test_cli_language.py)."""
    with speaking("en"):
        yield

TESTS = Path(__file__).parent
BAD = TESTS / "data" / "bad-config"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def _expected(case: str) -> list[str]:
    return (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_corpus_covers_settings_and_params():
    assert sum(c.startswith("settings-") for c in CASES) >= 5
    assert sum(c.startswith("params-") for c in CASES) >= 10
    for name in SHARED_FILES.values():  # a wrong type, an unknown key, out of range, a cross-reference
        assert sum(c.startswith(f"{name}-") for c in CASES) >= 3, name
    for case in CASES:
        lines = _expected(case)
        n = len(lines) - 1
        assert lines[-1] == f"configuration refused: {n} problem{'s' if n != 1 else ''}", case
        assert all(line.split(":", 2)[1].isdigit() for line in lines[:-1]), case  # FILE:LINE: message


@pytest.mark.parametrize("case", CASES)
def test_validate_prints_exact_messages_and_exits_2(case, monkeypatch, capsys):
    monkeypatch.chdir(BAD / case)
    assert main(["validate", "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == _expected(case)
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.parametrize("case", ["settings-lang", "params-site-visit-date", "params-two-files",
                                  "framework-unknown-source", "rules-unknown-indicator", "shared-three-files",
                                  "shared-and-zone-file"])
def test_build_writes_nothing(case, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(BAD / case)
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--lang", "en"]) == 2
    err = capsys.readouterr().err.splitlines()  # after the dataset's warnings, if any
    assert err[-len(_expected(case)):] == _expected(case)
    assert not out.exists()


def test_params_option_checks_the_same_files_from_outside(tmp_path, monkeypatch, capsys):
    """--params DIR is the workspace's params/ without the workspace."""
    monkeypatch.chdir(tmp_path)
    case = BAD / "params-extra-problem-category"
    assert main(["validate", "--data", str(TESTS / "data" / "tiny"), "--params", str(case / "params"), "--lang", "en"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"{case / 'params/zones/beta.yaml'}:5: extra_problems[1].category: 'funding' is not one of: "
                      "concept, evaluation, policy, progress")


def test_a_broken_config_is_a_configuration_error_not_a_usage_error():
    with pytest.raises(ConfigError) as info:
        read_checked(BAD / "settings-lang" / "nzc-report.yaml", "workspace")
    assert not isinstance(info.value, UsageError)
    assert info.value.exit_code == 2


def test_missing_params_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["validate", "--data", str(TESTS / "data" / "tiny"), "--params", str(tmp_path / "none"), "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == f"--params {tmp_path / 'none'}: no such folder"


def test_evaluators_findings_are_accepted_and_dates_stay_text(tmp_path):
    path = tmp_path / "alpha.yaml"
    path.write_text(
        "zone_id: alpha\n"
        "expert_opinion: 专家组认为<script>alert(1)</script>{{ x }}。\n"
        "site_visit:\n  date: 2025-03-15\n  team: [张三, 李四]\n  findings: 现场核查发现光伏未并网。\n"
        "extra_problems:\n  - category: evaluation\n    text: 监测数据缺少第三方核查。\n"
        "extra_recommendations:\n  - category: guidance\n    text: 建立第三方核查制度。\n",
        encoding="utf-8")
    data = read_checked(path, "zone-params")
    assert data["site_visit"]["date"] == "2025-03-15"  # text, as the notebook gets it (JSON)
    assert data["expert_opinion"] == "专家组认为<script>alert(1)</script>{{ x }}。"


def test_problems_point_at_the_line_of_the_offending_key_in_lists(tmp_path):
    path = tmp_path / "beta.yaml"
    path.write_text("zone_id: beta\nextra_recommendations:\n  - category: pilot\n    text: 一\n"
                    "  - category: pilot\n    text: 二\n    note: 三\n", encoding="utf-8")
    _, problems = check_yaml(path, "zone-params")
    assert [(p.line, p.message) for p in problems] == [
        (7, "unknown key 'extra_recommendations[1].note' (allowed: category, text)")]


def test_workspace_defaults_fill_what_a_zone_file_leaves_out(tmp_path):
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "alpha.yaml").write_text("zone_id: alpha\nevaluating_body: 甲评估所\n", encoding="utf-8")
    params = load_zone_params(["alpha", "beta"], tmp_path, {"evaluating_body": "工作区评估组"})
    assert params == {"alpha": {"zone_id": "alpha", "evaluating_body": "甲评估所"},
                      "beta": {"evaluating_body": "工作区评估组"}}


def test_the_project_params_are_valid(project_root):
    from nzc_report.dataset import load_dataset

    ids = load_dataset(project_root / "data" / "sample").zone_ids
    params = load_zone_params(ids)
    assert params["gd-nanao"]["zone_id"] == "gd-nanao"


def test_the_init_example_is_valid(tmp_path):
    from nzc_report.workspace import EXAMPLE_PARAMS, init_workspace

    init_workspace(tmp_path / "ws")
    assert check_yaml(tmp_path / "ws" / EXAMPLE_PARAMS, "zone-params")[1] == []
    shutil.rmtree(tmp_path / "ws")


def test_params_option_checks_the_shared_files_too(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    case = BAD / "rules-unknown-problem"
    assert main(["validate", "--data", str(TESTS / "data" / "tiny"), "--params", str(case / "params")]) == 2
    assert capsys.readouterr().err.splitlines() == [  # Chinese by default, the problem and its count
        f"{case / 'params/rules.yaml'}:19: recommendations[0].addresses[0]: 未知的问题 'P-NO-TARGET'"
        "（是否应为 'P-NO-TARGETS'？）",
        "配置被拒绝：1 个问题"]


@pytest.mark.parametrize("load, case", [(load_framework, "framework-unknown-source"),
                                        (load_rules, "rules-unknown-condition")])
def test_a_broken_framework_or_rules_file_is_a_configuration_error(load, case):
    name = "framework.yaml" if load is load_framework else "rules.yaml"
    with pytest.raises(ConfigError) as info:
        load(BAD / case / "params" / name)
    assert not isinstance(info.value, UsageError)
    assert info.value.exit_code == 2


def test_every_shared_params_file_has_its_schema_and_passes_it(project_root):
    """What params/ ships (and the wheel carries, schemas/ included) is sound."""
    # framework.yaml is an overlay's name for the default framework; the project's are params/frameworks/<id>.yaml
    assert {p.name for p in PARAMS_DIR.glob("*.yaml")} == set(SHARED_FILES) - {"framework.yaml"}
    assert (PARAMS_DIR / "frameworks" / "near-zero-zone.yaml").is_file()
    for name in SHARED_FILES.values():
        assert (project_root / "schemas" / f"{name}.schema.json").is_file(), name
    framework, problems = check_shared_params()
    assert problems == [] and framework is not None
    pyproject = (project_root / "pyproject.toml").read_text(encoding="utf-8")
    assert '"schemas" = "nzc_report/_project/schemas"' in pyproject


def test_the_tests_own_framework_and_rules_pass_too():
    from engine_data import FRAMEWORK_PATH, RULES_PATH

    load_rules(RULES_PATH, load_framework(FRAMEWORK_PATH))


def _node_lines(node) -> list:
    """Every node of a YAML tree: kind, tag, value and where it starts and ends."""
    import yaml

    out = [(type(node).__name__, node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line,
            node.value if isinstance(node, yaml.ScalarNode) else len(node.value))]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out += _node_lines(key) + _node_lines(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            out += _node_lines(item)
    return out


def test_libyaml_reads_every_params_file_as_the_pure_parser_does_and_errors_stay_its(project_root):
    """load_with_lines parses with libyaml when PyYAML has it (issue 17): the same data and the
    same lines for every params file of the project and of the bad-config corpus; YAML that it
    refuses gets the pure-Python parser's message."""
    import yaml

    from nzc_report import yamlfile

    if yamlfile._CTextDatesLoader is None:
        pytest.skip("PyYAML without libyaml: only the pure-Python parser runs")
    files = sorted((project_root / "params").rglob("*.yaml")) + sorted(BAD.rglob("*.yaml"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            pure = yamlfile._load(yamlfile._TextDatesLoader, text)
        except yaml.YAMLError:
            continue
        fast = yamlfile._load(yamlfile._CTextDatesLoader, text)
        assert fast[0] == pure[0] and _node_lines(fast[1]) == _node_lines(pure[1]), path
    for text in ("a: [1, 2", "a: b: c", "x: \"unterminated", "k: \x07"):
        with pytest.raises(yaml.YAMLError) as pure_error:
            yamlfile._load(yamlfile._TextDatesLoader, text)
        with pytest.raises(yaml.YAMLError) as error:
            yamlfile.load_with_lines(text)
        assert str(error.value) == str(pure_error.value)
    assert yamlfile.load_with_lines("day: 2024-05-12\n")[0] == {"day": "2024-05-12"}


def test_a_file_checked_again_gives_the_problems_of_its_text_now_in_the_language_now(tmp_path):
    """check_file keeps the problems of a text it checked (yamlfile._FOUND): an edit between two
    checks is seen, and the same text in the other language is said in that language."""
    path = tmp_path / "report.yaml"
    shipped = (PARAMS_DIR / "report.yaml").read_text(encoding="utf-8")
    path.write_text(shipped, encoding="utf-8")
    assert check_yaml(path, "report")[1] == []
    path.write_text(shipped + "\nunknown_key_here: 1\n", encoding="utf-8")
    with speaking("en"):
        (en,) = check_yaml(path, "report")[1]
    with speaking("zh"):
        (zh,) = check_yaml(path, "report")[1]
    assert "unknown_key_here" in str(en) and "unknown_key_here" in str(zh) and str(en) != str(zh)
    with speaking("en"):
        assert [str(p) for p in check_yaml(path, "report")[1]] == [str(en)]
    path.write_text(shipped, encoding="utf-8")
    assert check_yaml(path, "report")[1] == []
