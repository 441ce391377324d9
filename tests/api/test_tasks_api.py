from datetime import timedelta

from tortoise.timezone import now

from server.activity.models import Task
from server.activity.tasks import create_task
from server.enums import TaskKind
from tests.world import gid, gql

TODAY = """
query($before: DateTime!) {
  tasks(filter: {status: [OPEN], dueBefore: $before, mine: true}) {
    totalCount edges { node { title kind dueAt customer { name } } }
  }
}"""


async def test_today_lists_my_open_tasks_soonest_first(world):
    await create_task(world.alice.id, TaskKind.BIRTHDAY, "张三生日", now() - timedelta(days=1), customer_id=world.alices_customer.id)
    await create_task(world.alice.id, TaskKind.FOLLOW_UP, "下周的事", now() + timedelta(days=7))
    await create_task(world.amy.id, TaskKind.FOLLOW_UP, "amy 的事", now())
    result = await gql(TODAY, world.p(world.alice), before=(now() + timedelta(hours=1)).isoformat())
    titles = [e["node"]["title"] for e in result.data["tasks"]["edges"]]
    assert titles == ["张三生日", "回访张三"]
    assert result.data["tasks"]["edges"][0]["node"]["customer"] == {"name": "张三"}


async def test_a_manager_sees_the_team_tasks_but_not_other_teams(world):
    await create_task(world.bob.id, TaskKind.FOLLOW_UP, "bob 的事", now())
    result = await gql("{ tasks { edges { node { title owner { username } } } } }", world.p(world.anna))
    assert [e["node"]["owner"]["username"] for e in result.data["tasks"]["edges"]] == ["alice"]


async def test_completing_a_task_twice_changes_nothing_the_second_time(world):
    mutation = "mutation($id: ID!) { completeTask(input: {id: $id}) { task { status completedAt } errors { code } } }"
    first = await gql(mutation, world.p(world.alice), id=gid("Task", world.alices_task))
    second = await gql(mutation, world.p(world.alice), id=gid("Task", world.alices_task))
    assert first.data["completeTask"]["task"]["status"] == "DONE"
    assert second.data["completeTask"]["task"] == first.data["completeTask"]["task"]


async def test_a_dedup_key_makes_a_repeated_reminder_a_no_op(world):
    due = now()
    assert await create_task(world.alice.id, TaskKind.BIRTHDAY, "生日", due, dedup_key="birthday:1:2026") is not None
    assert await create_task(world.alice.id, TaskKind.BIRTHDAY, "生日", due, dedup_key="birthday:1:2026") is None
    assert await Task.filter(dedup_key="birthday:1:2026").count() == 1


async def test_the_language_choice_is_stored_on_the_user(world):
    mutation = 'mutation($l: String) { updatePreferences(input: {locale: $l}) { viewer { locale } errors { field code } } }'
    ok = await gql(mutation, world.p(world.alice), l="en")
    assert ok.data["updatePreferences"]["viewer"] == {"locale": "en"}
    bad = await gql(mutation, world.p(world.alice), l="fr")
    assert bad.data["updatePreferences"]["errors"] == [{"field": "locale", "code": "INVALID"}]


async def test_the_phone_filter_finds_a_customer_by_any_spelling_of_the_number(world):
    query = 'query($p: String) { customers(filter: {phone: $p}) { edges { node { id name } } } }'
    for spelling in ("13800138000", "+86 138-0013-8000", "０１３８００１３８０００"):
        result = await gql(query, world.p(world.alice), p=spelling)
        assert [e["node"]["name"] for e in result.data["customers"]["edges"]] == ["张三"], spelling
    nothing = await gql(query, world.p(world.alice), p="not a phone")
    assert nothing.data["customers"]["edges"] == []


LOG_CALL = """
mutation($input: LogInteractionInput!) { logInteraction(input: $input) { interaction { id } errors { field code } } }"""
FOLLOW_UPS = """
query { tasks(filter: {mine: true, kind: [FOLLOW_UP]}) { edges { node { title status dueAt customer { name } } } } }"""


async def test_a_next_follow_up_date_becomes_the_owners_follow_up_task(world):
    result = await gql(LOG_CALL, world.p(world.alice), input={
        "customerId": gid("Customer", world.alices_customer), "kind": "CALL", "summary": "报价已发",
        "nextStep": "约周六试驾", "nextFollowUpAt": "2099-01-01T01:00:00+00:00"})
    assert result.data["logInteraction"]["errors"] == []
    tasks = [e["node"] for e in (await gql(FOLLOW_UPS, world.p(world.alice))).data["tasks"]["edges"]]
    opened = [t for t in tasks if t["status"] == "OPEN"]
    assert opened == [{"title": "约周六试驾", "status": "OPEN", "dueAt": "2099-01-01T01:00:00+00:00",
                       "customer": {"name": "张三"}}]


async def test_a_logged_contact_closes_the_follow_up_that_was_due_but_a_note_does_not(world):
    customer = gid("Customer", world.alices_customer)
    note = await gql(LOG_CALL, world.p(world.alice), input={"customerId": customer, "kind": "NOTE", "summary": "备注"})
    assert note.data["logInteraction"]["errors"] == []
    assert (await Task.get(id=world.alices_task.id)).status == "OPEN"
    call = await gql(LOG_CALL, world.p(world.alice), input={"customerId": customer, "kind": "CALL", "summary": "已回访"})
    assert call.data["logInteraction"]["errors"] == []
    assert (await Task.get(id=world.alices_task.id)).status == "DONE"
    assert await Task.filter(status="OPEN").count() == 0


async def test_a_token_logging_a_follow_up_gives_the_task_to_the_customers_owner(world):
    from tests.world import token_principal

    token = await token_principal(["read", "write"])
    result = await gql(LOG_CALL, token, input={"customerId": gid("Customer", world.alices_customer), "kind": "CALL",
                                               "nextFollowUpAt": "2099-01-01T01:00:00+00:00"})
    assert result.data["logInteraction"]["errors"] == []
    assert await Task.filter(owner_id=world.alice.id, status="OPEN", kind="FOLLOW_UP").count() == 1
