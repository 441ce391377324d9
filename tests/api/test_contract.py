"""The public contract: the SDL snapshot matches the code, and integrator examples run."""

from pathlib import Path

from server.cli import export_sdl

ROOT = Path(__file__).resolve().parents[2]


def test_schema_snapshot_matches_the_code():
    snapshot = (ROOT / "graphql" / "schema.graphql").read_text(encoding="utf-8")
    assert snapshot == export_sdl(), "the schema changed: run `crm export-schema --output graphql/schema.graphql`"


def test_graphql_folder_does_not_shadow_graphql_core():
    import graphql

    assert not (ROOT / "graphql" / "__init__.py").exists()
    assert hasattr(graphql, "graphql_sync"), "import graphql must find graphql-core"
