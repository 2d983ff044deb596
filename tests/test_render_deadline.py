"""A render past its deadline fails alone (issue 26): it runs in a fork that is killed."""
import time

import pytest

from nzc_report.batch.deadline import within
from nzc_report.errors import RenderError
from nzc_report.yamlfile import speaking


def test_a_render_within_its_deadline_returns_its_warnings(tmp_path):
    def render():
        (tmp_path / "report.pdf").write_bytes(b"%PDF")  # written by the fork, seen by the parent
        return ["a warning"]
    assert within(10, render, "alpha") == ["a warning"]
    assert (tmp_path / "report.pdf").read_bytes() == b"%PDF"


def test_a_render_past_its_deadline_is_stopped_and_fails_alone():
    start = time.monotonic()
    with pytest.raises(RenderError) as info:
        within(0.5, lambda: time.sleep(60) or [], "alpha")
    assert time.monotonic() - start < 5
    # a code with fields, made in the worker; worded by the build in its language (zh, en)
    assert info.value.reason.said("zh") == "渲染超过 0.5 秒，已被终止"
    assert info.value.reason.said("en") == "rendering took longer than 0.5 s and was stopped"
    with speaking("en"):
        assert str(info.value) == "alpha: render failed: rendering took longer than 0.5 s and was stopped"
    assert within(10, lambda: ["next"], "beta") == ["next"]  # the next document renders


def test_a_failing_render_says_why():
    def render():
        raise RenderError("alpha", "no fonts")
    with pytest.raises(RenderError, match="no fonts"):
        within(10, render, "alpha")
    with pytest.raises(Exception, match="ValueError: bad"):
        within(10, lambda: (_ for _ in ()).throw(ValueError("bad")), "alpha")
