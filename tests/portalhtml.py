"""Reading the portal's HTML back in tests: links, table rows, text, and remote sources."""
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

REMOTE_SOURCE = re.compile(r"""(?:\b(?:src|href|action|data|poster|srcset)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["']?)"""
                           r"""(?:https?:)?//""", re.I)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.rows: list[dict] = []  # <tr data-id> of the zone table: id and hidden
        self.text: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None
        self.metas: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.links.append(a[key])
        if tag == "tr" and "data-id" in a:
            self.rows.append({**a, "id": a["data-id"], "hidden": "hidden" in a})
        if tag == "script":
            self._in_script = a
            self.scripts.append((a, ""))
        if tag == "meta":
            self.metas.append(a)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            a, s = self.scripts[-1]
            self.scripts[-1] = (a, s + data)
        else:
            self.text.append(data)


def parse(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    p.close()
    return p


def text_of(html: str) -> str:
    return "".join(parse(html).text)


def broken_links(year_dir: Path, page: str, html: str) -> list[str]:
    """Links of ``page`` (a path from year_dir) that do not lead to a file of the build."""
    bad = []
    root = Path(year_dir).resolve()
    for link in parse(html).links:
        target = link.split("#", 1)[0]
        if link.startswith("data:") or not target:
            continue  # in-page anchors; images inlined by nbconvert
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("/"):
            bad.append(f"{page}: {link} (not relative)")
            continue
        path = (root / posixpath.dirname(page) / target).resolve()
        if not path.is_file() or root not in path.parents:
            bad.append(f"{page}: {link}")
    return bad


def remote_sources(text: str) -> list[str]:
    return [text[max(0, m.start() - 30): m.end() + 40] for m in REMOTE_SOURCE.finditer(text)]
