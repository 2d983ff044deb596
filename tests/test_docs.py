"""The documentation is in the repository (issue 31): every relative link of README.md and docs/
resolves to a file of the repository, none leaves it (a clone has no ../shared), none goes to the
network; the README stays short and the test tiers stay documented."""
import re

from nzc_report.resources import PROJECT_ROOT

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
DOCS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").rglob("*.md"))]


def test_every_link_resolves_inside_the_repository():
    bad = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert "../shared" not in text, doc
        for target in LINK.findall(text):
            if target.startswith("#"):
                continue
            if re.match(r"^[a-z]+:", target):
                bad.append(f"{doc.name}: {target} (outside the repository)")
                continue
            path = (doc.parent / target.split("#")[0]).resolve()
            if PROJECT_ROOT.resolve() not in path.parents or not path.exists():
                bad.append(f"{doc.relative_to(PROJECT_ROOT)}: {target}")
    assert bad == []


def test_the_guides_and_references_are_there_and_linked_from_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("evaluators.md", "programme-office.md", "reviewers.md", "reference/cli.md", "reference/dataset.md",
                 "performance.md", "architecture.md", "testing.md", "api.md"):
        assert (PROJECT_ROOT / "docs" / name).is_file(), name
        assert f"(docs/{name})" in readme, name
    assert len(readme.splitlines()) < 80
    assert "make test-fast" in (PROJECT_ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    assert "`make test` about" in readme  # how long make test takes
