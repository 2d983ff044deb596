"""The English report (issue 29): no Chinese sentence in the body, plural-correct counts.

Three sample zones built with --lang en; each report's text (pdftotext) is read
whole, the names and titles the data and params give (zone, body, city,
province, projects, documents in 《》, the evaluators' own entries) are taken
out, and no Chinese may remain. No "(s)" and no "1 indicators"-style count.
"""
import json
import re
import subprocess

import pytest

from nzc_report.cli import main
from nzc_report.render.messages import plural

ZONES = ("gd-nanao", "zj-meishan", "sn-mining-example")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
ONE_PLURAL = re.compile(r"(?<![\d.,])1 (indicators|problems|measures|targets|zones|years|points|fields|projects|"
                        r"warnings|provinces)\b")


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def names_and_titles(results: dict) -> list[str]:
    """What may stay as written: the data's and params' names, titles and the evaluators' own words."""
    out = [results.get(k) for k in ("name", "implementing_body", "city", "province_name", "plan_document")]
    out += [m.get("name") for m in results.get("measures") or []]
    out += [r.get("addressee_name") for r in results.get("recommendations") or []]
    out += [i.get("evidence") for i in results.get("indicators") or []]
    params = results.get("params") or {}
    out += [params.get(k) for k in ("evaluating_body", "competent_authority", "document_number")]
    out += _strings(params.get("sign_off") or {}) + _strings((params.get("site_visit") or {}).get("team"))
    # the evaluators' rectification plan, as they wrote it (the params have no English field for it)
    out += [x for r in params.get("rectification") or [] for x in (r.get("measure"), r.get("owner"))]
    out += [(results.get("dataset") or {}).get("label")]
    return sorted({re.sub(r"\s+", "", s) for s in out if s}, key=len, reverse=True)


def chinese_left(text: str, allowed: list[str]) -> list[str]:
    """The Chinese runs of ``text`` once line breaks (which split names) and the allowed names are removed."""
    # a page's foot and the next page's head (page number, running title) may split a name
    text = re.sub(r"\n+Page \d+ of \d+\n+\x0c[^\n]*\n+[^\n]*Assessment Report \d{4}\n+", "\n", text)
    flat = re.sub(r"\s*\n\s*", "", text)
    for a in allowed:
        flat = flat.replace(a, " ")
    flat = re.sub(r"《[^》]*》", "", flat)
    return CJK.findall(flat)


def test_plural_chooses_one_and_other():
    t = "{n, plural, one {# problem was} other {# problems were}} found"
    assert plural(t, {"n": 1}).format(n=1) == "1 problem was found"
    assert plural(t, {"n": 0}).format(n=0) == "0 problems were found"
    assert plural(t, {"n": "1,000"}).format(n="1,000") == "1,000 problems were found"


def test_chinese_left_sees_a_sentence_and_spares_names():
    allowed = ["宁波梅山示范区", "零碳公共建筑"]
    assert chinese_left("In 宁波梅山\n示范区, 零碳公共建筑 is behind.", allowed) == []
    assert chinese_left("the grade stays “不合格”.", allowed) == ["不合格"]
    assert chinese_left("零碳公\n\nPage 3 of 9\n\n\x0c示例数据\n\nX · Assessment Report 2024\n\n共建筑 is late", allowed) == []


@pytest.mark.e2e
def test_english_body_of_three_zones(tmp_path):
    out = tmp_path / "out"
    assert main(["build", "--zones", ",".join(ZONES), "--lang", "en", "--out", str(out), "--jobs", "1"]) == 0
    for z in ZONES:
        folder = out / "2024" / "zones" / z
        results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        text = subprocess.run(["pdftotext", str(folder / "report.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "(s)" not in text, z
        assert not ONE_PLURAL.findall(text), (z, ONE_PLURAL.findall(text))
        left = chinese_left(text, names_and_titles(results))
        assert left == [], (z, left[:20])
