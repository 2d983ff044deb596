"""The refusal of a dataset: every problem, capped for the terminal, in the reader's language."""
from __future__ import annotations

from dataclasses import dataclass

from nzc_report.dataset.catalogue import limits, msg
from nzc_report.errors import DatasetError


@dataclass
class DatasetRefused(DatasetError):
    """DatasetError whose message is in ``lang`` and prints at most ``max_problem_lines`` problems.

    ``problems`` keeps all of them (errors first, then warnings), kedro style:
    the cap is only on what is printed.
    """

    lang: str = "zh"
    unlisted: int = 0  # problems found past limits.yaml's max_problems: counted, not written out

    def format_message(self) -> str:
        cap = int(limits()["max_problem_lines"])
        prefix = msg("warning_prefix", self.lang)
        ordered = self.errors + [p for p in self.problems if p.severity != "error"]
        lines = [f"{prefix}{p}" if p.severity != "error" else str(p) for p in ordered[:cap]]
        more = max(len(ordered) - cap, 0) + self.unlisted
        if more:
            lines.append(msg("more_lines", self.lang, n=more))
        lines.append(msg("refused", self.lang, n=len(self.errors) + self.unlisted))
        return "\n".join(lines)
