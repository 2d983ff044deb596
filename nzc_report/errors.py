"""One root error with structured subclasses; each carries its exit code.

Exit codes follow ../shared/spec/cli.md: 1 some zone or summary failed,
2 the command or the dataset is unusable.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class NzcError(Exception):
    """Root of every error nzc-report raises on purpose."""

    exit_code = 1

    def format_message(self) -> str:
        return str(self)


class UsageError(NzcError):
    """The command line asks for something impossible."""

    exit_code = 2


class EnvironmentProblem(NzcError):
    """The machine lacks something the build needs (a library, a font, a kernel)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One finding about the input data, located like a spreadsheet user sees it."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"  # "error" refuses the dataset, "warning" does not

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(str(self.row))
        if self.column:
            parts.append(self.column)
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


@dataclass
class DatasetError(NzcError):
    """The dataset is refused; carries every problem found, not only the first."""

    problems: list[Problem] = field(default_factory=list)
    exit_code = 2

    def __post_init__(self) -> None:
        super().__init__(self.format_message())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def format_message(self) -> str:
        n = len(self.errors)
        lines = [str(p) for p in self.problems]
        lines.append(f"dataset refused: {n} problem{'s' if n != 1 else ''}")
        return "\n".join(lines)


class ZoneBuildError(NzcError):
    """One zone (or summary) could not be built; the others go on."""

    exit_code = 1

    # reason: words, or a yamlfile.Fault (a code with fields, said where it is shown; yamlfile imports this module)
    def __init__(self, zone_id: str, stage: str, reason: Any):
        self.zone_id = zone_id
        self.stage = stage
        self.reason = reason
        super().__init__(f"{zone_id}: {stage} failed: {reason}")

    def __str__(self) -> str:  # a Fault reason said in the current language when printed
        return f"{self.zone_id}: {self.stage} failed: {self.reason}"


class NotebookExecutionError(ZoneBuildError):
    """The zone's notebook raised, timed out or lost its kernel."""

    def __init__(self, zone_id: str, reason: str, notebook_path: str | None = None, kind: str = "error"):
        super().__init__(zone_id, "notebook", reason)
        self.notebook_path = notebook_path
        self.kind = kind  # error (a cell raised), timeout, kernel (died or failed to start)

    @property
    def retryable(self) -> bool:
        return self.kind == "kernel"


class RenderError(ZoneBuildError):
    """The PDF could not be rendered from a zone's results."""

    def __init__(self, zone_id: str, reason: Any):
        super().__init__(zone_id, "render", reason)


@dataclass(frozen=True)
class ConfigProblem:
    """One finding about a configuration file (settings, parameters), at the line of its key."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@dataclass
class ConfigError(NzcError):
    """A configuration file (workspace settings, parameters) is refused: a configuration
    error, not a usage error; carries every problem found, not only the first."""

    problems: list[ConfigProblem] = field(default_factory=list)
    exit_code = 2

    def __post_init__(self) -> None:
        super().__init__(self.format_message())

    def format_message(self) -> str:
        n = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"configuration refused: {n} problem{'s' if n != 1 else ''}")
        return "\n".join(lines)
