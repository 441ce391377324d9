"""analytics { funnel { journey byChannel } } through the real schema: the same numbers as the
service, for each kind of caller, and the filters by channel and team."""

from tests.analytics.test_journey import cohort  # noqa: F401  (the fixture)
from tests.world import gid, gql, token_principal

JOURNEY = """query($filter: AnalyticsFilter!) { analytics { funnel(filter: $filter) {
    opened
    journey { steps { key label count fromPrevious fromFirst } }
    byChannel { channel leads visited opportunities won conversion } } } }"""
NOVEMBER = {"from": "2026-11-01", "to": "2026-12-01"}


async def funnel(principal, **extra):
    result = await gql(JOURNEY, principal, filter={**NOVEMBER, **extra})
    assert result.errors is None, result.errors
    return result.data["analytics"]["funnel"]


def steps(data):
    return [(s["key"], s["count"]) for s in data["journey"]["steps"]]


async def test_an_admin_reads_the_journey_and_the_channels(world, cohort):  # noqa: F811
    data = await funnel(world.p(world.root))
    assert [(s["key"], s["label"], s["count"]) for s in data["journey"]["steps"]] == [
        ("LEAD", "线索", 6), ("VISITED", "到店", 3), ("TEST_DROVE", "试驾", 2), ("OPPORTUNITY", "商机", 4),
        ("QUOTED", "报价", 2), ("WON", "成交", 2)]
    first, visited, *_, won = data["journey"]["steps"]
    assert (first["fromPrevious"], first["fromFirst"]) == (None, 1.0)
    assert visited["fromPrevious"] == 0.5 and won["fromFirst"] == 2 / 6
    assert data["byChannel"][0] == {"channel": "WEBSITE", "leads": 2, "visited": 2, "opportunities": 2, "won": 1,
                                    "conversion": 0.5}
    assert [r["channel"] for r in data["byChannel"]] == ["WEBSITE", "DOUYIN", "PHONE", "OTHER"]


async def test_each_caller_counts_only_the_customers_in_his_scope(world, cohort):  # noqa: F811
    assert steps(await funnel(world.p(world.anna)))[0] == ("LEAD", 5)
    assert steps(await funnel(world.p(world.bert)))[0] == ("LEAD", 2)
    assert steps(await funnel(world.p(world.alice)))[0] == ("LEAD", 4)
    team_token = await token_principal(["read"], world.team_b)
    assert steps(await funnel(team_token)) == [("LEAD", 1), ("VISITED", 1), ("TEST_DROVE", 0), ("OPPORTUNITY", 1),
                                               ("QUOTED", 0), ("WON", 1)]
    refused = await gql(JOURNEY, await token_principal(["ingest"]), filter=NOVEMBER)
    assert refused.errors and refused.data is None
    anonymous = await gql(JOURNEY, None, filter=NOVEMBER)
    assert anonymous.errors and anonymous.data is None


async def test_the_filter_takes_a_channel_and_a_team(world, cohort):  # noqa: F811
    root = world.p(world.root)
    douyin = await funnel(root, channel="DOUYIN")
    assert steps(douyin)[0] == ("LEAD", 2) and [r["channel"] for r in douyin["byChannel"]] == ["DOUYIN"]
    team_a = await funnel(root, teamId=gid("Team", world.team_a))
    assert steps(team_a)[0] == ("LEAD", 5)  # the pool's 王五 was created by team A's manager
    wrong = await gql(JOURNEY, root, filter={**NOVEMBER, "teamId": gid("User", world.alice)})
    assert wrong.errors[0].original_error.field == "teamId"


async def test_the_customers_behind_the_leads_count_are_listed_by_creation_day(world, cohort):  # noqa: F811
    query = "query($f: CustomerFilter) { customers(filter: $f, first: 50) { totalCount edges { node { name } } } }"
    result = await gql(query, world.p(world.root), f={"createdFrom": "2026-11-01", "createdTo": "2026-12-01"})
    assert result.errors is None, result.errors
    names = sorted(e["node"]["name"] for e in result.data["customers"]["edges"])
    # As many as the journey's leads; not 周九 (31 October, 23:30) nor 吴十 (1 December, 07:00) in Shanghai.
    assert names == sorted(["张三", "李四", "王五", "赵六", "钱七", "孙八"])
