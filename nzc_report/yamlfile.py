"""Reading the project's YAML files with errors a user can act on.

``read_yaml``: the framework and rules files (checked in code by their readers).
``check_yaml`` / ``read_checked``: configuration files checked against a JSON
Schema in schemas/ (workspace settings, per-zone params). The YAML is loaded
keeping each node's line, so every problem reads ``FILE:LINE: message`` at
the line of the offending key. Dates stay text (they travel to the notebook
as JSON).
"""
from __future__ import annotations

import json
import math
import os
from functools import cache
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nzc_report.errors import ConfigError, ConfigProblem, UsageError

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def read_yaml(path: str | Path, what: str):
    """The parsed content of ``path``; UsageError naming ``what`` if it is missing or not YAML.

    Every number in it must be finite: ``.inf``, ``.nan`` or ``1.0e+400`` (a weight, a
    threshold) is refused at its FILE:LINE, so that no figure of a report is computed from it.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{what} {path}: no such file")
    try:
        text = path.read_text(encoding="utf-8")
        problems = [f"{path}:{line}: {what}: {value!r} is not a finite number"
                    for line, value in _non_finite_numbers(yaml.compose(text, Loader=yaml.SafeLoader))]
        if problems:
            raise UsageError("\n".join([*problems, f"{what} refused: {len(problems)} problem(s)"]))
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{what} {path}: not valid YAML: {exc}") from None


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves 2024-05-12 as the text it is."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def display_path(path: Path) -> str:
    """``path`` as the user most likely typed it: relative to the current folder when inside it."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def load_with_lines(text: str) -> tuple[object, Node | None]:
    """The YAML document and its node tree (nodes know their lines). Raises yaml.YAMLError."""
    loader = _TextDatesLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def key_line(node: Node | None, path) -> int:
    """The line of the key (or list item) ``path`` leads to, as far as the document has it."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for step in path:
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, ScalarNode) and key.value == str(step):
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _duplicate_keys(node: Node | None, where: str = "") -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    if isinstance(node, MappingNode):
        seen = set()
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else "?"
            if name in seen:
                found.append((key.start_mark.line + 1, f"key '{_join(where, name)}' appears twice"))
            seen.add(name)
            found += _duplicate_keys(value, _join(where, name))
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            found += _duplicate_keys(item, f"{where}[{i}]")
    return found


def _join(where: str, step) -> str:
    if isinstance(step, int):
        return f"{where}[{step}]"
    return f"{where}.{step}" if where else str(step)


def _location(path) -> str:
    where = ""
    for step in path:
        where = _join(where, step)
    return where


_TYPE_WORDS = {"string": "text", "object": "a mapping of keys", "array": "a list", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "empty"}


def _type_words(types) -> str:
    types = [types] if isinstance(types, str) else list(types)
    return " or ".join(_TYPE_WORDS.get(t, t) for t in types)


def _messages(error) -> list[tuple[list, str]]:
    """(path to point at, message) for one jsonschema error."""
    path = list(error.absolute_path)
    where = _location(path)
    prefix = f"{where}: " if where else ""
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in allowed)
        return [([*path, k], f"unknown key '{_join(where, k)}' ({_suggest(k, allowed)})") for k in extra]
    if error.validator == "required":
        missing = error.validator_value
        names = [n for n in missing if isinstance(error.instance, dict) and n not in error.instance]
        return [(path, f"missing key '{_join(where, n)}'") for n in names]
    if custom:
        return [(path, f"{prefix}{custom}")]
    if error.validator == "type":
        return [(path, f"{prefix}must be {_type_words(error.validator_value)}, not {error.instance!r}")]
    if error.validator == "enum":
        choices = ", ".join("empty" if c is None else str(c) for c in error.validator_value)
        return [(path, f"{prefix}{error.instance!r} is not one of: {choices}")]
    if error.validator == "minLength":
        return [(path, f"{prefix}must not be empty")]
    return [(path, f"{prefix}{error.message}")]


def _suggest(key: str, allowed: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"


@cache
def _validator(schema_path: str):
    import jsonschema

    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_path(name: str) -> Path:
    from nzc_report.resources import SCHEMAS_DIR

    return SCHEMAS_DIR / f"{name}.schema.json"


def check_yaml(path: str | Path, schema: str) -> tuple[object, list[ConfigProblem]]:
    """The content of ``path`` (an empty file is an empty mapping) and every problem
    found against schemas/<schema>.schema.json, in the order of the file's lines."""
    path = Path(path)
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [ConfigProblem(shown, None, "no such file")]
    except UnicodeDecodeError:
        return None, [ConfigProblem(shown, None, "not UTF-8 text")]
    try:
        data, node = load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or str(exc)
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start is not None:
            what += f" ({context} on line {start.line + 1})"
        return None, [ConfigProblem(shown, mark.line + 1 if mark else None, f"not valid YAML: {what}")]
    if data is None:
        data = {}
    found = [(line, msg) for line, msg in _duplicate_keys(node)]
    found += [(line, f"{value!r} is not a finite number") for line, value in _non_finite_numbers(node)]
    for error in _validator(str(schema_path(schema))).iter_errors(data):
        found += [(key_line(node, p), msg) for p, msg in _messages(error)]
    problems = [ConfigProblem(shown, line, msg) for line, msg in sorted(set(found))]
    return data, problems


def read_checked(path: str | Path, schema: str):
    """The content of ``path`` checked against its schema; ConfigError with every problem otherwise."""
    data, problems = check_yaml(path, schema)
    if problems:
        raise ConfigError(problems)
    return data


def _non_finite_numbers(node):
    """(line, text) of every float scalar that is infinite or NaN, in document order."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:float" and \
                not math.isfinite(yaml.SafeLoader("").construct_yaml_float(node)):
            yield node.start_mark.line + 1, node.value
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _non_finite_numbers(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _non_finite_numbers(key)
            yield from _non_finite_numbers(value)
