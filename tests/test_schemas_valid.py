"""Every JSON Schema the package ships is itself a valid schema of the draft it names: checked here
once, not in every process that loads one (yamlfile._validator)."""
import json

import jsonschema
import pytest

from nzc_report.resources import SCHEMAS_DIR

SCHEMAS = sorted(SCHEMAS_DIR.glob("*.schema.json"))


def test_the_package_ships_its_schemas():
    assert len(SCHEMAS) >= 8


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_each_schema_is_valid_against_its_metaschema(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls.META_SCHEMA["$schema"] == schema["$schema"]
    cls.check_schema(schema)
    with pytest.raises(jsonschema.SchemaError):  # the check can fail: a broken copy is refused
        cls.check_schema({**schema, "type": 12})
