"""Chinese first (issue 31), cheaply: configuration problems, usage errors and --help come from
cli_messages.yaml, in Chinese by default and in English with --lang en. No build: the bad-config
corpus (a workspace over the tiny dataset each) is validated, and the parser is asked for help.
The build's own lines are checked in test_cli_language_e2e.py."""
import argparse
import inspect
import json
import re
import string
from pathlib import Path

import pytest

from nzc_report.cli import main, make_parser
from nzc_report.messages import catalogue, say
from nzc_report.resources import SCHEMAS_DIR
from nzc_report.yamlfile import plural, speaking

BAD = Path(__file__).parent / "data" / "bad-config"
# one case of each family of messages: schema (type, enum, bounds, unknown key, x-message), YAML
# syntax, duplicate key, and the cross-references of framework, rules, significance, summary, zone params
CASES = ["settings-unknown-key", "settings-not-yaml", "params-site-visit-date", "params-zone-id-mismatch",
         "framework-weights-zero", "significance-point-twice", "shared-three-files"]
CJK = re.compile(r"[\u4e00-\u9fff]")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|\{[^}]*\}")
# English as sentences are written: two words or more in a row (names, ids, keys and the lists of
# allowed values are single words, joined with 、 in Chinese)
PHRASE = re.compile(r"\b[A-Za-z]{2,}(?: +[A-Za-z]{2,})+\b")


def _phrases(line: str) -> list[str]:
    return PHRASE.findall(QUOTED.sub(" ", line))


@pytest.mark.parametrize("case", CASES)
def test_configuration_problems_are_chinese_by_default_and_english_with_lang_en(case, monkeypatch, capsys):
    monkeypatch.chdir(BAD / case)
    assert main(["validate"]) == 2
    zh = capsys.readouterr().err.splitlines()
    assert zh and all(CJK.search(line) for line in zh), zh
    assert {line: _phrases(line) for line in zh if _phrases(line)} == {}
    assert zh[-1].startswith("配置被拒绝：")
    assert main(["validate", "--lang", "en"]) == 2
    en = capsys.readouterr().err.splitlines()
    assert len(en) == len(zh) and en[-1].startswith("configuration refused:")
    assert not [line for line in en if CJK.search(QUOTED.sub(" ", line))]


def test_a_workspace_in_english_speaks_english(tmp_path, monkeypatch, capsys):
    """No --lang: the workspace's lang (en) is the language of its problems."""
    case = tmp_path / "ws"
    case.mkdir()
    settings = (BAD / "params-zone-id-mismatch" / "nzc-report.yaml").read_text(encoding="utf-8")
    data = (BAD / "params-zone-id-mismatch" / "nzc-report.yaml").parent.joinpath(
        settings.split("data:")[1].split()[0]).resolve()
    (case / "nzc-report.yaml").write_text(f"data: {data}\nlang: en\nyear: 2019\noutput: x\n", encoding="utf-8")
    monkeypatch.chdir(case)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'output'" in err and not CJK.search(err)


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_of_every_command_is_in_the_language(lang, capsys):
    for command in ["", *_commands(make_parser())]:
        argv = ([command] if command else []) + ["--help"] + (["--lang", "en"] if lang == "en" else [])
        assert main(argv) == 0
        out = capsys.readouterr().out
        if lang == "zh":
            assert out.startswith("用法：") and "选项" in out and "显示本帮助并退出" in out, command
            for line in out.splitlines():  # option names and metavars are names
                names = re.sub(r"nzc-report(?: \w+)?|--?[\w-]+(?: [A-Z_/\[\],.]+)?", " ", line)
                assert not _phrases(names), (command, line)
        else:
            assert out.startswith("usage: ") and "show this help message and exit" in out, command
            assert not CJK.search(out.replace("(近零碳排放区示范工程)", "")), command


@pytest.mark.parametrize("argv,zh,en", [
    (["synth"], "nzc-report synth: 缺少必需的参数：--zones, --out",
     "nzc-report synth: the following arguments are required: --zones, --out"),
    (["buidl"], "nzc-report: 参数 COMMAND：无效的选择：'buidl'", "nzc-report: argument COMMAND: invalid choice: 'buidl'"),
    (["build", "--timeout", "soon"], "nzc-report build: 参数 --timeout：应为数值，而不是 'soon'",
     "nzc-report build: argument --timeout: invalid float value: 'soon'"),
    (["validate", "--bogus"], "nzc-report: 无法识别的参数：--bogus", "nzc-report: unrecognized arguments: --bogus"),
])
def test_usage_errors_are_chinese_by_default(argv, zh, en, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith(zh)
    assert main([*argv, "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith(en)
    assert not list(tmp_path.iterdir())


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(plural(text, {})) if f}  # a plural: its "other"


def test_every_sentence_is_in_both_languages_with_the_same_fields():
    tables = {"schema_messages", "argparse", "yaml_problems"}
    for key, entry in catalogue().items():
        if key in tables:
            continue
        assert set(entry) == {"zh", "en"}, key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_english_counts_are_plural_aware_never_a_parenthesised_s():
    """Issue 29 asked it of the reports; the command line's and the dataset's catalogues too."""
    from nzc_report.dataset.catalogue import _load, msg

    for name, table in (("cli_messages.yaml", catalogue()), ("dataset/messages.yaml", _load("messages.yaml"))):
        bad = [k for k, e in table.items() if isinstance(e, dict) and re.search(r"\(s\)|\(ies\)", str(e.get("en")))]
        assert not bad, f"{name}: write an ICU plural ({{n, plural, one {{…}} other {{…}}}}) in {bad}"
    assert say("verify_problems", "en", n=1) == "1 problem" and say("verify_problems", "en", n=2) == "2 problems"
    assert say("verify_problems", "zh", n=1) == "1 个问题"
    assert msg("refused", "en", n=1) == "dataset refused: 1 problem"
    assert msg("refused", "en", n=3) == "dataset refused: 3 problems"
    assert say("explain_up_to_date", "en", zones=1, summaries=2) == "Up to date: 1 zone, 2 summaries"


def test_the_schemas_own_messages_and_argparse_words_have_their_chinese():
    own = catalogue()["schema_messages"]

    def walk(node):
        if isinstance(node, dict):
            if "x-message" in node:
                yield node["x-message"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
    for path in sorted(SCHEMAS_DIR.glob("*.schema.json")):
        missing = [m for m in walk(json.loads(path.read_text(encoding="utf-8"))) if m not in own]
        assert not missing, f"{path.name}: add their Chinese to cli_messages.yaml's schema_messages: {missing}"
    source = inspect.getsource(argparse)
    assert [m for m in catalogue()["argparse"] if repr(m)[1:-1] not in source and m not in source] == []


def test_the_language_is_scoped():
    with speaking("en"):
        en = make_parser().format_help()
    assert "show debug logs" in en
    assert "显示调试日志" in make_parser().format_help()  # Chinese when nobody chose


def test_the_api_speaks_its_lang(tmp_path):
    """nzc_report.validate(..., lang=...): a configuration problem in that language."""
    from nzc_report import api
    from nzc_report.errors import ConfigError

    params = BAD / "rules-unknown-problem" / "params"
    tiny = Path(__file__).parent / "data" / "tiny"
    for lang, words in (("zh", "未知的问题"), ("en", "unknown problem")):
        with pytest.raises(ConfigError) as info:
            api.validate(tiny, params=params, lang=lang)
        assert words in str(info.value.problems[0])


def test_the_build_s_faults_are_said_in_its_language():
    """A full disk or a refused manifest in the closing table: Chinese for a Chinese build (they were
    English sentences in batch/ code), English with --lang en, the path as it is."""
    import errno
    from pathlib import Path

    from nzc_report.batch.faults import unwritable

    full = OSError(errno.ENOSPC, "No space left on device")
    assert unwritable(Path("out/2024/ranking.json"), full, "zh") == "无法写入 out/2024/ranking.json：磁盘已满"
    assert unwritable(Path("out/2024/ranking.json"), full, "en") == "cannot write out/2024/ranking.json: the disk is full"
    with speaking("en"):  # no language given: the current one
        assert unwritable(Path("x"), OSError(errno.EROFS, "ro"), None) == "cannot write x: the file system is read-only"
    odd = OSError(errno.EIO, "Input/output error")  # a fault without a sentence of ours: the system's words
    assert unwritable(Path("x"), odd, "zh") == "无法写入 x：Input/output error"
    assert say("summary_not_rebuilt", "zh", zones="甲、乙").startswith("未重建：甲、乙 在本次构建中失败")
    assert say("not_yet_approved_when", "zh", approved=2025, year=2024) == "2025年批准，晚于评估年度（2024年）"
    assert say("not_yet_approved_when", "en", approved=2025, year=2024) == "approved in 2025, after 2024"


def test_no_sentence_of_the_catalogue_is_defined_twice():
    """YAML keeps the last of two equal keys: a second not_yet_approved_reason (with fields) had
    replaced the closing table's (without), which then raised KeyError for a zone approved later."""
    import collections

    from nzc_report.resources import PROJECT_ROOT

    keys = re.findall(r"^([A-Za-z_]\w*):", (PROJECT_ROOT / "nzc_report" / "cli_messages.yaml").read_text(encoding="utf-8"),
                      re.MULTILINE)
    assert [k for k, n in collections.Counter(keys).items() if n > 1] == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_worker_s_failure_reasons_are_codes_worded_by_the_build_in_its_language(tmp_path, monkeypatch, lang):
    """A worker does not know the build's language: what it finds wrong (its version or fonts, the
    private cache's refusal, a render past its deadline) comes back as a code with fields (Fault),
    and the build words it in its own: the manifest's reason, the progress line, the closing table."""
    import os

    from nzc_report.batch import BuildResult, Outcome, task_fields
    from nzc_report.batch.checks import environment_problems
    from nzc_report.batch.tasks import FailureKind, TaskOutcome, TaskSpec, run_task
    from nzc_report.cli import _closing_table
    from nzc_report.yamlfile import Fault

    # a worker whose nzc-report is another version (fonts and the rest as this machine has them)
    problems = environment_problems("0.0.0-other", "0" * 64)
    assert all(isinstance(p, Fault) for p in problems)
    version = {"zh": "已安装的是 nzc-report ", "en": "nzc-report "}[lang]
    assert problems[0].said(lang).startswith(version) and problems[0].said(lang).endswith(
        {"zh": "本次构建运行的是 0.0.0-other", "en": "is installed, the build runs 0.0.0-other"}[lang])
    fonts = Fault.of("fault_worker_fonts", fonts="Noto Sans CJK SC")
    refused = Fault.of("fault_no_worker_at", address="tcp://h:8786",
                       problems=(Fault.of("fault_worker_refused", worker="tcp://w:1", problems=(fonts,)),))
    assert refused.said(lang) == {
        "zh": "tcp://h:8786 上的集群没有能运行 nzc-report 任务的工作进程：tcp://w:1：缺少报告字体：Noto Sans CJK SC"
              "（Debian/Ubuntu：apt-get install fonts-noto-cjk fonts-noto-cjk-extra）",
        "en": "no worker of the cluster at tcp://h:8786 can run nzc-report tasks: tcp://w:1: the report fonts are "
              "missing: Noto Sans CJK SC (Debian/Ubuntu: apt-get install fonts-noto-cjk fonts-noto-cjk-extra)"}[lang]

    # a task on a worker whose cache is refused: run_task brings the refusal back as its code
    cache = tmp_path / "cache"
    cache.mkdir()
    os.chmod(cache, 0o777)
    monkeypatch.setenv("NZC_REPORT_CACHE", str(cache))
    spec = TaskSpec("zone", "alpha", "zone_assessment.ipynb", {}, 10, lang, None, False)
    task = run_task(spec, project=None)
    assert task.failure == FailureKind.INTERNAL and isinstance(task.reason, Fault)
    refusal = {"zh": f"nzc-report 缓存 {cache} 被拒绝使用：其权限为 0777",
               "en": f"the nzc-report cache {cache} is refused: its mode is 0777"}
    assert task_fields(task, lang=lang)["reason"].startswith(refusal[lang])  # the manifest's reason
    died = TaskOutcome.lost(spec, FailureKind.WORKER, Fault.of("fault_worker_died", n=3), attempts=3)
    lost = TaskOutcome.lost(spec, FailureKind.WORKER, Fault.of(
        "fault_no_worker_for", where=Fault.of("fault_where_embedded"), seconds="15", env="NZC_REPORT_WORKER_WAIT"))
    late = Fault.of("not_yet_approved_when", approved=2025, year=2019)
    result = BuildResult(2019, tmp_path / "out", [
        Outcome.of(task, lang), Outcome.of(died, lang), Outcome.of(lost, lang),
        Outcome("beta", "zone", "not_yet_approved", reason=late.said(lang), fault=late)])
    table, _ = _closing_table(result, lang)
    assert refusal[lang] in table
    assert {"zh": "运行它的工作进程已死亡 3 次（在 3 个不同的工作进程上），不再重试",
            "en": "the worker process running it died 3 times, on 3 different workers, so it was not tried again"}[lang] in table
    assert {"zh": "未运行：本机内置的 Dask 集群在 15 秒内没有可运行它的工作进程",
            "en": "not run: the embedded Dask cluster on this machine had no worker able to run it for 15 s"}[lang] in table
    assert {"zh": "2025年批准，晚于评估年度（2019年）", "en": "approved in 2025, after 2019"}[lang] in table
    other = "en" if lang == "zh" else "zh"
    assert Outcome.of(task, lang).reason != Outcome.of(task, other).reason  # worded by who shows it
    if lang == "zh":
        assert not PHRASE.search(QUOTED.sub("", re.sub(r"\S*/\S*|NZC_\w+|nzc-report|Noto \w+ \w+ \w+", "", table)))
    else:
        assert not CJK.search(table)
    assert Fault.of("fault_worker_died", n=1).said("en").startswith("the worker process running it died once, on one worker")
