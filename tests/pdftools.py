"""Reading PDFs back the way a reviewer's tools do: poppler and pypdf."""
from __future__ import annotations

import subprocess
from pathlib import Path


def pdftotext(pdf: Path, layout: bool = False) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def pdffonts(pdf: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        if len(cols) < 6:
            continue
        # the last five columns: emb sub uni object-id generation
        fonts.append({"name": cols[0], "emb": cols[-5], "sub": cols[-4], "uni": cols[-3]})
    return fonts


def page_texts(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]
