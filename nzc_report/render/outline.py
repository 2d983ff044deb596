"""The report's headings, numbered once, for the body, the contents and the PDF outline.

Chinese reports number 一、 then （一） then 1.; English ones 1. then 1.1.
Unnumbered parts (评估摘要, 附录) number their children with the appendix style.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

CN_DIGITS = "一二三四五六七八九十"


def cn_numeral(n: int) -> str:
    """1..99 in Chinese numerals: 一, 十, 十一, 二十三."""
    if n <= 10:
        return CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_DIGITS[tens - 1] if tens > 1 else "") + "十" + (CN_DIGITS[ones - 1] if ones else "")


@dataclass
class Heading:
    id: str
    level: int  # 1 → <h2>, 2 → <h3>
    title: str
    number: str = ""
    children: list["Heading"] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.number}{self.title}"


def number_headings(parts: list[Heading], lang: str) -> list[Heading]:
    """Numbers the numbered parts (those with number None→'') in order, and their children."""
    i = 0
    for part in parts:
        numbered = part.number != "-"
        if numbered:
            i += 1
            part.number = f"{cn_numeral(i)}、" if lang == "zh" else f"{i}. "
        else:
            part.number = ""
        for j, child in enumerate(part.children, 1):
            if lang == "zh":
                child.number = f"（{cn_numeral(j)}）"
            else:
                child.number = f"{i}.{j} " if numbered else f"A.{j} "
    return parts


def flatten(parts: list[Heading]) -> list[Heading]:
    return [h for p in parts for h in [p, *p.children]]


class Outlined:
    """A report view whose headings are numbered once and found by id: heading_parts() gives
    the parts, ``headings`` the numbered tree (contents, bookmarks), ``h(id)`` one heading."""

    lang: str

    def heading_parts(self) -> list[Heading]:
        raise NotImplementedError

    @cached_property
    def _outline(self) -> tuple[list[Heading], dict[str, Heading]]:
        headings = number_headings(self.heading_parts(), self.lang)
        return headings, {x.id: x for x in flatten(headings)}

    @property
    def headings(self) -> list[Heading]:
        return self._outline[0]

    def h(self, heading_id: str) -> Heading:
        return self._outline[1][heading_id]
