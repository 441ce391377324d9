"""The named operations the pages run (graphql/operations/) are valid against the schema."""

from pathlib import Path

import pytest
from graphql import parse, validate

from server.api.schema import schema

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"


@pytest.mark.parametrize("path", sorted(OPERATIONS.glob("*.graphql")), ids=lambda p: p.stem)
def test_operation_validates_against_the_schema(path):
    document = parse(path.read_text(encoding="utf-8"))
    assert [e.message for e in validate(schema._schema, document)] == []
    # The page runner finds an operation by its file name.
    names = [d.name.value for d in document.definitions if getattr(d, "operation", None)]
    assert names == [path.stem]
