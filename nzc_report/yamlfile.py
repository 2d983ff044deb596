"""Reading the project's YAML files with errors a user can act on.

``check_yaml`` / ``read_checked``: every configuration file (workspace
settings, per-zone params, and params/: framework, rules, significance,
report, summary) checked against its JSON Schema in schemas/. The YAML is
loaded keeping each node's line, so every problem reads ``FILE:LINE: message``
at the line of the offending key; readers that check cross-references in code
(a rule naming an unknown problem) point at lines the same way with
``line_finder``. Dates stay text (they travel to the notebook as JSON).
"""
from __future__ import annotations

import contextlib
import contextvars
import copy
import json
import math
import os
import re
import stat
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from yaml.events import (
    AliasEvent, CollectionEndEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nzc_report.errors import ConfigError, ConfigProblem

_TIMESTAMP = "tag:yaml.org,2002:timestamp"

# -- the language problems are said in (issue 31: Chinese first) --------------------------------
# The command line sets it once it knows the language (--lang, else the workspace's, else zh);
# every configuration problem, usage error and help text is then said in it, from the one
# catalogue of the command line's sentences (cli_messages.yaml). Chinese when nobody set it.
LANGS = ("zh", "en")
_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("nzc_report_lang", default="zh")


def message_lang() -> str:
    """The language problems are said in now (zh unless a caller chose en)."""
    return _LANG.get()


@contextlib.contextmanager
def speaking(lang: str | None):
    """Problems and messages said in ``lang`` (zh or en; None keeps the current) inside the block."""
    token = _LANG.set(lang if lang in LANGS else _LANG.get())
    try:
        yield
    finally:
        _LANG.reset(token)


def set_message_lang(lang: str | None) -> contextvars.Token:
    """Sets the language for the rest of this context (the command line, once it knows it)."""
    return _LANG.set(lang if lang in LANGS else _LANG.get())


def reset_message_lang(token: contextvars.Token) -> None:
    """Back to the language before set_message_lang gave ``token``."""
    _LANG.reset(token)


@cache
def cli_catalogue() -> dict:
    """cli_messages.yaml: the command line's sentences, each in zh and en."""
    with open(Path(__file__).with_name("cli_messages.yaml"), encoding="utf-8") as f:
        return yaml.load(f, Loader=SAFE_LOADER)


def said(name: str, lang: str | None = None, /, **fields) -> str:
    """The sentence ``name`` of cli_messages.yaml in ``lang`` (default: the current language)."""
    entry = cli_catalogue()[name]
    return plural(entry[lang if lang in LANGS else message_lang()], fields).format(**fields)


@dataclass(frozen=True)
class Fault:
    """Why something failed, as a sentence's code in cli_messages.yaml and its fields: made where it
    fails (a worker, a render's fork, the cache check), worded where it is shown (the closing table,
    the progress line, the manifest's reason, an error printed) in the language of that build or
    command. A field that is a Fault, or a tuple of them, is worded too (a tuple: joined by fault_sep).
    As an exception's argument it is worded in the current language when printed (str)."""

    code: str
    fields: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, code: str, **fields: object) -> Fault:
        return cls(code, tuple(fields.items()))

    def said(self, lang: str | None = None) -> str:
        return said(self.code, lang, **{k: worded(v, lang) for k, v in self.fields})

    def __str__(self) -> str:
        return self.said()


def worded(value: object, lang: str | None = None) -> object:
    """``value`` with any Fault in it said in ``lang`` (a tuple of them joined); other values as they are."""
    if isinstance(value, Fault):
        return value.said(lang)
    if isinstance(value, tuple) and any(isinstance(v, Fault) for v in value):
        return said("fault_sep", lang).join(str(worded(v, lang)) for v in value)
    return value


# ICU MessageFormat's plural, the part the catalogues need: {n, plural, one {# problem} other {# problems}}.
# The whole sentence stays in the catalogue (a translator sees both forms side by side); English
# needs only "one" (exactly 1) and "other", Chinese none, so Babel's CLDR rules would add a dependency
# for a choice of two. '#' is the number as given. Both catalogues use it: the reports'
# (render/messages.py) and the command line's (cli_messages.yaml, through ``said``).
_PLURAL = re.compile(r"\{(\w+), plural, one \{([^{}]*)\} other \{([^{}]*)\}\}")


def plural(text: str, values: dict) -> str:
    """``text`` with each plural choice made for its value (1 → one, else other)."""
    def choose(m: re.Match) -> str:
        value = values.get(m.group(1))
        try:
            one = value is not None and float(str(value).replace(",", "")) == 1
        except ValueError:
            one = False
        return (m.group(2) if one else m.group(3)).replace("#", "{" + m.group(1) + "}")
    return _PLURAL.sub(choose, text) if ", plural," in text else text


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


# libyaml's parser when PyYAML has it, ~7x faster (every notebook parses the framework and rules);
# same nodes, lines and data. A file it refuses is parsed again by the pure-Python parser, whose
# message, line and context the problems have always quoted.
def _libyaml_loader() -> type | None:
    if not getattr(yaml, "__with_libyaml__", False):
        return None

    class CTextDatesLoader(yaml.CSafeLoader):
        """CSafeLoader that leaves 2024-05-12 as the text it is."""

    CTextDatesLoader.yaml_implicit_resolvers = _TextDatesLoader.yaml_implicit_resolvers
    return CTextDatesLoader


_CTextDatesLoader = _libyaml_loader()


def _load(loader_class: type, text: str) -> tuple[object, Node | None]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def load_with_lines(text: str) -> tuple[object, Node | None]:
    """The YAML document and its node tree (nodes know their lines). Raises yaml.YAMLError."""
    if _CTextDatesLoader is not None:
        try:
            return _load(_CTextDatesLoader, text)
        except yaml.YAMLError:
            pass
    return _load(_TextDatesLoader, text)


# -- bounds, checked while parsing ------------------------------------------------------------
@cache
def bounds() -> dict:
    """The configuration files' bounds, stated with the dataset's in dataset/limits.yaml."""
    with open(Path(__file__).parent / "dataset" / "limits.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=SAFE_LOADER)


def over_bounds(text: str) -> tuple[int, str] | None:
    """(line, why) when the document is nested too deep, uses too many aliases, refers to a node
    from inside it (a recursive structure) or expands, aliases followed, to too many nodes; else
    None. Read from the parser's events (a flat stream, no recursion), before any node is built:
    a "billion laughs" of 1 KB is refused here at once, not expanded."""
    if _CTextDatesLoader is not None:
        try:
            return _over_bounds(text, _CTextDatesLoader)
        except yaml.YAMLError:
            pass  # libyaml stops at 1000 levels; the pure-Python parser counts on (or says why not)
    try:
        return _over_bounds(text, _TextDatesLoader)
    except yaml.YAMLError:
        return None  # not YAML: the loader says where and why


def _over_bounds(text: str, loader: type) -> tuple[int, str] | None:
    lim = bounds()
    max_depth, max_nodes, max_aliases = (int(lim[k]) for k in ("yaml_max_depth", "yaml_max_nodes",
                                                                "yaml_max_aliases"))
    stack: list[list] = [[0, None]]  # [expanded size so far, anchor] of each open collection
    sizes: dict[str, int] = {}
    open_anchors: set[str] = set()
    aliases = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1 if event.start_mark else 1
        size = 0
        if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            stack.append([1, event.anchor])
            if event.anchor:
                open_anchors.add(event.anchor)
            if len(stack) - 1 > max_depth:
                return line, said("cfg_too_deep", depth=max_depth)
            continue
        if isinstance(event, CollectionEndEvent):
            size, anchor = stack.pop()
            if anchor:
                sizes[anchor] = size
                open_anchors.discard(anchor)
        elif isinstance(event, ScalarEvent):
            size = 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, AliasEvent):
            aliases += 1
            if aliases > max_aliases:
                return line, said("cfg_too_many_aliases", n=max_aliases)
            if event.anchor in open_anchors:
                return line, said("cfg_recursive_alias", anchor=event.anchor)
            size = sizes.get(event.anchor or "", 1)  # an undefined alias: the composer says so
        else:
            continue
        stack[-1][0] += size
        if stack[-1][0] > max_nodes:
            return line, said("cfg_expands", n=f"{max_nodes:,}")
    return None


_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C}


def text_problem(text: str) -> str | None:
    """Why a text of a configuration file is refused: a control character (tab and newline
    aside), a bidirectional control that would reorder what a reader sees, a lone surrogate
    (no character at all), or more characters than yaml_max_text_chars; else None."""
    longest = int(bounds()["yaml_max_text_chars"])
    if len(text) > longest:
        return said("cfg_text_too_long", n=f"{len(text):,}", limit=f"{longest:,}")
    for ch in text:
        cp = ord(ch)
        if ch in "\t\n":
            continue
        if cp < 0x20 or 0x7F <= cp < 0xA0:
            return said("cfg_control_char", cp=f"U+{cp:04X}")
        if cp in _BIDI:
            return said("cfg_bidi_char", cp=f"U+{cp:04X}")
        if 0xD800 <= cp <= 0xDFFF:
            return said("cfg_surrogate", cp=f"\\u{cp:04x}")
    return None


def _text_problems(node: Node | None) -> list[tuple[int, str]]:
    """(line, why) of every text scalar refused by text_problem, each node once (aliases share)."""
    found: list[tuple[int, str]] = []
    seen: set[int] = set()
    todo = [node] if node is not None else []
    while todo:
        n = todo.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, ScalarNode):
            if isinstance(n.value, str):
                why = text_problem(n.value)
                if why:
                    found.append((n.start_mark.line + 1, why))
        elif isinstance(n, SequenceNode):
            todo.extend(n.value)
        elif isinstance(n, MappingNode):
            for key, value in n.value:
                todo.extend((key, value))
    return found


def file_kind_problem(path: Path, root: Path | None = None) -> str | None:
    """Why a configuration file must not be read: a symlink leading out of ``root`` (its own
    folder by default), or something that is not a regular file (a FIFO would block); else None."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    root = (root if root is not None else path.parent).resolve()
    if stat.S_ISLNK(info.st_mode):
        target = path.resolve()
        if not target.is_relative_to(root):
            return said("cfg_symlink_outside", target=target, root=root)
        try:
            info = target.stat()
        except OSError:
            return said("cfg_symlink_missing", target=target)
    if not stat.S_ISREG(info.st_mode):
        return said("cfg_not_regular")
    if info.st_size > int(bounds()["yaml_max_bytes"]):
        return said("cfg_file_too_large", n=f"{info.st_size:,}", limit=f"{int(bounds()['yaml_max_bytes']):,}")
    return None


# -- placeholders ------------------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def placeholders(text: str) -> list[str]:
    """The placeholders of ``text`` as written: '{name}' gives 'name', '{name.__class__}' gives
    'name.__class__' (which fill never resolves); '{{' and '}}' are literal braces."""
    return [m[1] for m in _PLACEHOLDER.finditer(text) if m[1] is not None]


def fill(text: str, values: dict) -> str:
    """``text`` with each ``{name}`` replaced by ``values[name]``: names only, never attributes,
    items or format specs (str.format would reach them). A placeholder not in ``values`` stays as
    written (the configuration check refuses it first); '{{' and '}}' are literal braces."""
    def one(m: re.Match) -> str:
        if m[1] is None:
            return m[0][0]
        return str(values[m[1]]) if m[1] in values else m[0]
    return _PLACEHOLDER.sub(one, text)


# For YAML files of the package that are not checked line by line (the message catalogues): the
# safe loader, libyaml's when PyYAML has it.
SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream) -> object:
    """yaml.safe_load, with libyaml's parser when PyYAML has it (the same data)."""
    return yaml.load(stream, Loader=SAFE_LOADER)


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
                found.append((key.start_mark.line + 1, said("cfg_key_twice", key=_join(where, name))))
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


_TYPES = ("string", "object", "array", "integer", "number", "boolean", "null")
_BOUND_WORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _type_words(types) -> str:
    types = [types] if isinstance(types, str) else list(types)
    return said("cfg_or").join(said(f"cfg_type_{t}") if t in _TYPES else t for t in types)


def _custom(text: str | None) -> str | None:
    """A schema's own message (x-message, written in English in schemas/) in the current
    language: cli_messages.yaml's schema_messages gives each its Chinese."""
    if not text or message_lang() == "en":
        return text
    return cli_catalogue()["schema_messages"].get(text, text)


def _messages(error) -> list[tuple[list, str]]:
    """(path to point at, message) for one jsonschema error."""
    path = list(error.absolute_path)
    where = _location(path)
    prefix = f"{where}: " if where else ""
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    if "propertyNames" in error.absolute_schema_path:  # a key of the mapping at ``path``
        key = str(error.instance)
        allowed = _choices(error)
        close = _close(key, allowed)
        hint = said("cfg_did_you_mean_q", close=close) if close else \
            _custom(custom) or (suggest(key, allowed) if allowed else error.message)
        return [([*path, key], said("cfg_unknown_key", key=_join(where, key), hint=hint))]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in allowed)
        return [([*path, k], said("cfg_unknown_key", key=_join(where, k), hint=suggest(k, allowed))) for k in extra]
    if error.validator == "required":
        missing = error.validator_value
        names = [n for n in missing if isinstance(error.instance, dict) and n not in error.instance]
        return [(path, said("cfg_missing_key", key=_join(where, n))) for n in names]
    if custom:
        return [(path, f"{prefix}{_custom(custom)}")]
    if error.validator == "type":
        return [(path, prefix + said("cfg_wrong_type", type=_type_words(error.validator_value),
                                     value=repr(error.instance)))]
    if error.validator == "enum":
        choices = said("cfg_list_sep").join(said("cfg_type_null") if c is None else str(c)
                                            for c in error.validator_value)
        hint = did_you_mean(error.instance, error.validator_value)
        return [(path, prefix + said("cfg_not_one_of", value=repr(error.instance), choices=choices, hint=hint))]
    if error.validator in ("minLength", "minItems", "minProperties") and error.validator_value == 1:
        return [(path, prefix + said("cfg_not_empty"))]
    if error.validator in _BOUND_WORDS:
        return [(path, prefix + said(f"cfg_{error.validator}", bound=f"{error.validator_value:g}",
                                     value=repr(error.instance)))]
    if error.validator == "uniqueItems":
        return [(path, prefix + said("cfg_item_twice"))]
    return [(path, f"{prefix}{error.message}")]


def _close(value, allowed) -> str | None:
    """The one of ``allowed`` that ``value`` is most likely a typo of, if any."""
    import difflib

    if not isinstance(value, str):
        return None
    close = difflib.get_close_matches(value, [str(a) for a in allowed], n=1, cutoff=0.75)
    return close[0] if close else None


def suggest(key: str, allowed) -> str:
    """'did you mean …?' when ``key`` is close to one of ``allowed``, else the list allowed."""
    close = _close(key, allowed)
    return said("cfg_did_you_mean_q", close=close) if close else \
        said("cfg_allowed", names=said("cfg_list_sep").join(sorted(map(str, allowed))))


def did_you_mean(value, allowed) -> str:
    """' (did you mean …?)' when ``value`` is close to one of ``allowed``, else ''."""
    close = _close(value, allowed)
    return said("cfg_did_you_mean", close=close) if close else ""


def _choices(error) -> list[str]:
    """The names an enum (or an anyOf of consts and enums, as a propertyNames schema) allows."""
    if error.validator == "enum":
        return [str(c) for c in error.validator_value]
    if error.validator == "const":
        return [str(error.validator_value)]
    return [name for sub in error.context or [] for name in _choices(sub)]


@cache
def _validator(schema_path: str):
    import jsonschema

    # The schemas are the package's own files, checked against their metaschema by the tests
    # (tests/test_schemas_valid.py), not again in every process (about 0.85 s of CPU a build).
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


# -- a schema as one predicate ------------------------------------------------------------------
# jsonschema walks the schema anew for each instance, making a validator object at every step:
# about 50 ms of CPU for one zone's results.json, paid at every write and read of one. The
# keywords our schemas use are compiled here once into nested closures that only say whether an
# instance is valid (about 20 times faster); where one is not, jsonschema says what is wrong.
# Semantics as jsonschema's (Draft 2020-12): a keyword about one JSON type passes other types,
# integers include 1.0 but not True, enum and const tell True from 1. A schema with a keyword
# not handled here gets no predicate: its callers use jsonschema alone.
_ANNOTATIONS = {"$schema", "$id", "$defs", "definitions", "title", "description", "$comment", "examples",
                "default", "deprecated", "readOnly", "writeOnly", "then", "else"}  # then/else: with "if"


class _Unhandled(Exception):
    pass


def _is_number(x) -> bool:
    import numbers

    return not isinstance(x, bool) and isinstance(x, numbers.Number)


_JSON_TYPES = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "number": _is_number,
    "integer": lambda x: not isinstance(x, bool) and (isinstance(x, int) or (isinstance(x, float) and x.is_integer())),
}


def _equal(one, two) -> bool:
    """JSON equality as jsonschema's: True is not 1, 1.0 is 1, sequences and mappings item by item."""
    from collections.abc import Mapping, Sequence

    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(i, j) for i, j in zip(one, two))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(k in two and _equal(v, two[k]) for k, v in one.items())
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return bool(one == two)


def _pointer(root, ref: str):
    from urllib.parse import unquote

    if not ref.startswith("#"):
        raise _Unhandled(ref)
    node = root
    for part in filter(None, unquote(ref[1:]).split("/")):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _compile(node, root, refs: dict):
    if node is True or node == {}:
        return lambda x: True
    if node is False:
        return lambda x: False
    if not isinstance(node, dict) or "patternProperties" in node or "prefixItems" in node:
        raise _Unhandled(node)
    checks = [_keyword(key, value, node, root, refs) for key, value in node.items() if key not in _ANNOTATIONS]
    if len(checks) == 1:
        return checks[0]
    return lambda x: all(check(x) for check in checks)


def _keyword(key: str, value, node: dict, root, refs: dict):  # one branch a keyword
    if key == "type":
        tests = [_JSON_TYPES[t] if t in _JSON_TYPES else _raise(t) for t in ([value] if isinstance(value, str) else value)]
        return tests[0] if len(tests) == 1 else (lambda x: any(t(x) for t in tests))
    if key == "properties":
        subs = [(name, _compile(sub, root, refs)) for name, sub in value.items()]
        return lambda x: not isinstance(x, dict) or all(f(x[n]) for n, f in subs if n in x)
    if key == "required":
        return lambda x: not isinstance(x, dict) or all(n in x for n in value)
    if key == "additionalProperties":
        known = node.get("properties", {})
        if value is False:
            return lambda x: not isinstance(x, dict) or all(k in known for k in x)
        extra = _compile(value, root, refs)
        return lambda x: not isinstance(x, dict) or all(extra(v) for k, v in x.items() if k not in known)
    if key == "items":
        item = _compile(value, root, refs)
        return lambda x: not isinstance(x, list) or all(item(i) for i in x)
    if key == "enum":
        if all(isinstance(e, str) for e in value):
            words = set(value)
            return lambda x: isinstance(x, str) and x in words
        return lambda x: any(_equal(e, x) for e in value)
    if key == "const":
        return lambda x: _equal(x, value)
    if key == "minimum":
        return lambda x: not _is_number(x) or not x < value
    if key == "maximum":
        return lambda x: not _is_number(x) or not x > value
    if key == "pattern":
        rx = re.compile(value)
        return lambda x: not isinstance(x, str) or rx.search(x) is not None
    if key == "minLength":
        return lambda x: not isinstance(x, str) or len(x) >= value
    if key == "minItems":
        return lambda x: not isinstance(x, list) or len(x) >= value
    if key == "allOf":
        parts = [_compile(sub, root, refs) for sub in value]
        return lambda x: all(f(x) for f in parts)
    if key == "if":
        cond = _compile(value, root, refs)
        then = _compile(node.get("then", True), root, refs)
        else_ = _compile(node.get("else", True), root, refs)
        return lambda x: then(x) if cond(x) else else_(x)
    if key == "$ref":
        if value not in refs:  # compiled once; a placeholder first, so that a recursive $ref ends
            refs[value] = None
            refs[value] = _compile(_pointer(root, value), root, refs)
        return lambda x: refs[value](x)
    raise _Unhandled(key)


def _raise(what):
    raise _Unhandled(what)


@cache
def schema_predicate(schema_path: str):
    """``instance → bool``: valid against the schema file at ``schema_path`` (as jsonschema would
    say), or None where the schema uses a keyword the compiler does not handle."""
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    try:
        return _compile(schema, schema, {})
    except _Unhandled:
        return None


def schema_path(name: str) -> Path:
    from nzc_report.resources import SCHEMAS_DIR

    return SCHEMAS_DIR / f"{name}.schema.json"


@dataclass
class CheckedYaml:
    """A configuration file as read and checked: its content, its node tree (for
    lines) and the problems found so far; a reader adds its cross-reference
    problems with ``add``, at the line of the key they concern."""

    path: Path
    shown: str
    data: object = None
    node: Node | None = None
    problems: list[ConfigProblem] = field(default_factory=list)

    def line(self, path) -> int:
        return key_line(self.node, path)

    def add(self, path, message: str) -> None:
        where = _location(path)
        self.problems.append(ConfigProblem(self.shown, self.line(path), f"{where}: {message}" if where else message))

    @property
    def mapping(self) -> dict | None:
        """The content, if the file was read as a mapping (schema problems or not)."""
        return self.data if isinstance(self.data, dict) else None

    @contextlib.contextmanager
    def part(self):
        """Checks one part's cross-references; a part of the wrong shape (which the schema
        reports) is passed over, so the other parts' problems are all found in one go."""
        try:
            yield
        except (KeyError, IndexError, TypeError, AttributeError, ValueError):
            pass

    def sorted_problems(self) -> list[ConfigProblem]:
        """Schema and cross-reference problems together, in the order of the file's lines."""
        return sorted(self.problems, key=lambda p: p.line or 0)


def _yaml_problem(text: str) -> str:
    """The YAML parser's words (English) in the current language: its usual problems are in
    cli_messages.yaml's yaml_problems (by how they begin); in Chinese, any other is a syntax error."""
    if message_lang() == "en":
        return text
    for start, words in cli_catalogue()["yaml_problems"].items():
        if text.startswith(start):
            return words
    return cli_catalogue()["yaml_problems"][""]


def check_file(path: str | Path, schema: str, root: Path | None = None) -> CheckedYaml:
    """``path`` read and checked against schemas/<schema>.schema.json (an empty file is
    an empty mapping); its problems are in the order of the file's lines. A symlink leading out
    of ``root`` (default: the file's folder), anything but a regular file, a file over the bounds
    of limits.yaml and a text with control characters are refused."""
    path = Path(path)
    checked = CheckedYaml(path, display_path(path))
    refused = file_kind_problem(path, root)
    if refused:
        checked.problems.append(ConfigProblem(checked.shown, None, refused))
        return checked
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        checked.problems.append(ConfigProblem(checked.shown, None, said("cfg_no_such_file")))
        return checked
    except UnicodeDecodeError:
        checked.problems.append(ConfigProblem(checked.shown, None, said("cfg_not_utf8")))
        return checked
    try:
        over, data, node = document(text)
    except RecursionError:  # over_bounds keeps nesting shallow; a safety net, never a traceback
        checked.problems.append(ConfigProblem(checked.shown, None, said("cfg_nested_too_deep")))
        return checked
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = _yaml_problem(getattr(exc, "problem", None) or str(exc))
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start is not None:
            what += said("cfg_yaml_context", context=_yaml_problem(context), line=start.line + 1)
        checked.problems.append(ConfigProblem(checked.shown, mark.line + 1 if mark else None,
                                              said("cfg_not_yaml", what=what)))
        return checked
    if over:
        checked.problems.append(ConfigProblem(checked.shown, over[0], over[1]))
        return checked
    checked.data = {} if data is None else data
    checked.node = node
    key = (str(schema_path(schema)), text, message_lang())
    found = _FOUND.get(key)
    if found is None:
        found = tuple(sorted(set(_content_problems(checked.data, node, key[0]))))
        if len(text) <= _FOUND_MAX_CHARS:
            with _FOUND_LOCK:  # threads of one process (the in-process executor) check files too
                while len(_FOUND) >= _FOUND_MAX_ENTRIES:
                    _FOUND.pop(next(iter(_FOUND)), None)
                _FOUND[key] = found
    checked.problems = [ConfigProblem(checked.shown, line, msg) for line, msg in found]
    return checked


def document(text: str) -> tuple[tuple[int, str] | None, object, Node | None]:
    """(over_bounds(text), data, node): within the bounds, the document (a copy of its own for the
    caller, who may change it) and its node tree (for lines: read only); past them, (over, None,
    None), nothing built. Raises as load_with_lines. A text read again (the shipped params: every
    check_shared_params reads each framework file twice and rules.yaml once per framework; every
    notebook and every validate reads them all) is parsed once per process and language: a bounded
    number of texts of bounded size are kept, as _FOUND keeps their problems. A copy of the data
    costs about a tenth of parsing it again."""
    key = (text, message_lang())  # over_bounds says why in the language of the moment
    parsed = _PARSED.get(key)
    if parsed is None:
        over = over_bounds(text)
        data, node = (None, None) if over else load_with_lines(text)
        parsed = (over, data, node)
        if len(text) <= _FOUND_MAX_CHARS:
            with _FOUND_LOCK:
                while len(_PARSED) >= _FOUND_MAX_ENTRIES:
                    _PARSED.pop(next(iter(_PARSED)), None)
                _PARSED[key] = parsed
    over, data, node = parsed
    return over, copy.deepcopy(data), node


_PARSED: dict[tuple[str, str], tuple[tuple[int, str] | None, object, Node | None]] = {}


# The problems of a text against a schema depend on nothing else: the schema is read once per
# process (_validator) and the sentences are in the language of the key. A text checked again
# (the shipped params, checked by validate, by build and in every notebook; every check of a
# process that loads them anew) is not walked again: its (line, message) pairs are kept here,
# a bounded number of texts of bounded size. Its parse is kept too (document), the data copied
# for each caller: the callers read and may change it.
_FOUND: dict[tuple[str, str, str], tuple[tuple[int, str], ...]] = {}
_FOUND_MAX_ENTRIES = 64
_FOUND_MAX_CHARS = 512 * 1024
_FOUND_LOCK = threading.Lock()


def _content_problems(data, node: Node | None, schema_file: str) -> list[tuple[int, str]]:
    """(line, message) of every problem of a parsed text: duplicate keys, non-finite numbers,
    refused characters and every schema error."""
    found = [(line, msg) for line, msg in _duplicate_keys(node)]
    found += [(line, said("cfg_not_finite", value=repr(value))) for line, value in _non_finite_numbers(node)]
    found += _text_problems(node)
    for error in _validator(schema_file).iter_errors(data):
        found += [(key_line(node, p), msg) for p, msg in _messages(error)]
    return found


def check_yaml(path: str | Path, schema: str) -> tuple[object, list[ConfigProblem]]:
    """The content of ``path`` (an empty file is an empty mapping) and every problem
    found against schemas/<schema>.schema.json, in the order of the file's lines."""
    checked = check_file(path, schema)
    return checked.data, checked.problems


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
