"""render/warm.py: what the renders share is built once in the worker, before the renders fork."""
import logging

import pytest
from jinja2 import TemplateSyntaxError

from nzc_report.render import pdf
from nzc_report.render.environment import jinja_env
from nzc_report.render.warm import warm
from nzc_report.resources import Project


def test_warm_builds_the_fonts_sheets_and_every_document_template_once():
    project = Project.installed()
    templates = project.templates
    already = {name for _, name in jinja_env(templates).cache.keys()}  # what other tests of this process compiled
    warm(project, "zh")
    assert pdf.font_config.cache_info().currsize == 1
    sheets = {key[0] for key in pdf._SHEETS}
    assert {str((templates / "report.css").resolve()), str((templates / "summary.css").resolve())} <= sheets
    compiled = {name for _, name in jinja_env(templates).cache.keys()}
    assert {"zone_report.html.j2", "province_summary.html.j2", "national_summary.html.j2",
            "partials/macros.html.j2"} <= compiled
    # warm compiles no portal template (those are the portal task's), whatever ran before it in this process
    assert not any(name.startswith("portal/") for name in compiled - already)
    before = len(jinja_env(templates).cache)
    warm(project, "zh")  # once per process: nothing built again
    assert len(jinja_env(templates).cache) == before


def test_a_broken_project_file_is_left_to_the_render_and_a_sheets_warnings_to_its_documents(tmp_path, caplog):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.css").write_text("p { colour: red }\n", encoding="utf-8")  # WeasyPrint warns: unknown property
    (templates / "zone_report.html.j2").write_text("{% if %}\n", encoding="utf-8")  # not a template
    with caplog.at_level(logging.WARNING):
        warm(Project(tmp_path), "zh")  # no exception: the render, in its fork, says what is wrong
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]  # said with each document, not here
    with pytest.raises(TemplateSyntaxError):
        jinja_env(templates).get_template("zone_report.html.j2")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf.stylesheet(templates / "report.css")  # parsed once, in warm; its warning logged for this document
    assert any("colour" in r.getMessage() for r in caplog.records)
