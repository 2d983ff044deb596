"""Chinese first (issue 31): a build in a Chinese workspace prints no English line apart from
names, ids and paths; the same build with --lang en prints English. The closing table points at
the portal and OUT/<year>/build.log holds the full table."""
import re

import pytest

from nzc_report.cli import main

pytestmark = pytest.mark.e2e
IDS = {"alpha", "beta", "national", "portal", "ranking"}
WORD = re.compile(r"[A-Za-z][A-Za-z_-]{2,}")


def _english_words(line: str) -> list[str]:
    """ASCII words of a line, leaving out paths, ids and the names of programs and files."""
    kept = []
    for token in line.split():
        if "/" in token or "\\" in token or token.endswith((".html", ".ipynb", ".log", ".json", ".pdf")):
            continue  # a path
        if ".csv:" in token or ".xlsx:" in token:
            continue  # FILE:ROW:COLUMN of a dataset message: the user's file and column names
        kept += [w for w in WORD.findall(token) if w not in IDS and w not in ("WeasyPrint", "Dask", "nzc-report")]
    return kept


def test_a_zh_build_speaks_chinese_and_lang_en_english(tiny_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--data", str(tiny_dir), "--out", str(out), "--year", "2019"]) == 0
    captured = capsys.readouterr()
    lines = [line for line in (captured.out + captured.err).splitlines() if line.strip()]
    assert lines
    english = {line: _english_words(line) for line in lines if _english_words(line)}
    assert english == {}
    assert captured.out.splitlines()[-1] == f"打开门户：{out / '2019' / 'index.html'}"
    assert any("已构建" in line for line in lines)
    log = (out / "2019" / "build.log").read_text(encoding="utf-8")
    assert "alpha" in log and "已构建" in log  # the full closing table

    assert main(["build", "--data", str(tiny_dir), "--out", str(out), "--year", "2019", "--zones", "alpha",
                 "--lang", "en"]) == 0
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "built" in text and "open the portal:" in text
    assert not re.search(r"[\u4e00-\u9fff]", "\n".join(
        line for line in text.splitlines() if "alpha" not in line and "beta" not in line))
