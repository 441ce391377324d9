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
