"""analytics { winLoss funnel } and the drill-down through opportunities, via the real schema."""

from server.enums import OpportunityStage as S
from server.enums import OpportunityStatus
from tests.analytics.conftest import MID_NOVEMBER, deal
from tests.world import gid, gql, token_principal

WIN_LOSS = """query($filter: WinLossFilter!, $by: WinLossDimension!) { analytics { winLoss(filter: $filter, groupBy: $by) {
    groupBy from to
    rows { key label competitorBrand competitorModel won lost total winRate lostShare wonAmount lostAmount }
    totals { won lost total winRate wonAmount lostAmount } } } }"""
FUNNEL = """query($filter: AnalyticsFilter!) { analytics { funnel(filter: $filter) {
    from to opened steps { key stage count conversion share } } } }"""
DRILL = """query($filter: OpportunityFilter) { opportunities(filter: $filter, first: 50) {
    totalCount edges { node { title status competitorBrand competitorModel } } } }"""
NOVEMBER = {"from": "2026-11-01", "to": "2026-12-01"}


async def report(principal, by, **extra):
    result = await gql(WIN_LOSS, principal, filter={**NOVEMBER, **extra}, by=by)
    assert result.errors is None, result.errors
    return result.data["analytics"]["winLoss"]


async def titles(principal, **filter):
    result = await gql(DRILL, principal, filter=filter)
    assert result.errors is None, result.errors
    return sorted(e["node"]["title"] for e in result.data["opportunities"]["edges"])


async def test_a_manager_finds_whom_the_team_lost_to_and_drills_down(world, deals):
    anna = world.p(world.anna)
    data = await report(anna, "COMPETITOR", status="LOST")
    assert data["groupBy"] == "COMPETITOR" and (data["from"], data["to"]) == ("2026-11-01", "2026-12-01")
    tesla = data["rows"][0]
    assert tesla == {"key": "特斯拉 Model 3", "label": "特斯拉 Model 3", "competitorBrand": "特斯拉",
                     "competitorModel": "Model 3", "won": 0, "lost": 2, "total": 2, "winRate": 0.0,
                     "lostShare": 2 / 3, "wonAmount": "0.00", "lostAmount": "389600.50"}
    assert data["totals"] == {"won": 0, "lost": 3, "total": 3, "winRate": 0.0, "wonAmount": "0.00",
                              "lostAmount": "389600.50"}
    drilled = await titles(anna, closedFrom="2026-11-01", closedTo="2026-12-01", status=["LOST"],
                           competitorBrand="特斯拉", competitorModel="Model 3")
    assert drilled == ["张三 · 汉 二", "张三 · 海豹"]  # not bob's loss in team B


async def test_rows_keyed_by_records_carry_global_ids_the_drill_down_takes(world, deals):
    root = world.p(world.root)
    by_model = await report(root, "VEHICLE_MODEL")
    han = by_model["rows"][0]
    assert (han["key"], han["label"], han["won"], han["lost"]) == (gid("VehicleModel", deals["han"]), "比亚迪 汉 EV", 1, 3)
    assert await titles(root, closedFrom="2026-11-01", closedTo="2026-12-01", vehicleModelId=han["key"]) == [
        "张三 · 汉", "张三 · 汉 三", "张三 · 汉 二", "李四 · 汉"]
    by_reason = await report(root, "REASON")
    price = next(r for r in by_reason["rows"] if r["label"] == "价格太高")
    assert await titles(root, closedFrom="2026-11-01", closedTo="2026-12-01", closeReasonId=price["key"]) == ["张三 · 汉 三"]
    by_team = await report(root, "TEAM")
    assert by_team["rows"][1]["key"] == gid("Team", world.team_b)
    assert await titles(root, closedFrom="2026-11-01", closedTo="2026-12-01", teamId=by_team["rows"][1]["key"]) == ["李四 · 汉"]
    by_consultant = await report(root, "CONSULTANT", teamId=gid("Team", world.team_a))
    assert [(r["key"], r["total"]) for r in by_consultant["rows"]] == [(gid("User", world.alice), 3), (gid("User", world.amy), 1)]
    by_channel = await report(root, "CHANNEL")
    assert await titles(root, closedFrom="2026-11-01", closedTo="2026-12-01", channel=by_channel["rows"][1]["key"]) == ["李四 · 汉"]
    # The October loss at 23:30 local time stays out of November's drill-down.
    assert "张三 · 十月" not in await titles(root, closedFrom="2026-11-01", closedTo="2026-12-01")
    # Empty competitor: the deals that named none.
    assert await titles(root, closedFrom="2026-11-01", closedTo="2026-12-01", competitorBrand="") == [
        "张三 · 汉", "张三 · 汉 三"]


async def test_a_team_bound_token_reads_only_its_teams_report(world, deals):
    token = await token_principal(["read"], world.team_b)
    data = await report(token, "TEAM")
    assert [(r["label"], r["lost"]) for r in data["rows"]] == [("二组", 1)]
    refused = await gql(WIN_LOSS, await token_principal(["ingest"]), filter=NOVEMBER, by="TEAM")
    assert refused.errors and refused.data is None


async def test_bad_input_names_the_field(world):
    root = world.p(world.root)
    backwards = await gql(WIN_LOSS, root, filter={"from": "2026-12-01", "to": "2026-11-01"}, by="REASON")
    assert backwards.errors[0].original_error.field == "to"
    wrong_id = await gql(WIN_LOSS, root, filter={**NOVEMBER, "teamId": gid("User", world.alice)}, by="REASON")
    assert wrong_id.errors[0].original_error.field == "teamId"
    open_status = await gql(WIN_LOSS, root, filter={**NOVEMBER, "status": "OPEN"}, by="REASON")
    assert open_status.errors[0].original_error.field == "status"


async def test_the_funnel_through_the_api(world):
    a = world.alices_customer
    for stage in (S.INITIAL_CONTACT, S.TEST_DRIVE):
        await deal(a, world.alice, f"张三 · {stage}", OpportunityStatus.OPEN, None, stage=stage, created_at=MID_NOVEMBER)
    await deal(a, world.alice, "张三 · 成交", OpportunityStatus.WON, MID_NOVEMBER, stage=S.CONTRACT, created_at=MID_NOVEMBER)
    result = await gql(FUNNEL, world.p(world.anna), filter=NOVEMBER)
    assert result.errors is None, result.errors
    data = result.data["analytics"]["funnel"]
    assert data["opened"] == 3
    assert [(s["key"], s["stage"], s["count"]) for s in data["steps"]] == [
        ("INITIAL_CONTACT", "INITIAL_CONTACT", 3), ("NEEDS_CONFIRMED", "NEEDS_CONFIRMED", 2),
        ("PRESENTATION", "PRESENTATION", 2), ("TEST_DRIVE", "TEST_DRIVE", 2), ("NEGOTIATION", "NEGOTIATION", 1),
        ("CONTRACT", "CONTRACT", 1), ("WON", None, 1)]
    assert data["steps"][-1]["share"] == 1 / 3
    bert = await gql(FUNNEL, world.p(world.bert), filter=NOVEMBER)
    assert bert.data["analytics"]["funnel"]["opened"] == 0
