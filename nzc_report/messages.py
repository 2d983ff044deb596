"""The command line's sentences, Chinese first: one catalogue (cli_messages.yaml) for every line
nzc-report prints of its own (progress, closing table, summaries, usage errors). Codes and figures
come from the code; words from here, in the workspace's or --lang's language."""
from __future__ import annotations

from nzc_report.yamlfile import LANGS, cli_catalogue, message_lang, said

__all__ = ["LANGS", "catalogue", "message_lang", "say"]
catalogue = cli_catalogue


def say(key: str, lang: str | None = None, /, **fields) -> str:
    """The message ``key`` in ``lang`` (zh or en); in the current language (yamlfile.speaking,
    set by the command line: --lang, else the workspace's, else zh) where ``lang`` is None."""
    return said(key, lang, **fields)
