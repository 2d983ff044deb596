"""The compiled schema predicate (yamlfile.schema_predicate) says valid exactly where jsonschema does.

results_errors asks the predicate first and jsonschema only when it says "not valid", so a
predicate that passed what jsonschema refuses would let a broken results.json through: each
keyword is checked against jsonschema over a grid of JSON values, then a sample zone's
results.json and seeded mutations of it.
"""
import copy
import json
import random
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from nzc_report.yamlfile import _compile, schema_path, schema_predicate

VALUES = [None, True, False, 0, 1, -1, 1.0, 2.5, -0.5, 100, 101, float("nan"), "", "a", "ab", "x1", "2024",
          "built", [], [1], ["a", "b"], [True], {}, {"a": 1}, {"a": "x", "b": 2}, {"c": None}]

SCHEMAS = [
    {"type": "integer"}, {"type": "number"}, {"type": ["string", "null"]}, {"type": "boolean"},
    {"type": "object"}, {"type": "array"}, {"enum": ["a", "built"]}, {"enum": [1, None, "a"]},
    {"enum": [[1], {"a": 1}]}, {"const": 1}, {"const": True}, {"const": [True]},
    {"minimum": 0}, {"maximum": 100}, {"pattern": "^[a-z][0-9]$"}, {"pattern": "b"}, {"minLength": 2},
    {"minItems": 1}, {"required": ["a"]}, {"properties": {"a": {"type": "string"}}},
    {"properties": {"a": {"type": "integer"}}, "additionalProperties": False},
    {"additionalProperties": {"type": "integer"}}, {"items": {"type": "string"}}, {"items": False},
    {"allOf": [{"type": "number"}, {"minimum": 1}]},
    {"if": {"type": "object", "required": ["a"]}, "then": {"required": ["b"]}, "else": {"type": "array"}},
    {"if": {"type": "string"}, "then": {"minLength": 2}},
    {"$defs": {"n": {"type": "number", "minimum": 0}}, "$ref": "#/$defs/n", "maximum": 50},
    {"$defs": {"tree": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}, "$ref": "#/$defs/tree"},
    {"description": "annotations only", "title": "t"}, True, False,
]


@pytest.mark.parametrize("schema", SCHEMAS, ids=[json.dumps(s)[:60] for s in SCHEMAS])
def test_each_keyword_as_jsonschema_says(schema):
    valid = _compile(schema, schema, {})
    jsonschema = Draft202012Validator(schema)
    for value in VALUES + [[v] for v in VALUES] + [{"a": v} for v in VALUES]:
        assert valid(value) == jsonschema.is_valid(value), value


def test_a_keyword_it_does_not_know_gives_no_predicate(tmp_path):
    path = tmp_path / "s.schema.json"
    path.write_text(json.dumps({"properties": {"a": {"anyOf": [{"type": "string"}]}}}), encoding="utf-8")
    assert schema_predicate(str(path)) is None


def test_a_sample_results_json_and_its_mutations_as_jsonschema_says():
    from test_results_model import zone_results

    import sampledata

    results = zone_results(sampledata.dataset(), "gd-nanao", 2024)
    path = str(schema_path("results"))
    valid = schema_predicate(path)
    jsonschema = Draft202012Validator(json.loads(Path(path).read_text(encoding="utf-8")))
    assert valid is not None and valid(results) and jsonschema.is_valid(results)
    paths = []

    def walk(x, here=()):
        paths.append(here)
        for k, v in (x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()):
            walk(v, (*here, k))

    walk(results)
    rng = random.Random(25)
    verdicts = set()
    for _ in range(16):
        broken = copy.deepcopy(results)
        where = rng.choice(paths[1:])
        parent = broken
        for k in where[:-1]:
            parent = parent[k]
        if isinstance(parent, dict) and rng.random() < 0.2:
            del parent[where[-1]]
        else:
            parent[where[-1]] = rng.choice(VALUES)
        verdict = jsonschema.is_valid(broken)
        assert valid(broken) == verdict, where
        verdicts.add(verdict)
    assert verdicts == {True, False}  # the mutations both break the contract and keep to it
