"""User text said on one line: the command line's values and the dataset's messages escape the same
characters (one function), and only the dataset's messages cut long text."""
import pytest

from nzc_report.cli_checks import check_scheduler
from nzc_report.dataset.catalogue import one_line, quote, show
from nzc_report.errors import UsageError


def test_line_breaking_and_invisible_characters_are_escaped_and_spaces_kept():
    assert one_line("a\nb\tc\rd") == "a\\nb\\tc\\rd"
    assert one_line("x\u2028y\u2029z") == "x\\u2028y\\u2029z"  # a line and a paragraph separator
    assert one_line("e\u200bz\x1b\x7f\x85") == "e\\u200bz\\x1b\\x7f\\x85"
    assert one_line("1\u00a0234 张\u3000三") == "1\u00a0234 张\u3000三"  # spaces are what the user typed
    assert one_line("C:\\data") == "C:\\data"  # a backslash is not doubled


def test_only_the_dataset_message_cuts_long_text():
    long = "宁" * 100
    assert one_line(long) == long
    assert show(long) == "宁" * 59 + "…"
    assert quote("a\u2028b", "zh") == "“a\\u2028b”"


def test_a_command_line_value_is_said_through_the_same_escapes():
    with pytest.raises(UsageError) as e:
        check_scheduler("host\u2028:8786", "--scheduler", "en")
    assert "host\\u2028:8786" in str(e.value) and "\u2028" not in str(e.value)
