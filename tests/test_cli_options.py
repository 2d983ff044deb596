"""The command line as an evaluator types it (issue 31): options before or after the command,
help for every option, exit codes as cli.md says, and `build --explain` (`--dry-run`)."""
import argparse

import pytest

from nzc_report.cli import main, make_parser
from nzc_report.yamlfile import speaking


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("argv", [["validate", "--verbose"], ["--verbose", "validate"],
                                  ["validate", "--lang", "en"], ["--lang", "en", "validate"]])
def test_options_before_or_after_the_command(tiny_dir, argv, capsys):
    assert main([*argv, "--data", str(tiny_dir)]) == 0
    out = capsys.readouterr().out
    assert out.strip()


def test_an_option_after_the_command_is_the_one_taken():
    args = make_parser().parse_args(["validate", "--verbose", "--lang", "en"])
    assert args.verbose is True and args.lang == "en"
    args = make_parser().parse_args(["validate"])
    assert args.verbose is False and args.lang is None


def test_every_option_of_every_command_has_help():
    parser = make_parser()
    missing = []
    for name, sub in {"": parser, **_subparsers(parser)}.items():
        for action in sub._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_timeout_is_described_as_it_works_per_cell():
    with speaking("en"):
        build = _subparsers(make_parser())["build"]
    timeout = next(a for a in build._actions if "--timeout" in a.option_strings)
    assert "per cell" in timeout.help and "per-zone" not in timeout.help
    build = _subparsers(make_parser())["build"]  # Chinese by default
    timeout = next(a for a in build._actions if "--timeout" in a.option_strings)
    assert "单元格" in timeout.help


def test_verify_of_a_missing_folder_exits_2(tmp_path, capsys):
    assert main(["verify", "--out", str(tmp_path / "nowhere")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_verify_of_a_folder_without_a_build_exits_1(tmp_path, capsys):
    assert main(["verify", "--out", str(tmp_path)]) == 1


def test_explain_of_a_first_build_names_every_zone_new_and_writes_nothing(tiny_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--explain", "--data", str(tiny_dir), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert not out.exists()
    assert "未写入任何文件" in text
    lines = text.splitlines()
    for zone in ("alpha", "beta"):
        assert any(zone in line and "新增" in line for line in lines), text


def test_dry_run_is_explain_and_speaks_english_with_lang_en(tiny_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--dry-run", "--lang", "en", "--data", str(tiny_dir), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert not out.exists()
    assert "nothing written" in text and "new" in text


def test_explain_with_force_says_forced(tiny_dir, tmp_path, capsys):
    assert main(["build", "--explain", "--force", "--data", str(tiny_dir), "--out", str(tmp_path / "o")]) == 0
    assert "强制" in capsys.readouterr().out
