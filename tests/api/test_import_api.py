"""startImport over real multipart HTTP, and who may follow an import's progress."""

import json

import httpx

from server.app import create_app
from server.enums import Channel
from server.auth.services import create_api_token
from server.ingestion import imports
from server.ingestion.models import ImportJob
from tests.web.conftest import sign_in
from tests.world import PASSWORD, gid, gql

START = """mutation($file: Upload!) {
  startImport(input: {file: $file, channel: THIRD_PARTY}) { job { id status totalRows } errors { field message } }
}"""
JOB = """query($id: ID!) { node(id: $id) { ... on ImportJob {
  status processedRows createdCount rejectedCount flaggedCount problemRows { row status problems { field message } }
} } }"""


def multipart(filename: str, data: bytes) -> dict:
    return {
        "data": {"operations": json.dumps({"query": START, "variables": {"file": None}}),
                 "map": json.dumps({"0": ["variables.file"]})},
        "files": {"0": (filename, data, "text/csv")},
    }


async def _client():
    app = create_app(manage_db=False, embedded_worker=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


CSV = "姓名,手机号,身份证号\n冯一,13855550001,\n冯二,garbage,\n冯三,13855550003,110101199003071230\n".encode()


async def test_an_integrator_uploads_a_list_and_follows_it_to_the_end(world):
    _, secret = await create_api_token("lead-site", ["ingest", "read"])
    async with await _client() as client:
        response = await client.post("/graphql", headers={"Authorization": f"Bearer {secret}"}, **multipart("leads.csv", CSV))
    payload = response.json()["data"]["startImport"]
    assert payload["errors"] == [] and payload["job"]["status"] == "QUEUED" and payload["job"]["totalRows"] == 3

    await imports.run_queued()
    job = await gql(JOB, world.p(world.root), id=payload["job"]["id"])
    node = job.data["node"]
    assert node["status"] == "DONE" and node["processedRows"] == 3
    assert (node["createdCount"], node["rejectedCount"], node["flaggedCount"]) == (2, 1, 1)
    assert [(r["row"], r["status"]) for r in node["problemRows"]] == [(3, "REJECTED"), (4, "FLAGGED")]


async def test_a_wrong_file_is_refused_with_the_reason(world):
    _, secret = await create_api_token("lead-site", ["ingest"])
    async with await _client() as client:
        response = await client.post("/graphql", headers={"Authorization": f"Bearer {secret}"},
                                     **multipart("leads.xlsx", b"definitely not a workbook"))
    errors = response.json()["data"]["startImport"]["errors"]
    assert errors[0]["field"] == "file" and "not an Excel" in errors[0]["message"]
    assert await ImportJob.all().count() == 0


async def test_a_signed_in_page_upload_needs_the_csrf_token(world):
    async with await _client() as client:
        await sign_in(client, "alice", PASSWORD)
        refused = await client.post("/graphql", **multipart("leads.csv", CSV))
        assert refused.status_code == 403 and await ImportJob.all().count() == 0
        page = await client.get("/")
        token = page.text.split('name="csrf-token" content="')[1].split('"')[0]
        accepted = await client.post("/graphql", headers={"X-CSRF-Token": token}, **multipart("leads.csv", CSV))
    assert accepted.json()["data"]["startImport"]["errors"] == []
    assert (await ImportJob.get()).created_by_id == world.alice.id


async def test_an_import_is_seen_by_its_uploader_and_admins_only(world):
    job = await imports.create_import(world.p(world.alice), "mine.csv", Channel.IMPORT, CSV)
    for who, sees in [(world.alice, True), (world.root, True), (world.amy, False), (world.anna, False), (world.bob, False)]:
        by_id = await gql(JOB, world.p(who), id=gid("ImportJob", job))
        listed = await gql("query { importJobs { totalCount } }", world.p(who))
        assert (by_id.data["node"] is not None) is sees, who.username
        assert (listed.data["importJobs"]["totalCount"] == 1) is sees, who.username
