"""The command line's sentences, Chinese first: one catalogue (cli_messages.yaml) for every line
nzc-report prints of its own (progress, closing table, summaries, usage errors). Codes and figures
come from the code; words from here, in the workspace's or --lang's language."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from nzc_report.yamlfile import SAFE_LOADER

LANGS = ("zh", "en")


@cache
def catalogue() -> dict:
    import yaml

    with open(Path(__file__).with_name("cli_messages.yaml"), encoding="utf-8") as f:
        return yaml.load(f, Loader=SAFE_LOADER)


def say(key: str, lang: str | None, **fields) -> str:
    """The message ``key`` in ``lang`` (zh or en); English where no language is known yet
    (argparse's usage errors, before a workspace is read, speak English too)."""
    return catalogue()[key][lang if lang in LANGS else "en"].format(**fields)
