"""Trigger rules over GraphQL: typed conditions in, errors naming the input field, versions,
the on/off switch, a scoped preview, and firings only on customers the caller may see."""

from datetime import datetime, timedelta

from tortoise.timezone import now

from server.activity.models import Task
from server.customers.models import Customer
from server.rules.engine import run_pass
from server.rules.models import Rule, RuleFiring
from tests.world import gid, gql, token_principal

RULE_FIELDS = "id name enabled version oncePer schedule events condition actions builtinKey firingCount lastFiredAt"
CREATE = f"""mutation($input: CreateRuleInput!) {{ createRule(input: $input) {{
  rule {{ {RULE_FIELDS} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($input: UpdateRuleInput!) {{ updateRule(input: $input) {{
  rule {{ {RULE_FIELDS} }} errors {{ field code message }} }} }}"""
ENABLE = """mutation($id: ID!, $on: Boolean!) { setRuleEnabled(input: {id: $id, enabled: $on}) {
  rule { enabled version } errors { field code } } }"""
PREVIEW = """mutation($c: RuleConditionInput!) { previewRule(input: {condition: $c}) {
  preview { matchCount sample { name } } errors { field code message } } }"""
FIRINGS = """query($rule: ID, $customer: ID) { ruleFirings(ruleId: $rule, customerId: $customer) {
  totalCount edges { node { effects rule { name } customer { name } } } } }"""

QUIET_LEADS = {"all": [
    {"field": {"name": "LIFECYCLE", "op": "IN", "values": ["LEAD", "PROSPECT"]}},
    {"daysSince": {"moment": "CREATED_AT", "op": "GTE", "days": 0}},
    {"count": {"source": "INTERACTIONS", "op": "LT", "value": 1, "withinDays": 30}},
]}
NEW_RULE = {
    "name": "30天无互动提醒", "condition": QUIET_LEADS, "oncePer": "WEEK", "schedule": "0 8 * * *",
    "events": ["interaction.logged"],
    "actions": [{"createTask": {"title": "联系{{ name }}", "kind": "FOLLOW_UP", "dueInDays": 1}},
                {"addTag": {"tag": "待唤醒", "category": "BEHAVIOR"}}],
}


async def test_a_manager_creates_a_rule_from_typed_input(world):
    result = await gql(CREATE, world.p(world.anna), input=NEW_RULE)
    payload = result.data["createRule"]
    assert payload["errors"] == []
    rule = payload["rule"]
    assert (rule["name"], rule["oncePer"], rule["schedule"], rule["enabled"], rule["version"]) == \
        ("30天无互动提醒", "WEEK", "0 8 * * *", True, 1)
    assert rule["condition"]["all"][0] == {"field": "lifecycle", "op": "in", "value": ["LEAD", "PROSPECT"]}
    assert rule["condition"]["all"][2] == {"count": "interactions", "op": "<", "value": 1, "within_days": 30}
    assert rule["actions"][0] == {"type": "create_task", "kind": "FOLLOW_UP", "title": "联系{{ name }}",
                                  "due_in_days": 1, "body": ""}
    stored = await Rule.get(name="30天无互动提醒")
    assert stored.condition["once_per"] == "week" and stored.events == ["interaction.logged"]


async def test_bad_input_names_the_input_field(world):
    bad = {**NEW_RULE, "condition": {"all": [QUIET_LEADS["all"][0],
                                             {"daysSince": {"moment": "CREATED_AT", "op": "GTE", "days": -3}}]}}
    errors = (await gql(CREATE, world.p(world.anna), input=bad)).data["createRule"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("condition.all[1].daysSince.days", "INVALID")]
    bad = {**NEW_RULE, "condition": {"field": {"name": "GRADE", "op": "EQ", "value": "Z"}}}
    errors = (await gql(CREATE, world.p(world.anna), input=bad)).data["createRule"]["errors"]
    assert errors[0]["field"] == "condition.field.value" and "'Z' is not a grade" in errors[0]["message"]
    bad = {**NEW_RULE, "actions": [{"createTask": {"title": "{{ name", "dueInDays": 1}}]}
    errors = (await gql(CREATE, world.p(world.anna), input=bad)).data["createRule"]["errors"]
    assert errors[0]["field"] == "actions[0].createTask.title"
    bad = {**NEW_RULE, "schedule": "8 every day"}
    errors = (await gql(CREATE, world.p(world.anna), input=bad)).data["createRule"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("schedule", "INVALID")]
    bad = {**NEW_RULE, "schedule": "0 25 * * *"}
    errors = (await gql(CREATE, world.p(world.anna), input=bad)).data["createRule"]["errors"]
    assert "0 to 23" in errors[0]["message"]
    bad = {**NEW_RULE, "events": ["customer.exploded"]}
    assert (await gql(CREATE, world.p(world.anna), input=bad)).data["createRule"]["errors"][0]["field"] == "events"
    bad = {**NEW_RULE, "schedule": None, "events": []}
    assert (await gql(CREATE, world.p(world.anna), input=bad)).data["createRule"]["errors"][0]["code"] == "REQUIRED"
    # Two facts in one node: the schema itself refuses it (@oneOf).
    two = {**NEW_RULE, "condition": {"tag": {"name": "x"}, "field": {"name": "GRADE", "op": "EQ", "value": "A"}}}
    assert (await gql(CREATE, world.p(world.anna), input=two)).errors
    assert await Rule.all().count() == 0


async def test_update_keeps_what_is_left_out_and_a_stale_version_is_a_conflict(world):
    created = (await gql(CREATE, world.p(world.anna), input=NEW_RULE)).data["createRule"]["rule"]
    changed = (await gql(UPDATE, world.p(world.root), input={"id": created["id"], "version": 1, "name": "改名",
                                                             "oncePer": "MONTH"})).data["updateRule"]
    assert changed["errors"] == []
    assert (changed["rule"]["name"], changed["rule"]["version"], changed["rule"]["oncePer"]) == ("改名", 2, "MONTH")
    assert changed["rule"]["condition"] == created["condition"] and changed["rule"]["actions"] == created["actions"]
    stale = (await gql(UPDATE, world.p(world.anna), input={"id": created["id"], "version": 1, "name": "再改"})).data
    assert stale["updateRule"]["errors"] == [{"field": "version", "code": "CONFLICT",
                                              "message": "someone changed this rule after you opened it"}]
    assert (await Rule.get()).name == "改名"


async def test_assign_action_takes_a_user_id_and_checks_the_user(world):
    rule = {**NEW_RULE, "actions": [{"assign": {"userId": gid("User", world.amy)}}]}
    created = (await gql(CREATE, world.p(world.anna), input=rule)).data["createRule"]
    assert created["errors"] == [] and created["rule"]["actions"] == [{"type": "assign", "user_id": world.amy.id}]
    rule = {**NEW_RULE, "actions": [{"assign": {"userId": gid("User", world.root)}}]}
    errors = (await gql(CREATE, world.p(world.anna), input=rule)).data["createRule"]["errors"]
    assert errors[0]["field"] == "actions[0].assign.userId"


async def test_consultants_and_read_tokens_cannot_edit_rules(world):
    for principal in (world.p(world.alice), await token_principal(["read", "write"])):
        result = await gql(CREATE, principal, input=NEW_RULE)
        assert result.data["createRule"]["errors"][0]["code"] == "FORBIDDEN"
    rule = await Rule.create(name="x", condition={}, actions=[{"type": "emit", "topic": "t"}], schedule="hourly")
    result = await gql(ENABLE, world.p(world.alice), id=gid("Rule", rule), on=False)
    assert result.data["setRuleEnabled"]["errors"][0]["code"] == "FORBIDDEN"
    assert (await Rule.get()).enabled


async def test_switching_a_rule_off_and_on(world):
    rule = await Rule.create(name="x", condition={}, actions=[{"type": "emit", "topic": "t"}], schedule="hourly")
    off = (await gql(ENABLE, world.p(world.bert), id=gid("Rule", rule), on=False)).data["setRuleEnabled"]
    assert off == {"rule": {"enabled": False, "version": 2}, "errors": []}
    listed = await gql("query { rules(enabled: false) { totalCount edges { node { name } } } }", world.p(world.alice))
    assert listed.data["rules"]["totalCount"] == 1


async def test_preview_counts_only_customers_the_manager_may_see(world):
    everyone_grade_a = {"field": {"name": "GRADE", "op": "EQ", "value": "A"}}
    await Customer.all().update(grade="A")
    anna = (await gql(PREVIEW, world.p(world.anna), c=everyone_grade_a)).data["previewRule"]
    # Team A: alice's 张三 and the pool's 王五; bob's 李四 is team B's.
    assert anna["preview"]["matchCount"] == 2
    assert sorted(c["name"] for c in anna["preview"]["sample"]) == ["张三", "王五"]
    root = (await gql(PREVIEW, world.p(world.root), c=everyone_grade_a)).data["previewRule"]
    assert root["preview"]["matchCount"] == 3
    bad = (await gql(PREVIEW, world.p(world.anna), c={"any": []})).data["previewRule"]
    assert bad["errors"][0]["field"] == "condition.any"
    alice = (await gql(PREVIEW, world.p(world.alice), c=everyone_grade_a)).data["previewRule"]
    assert alice["errors"][0]["code"] == "FORBIDDEN"


async def test_firings_are_read_through_the_customer_scope(world):
    rule = await Rule.create(name="全员提醒", condition={}, actions=[{"type": "create_task", "title": "看看{{ name }}"}],
                             schedule="hourly")
    await run_pass(rule, now())
    assert await RuleFiring.all().count() == 3
    assert await Task.filter(title="看看张三").exists()
    alice = (await gql(FIRINGS, world.p(world.alice), rule=gid("Rule", rule))).data["ruleFirings"]
    assert sorted(e["node"]["customer"]["name"] for e in alice["edges"]) == ["张三", "王五"]
    bob_on_alices = (await gql(FIRINGS, world.p(world.bob), customer=gid("Customer", world.alices_customer))).data
    assert bob_on_alices["ruleFirings"]["totalCount"] == 0
    mine = (await gql(FIRINGS, world.p(world.alice), customer=gid("Customer", world.alices_customer))).data
    edge = mine["ruleFirings"]["edges"][0]["node"]
    assert edge == {"effects": ["create_task:FOLLOW_UP"], "rule": {"name": "全员提醒"}, "customer": {"name": "张三"}}
    counted = await gql("query($id: ID!) { node(id: $id) { ... on Rule { firingCount lastFiredAt } } }",
                        world.p(world.bob), id=gid("Rule", rule))
    assert counted.data["node"]["firingCount"] == 2  # bob's own and the pool's
    assert counted.data["node"]["lastFiredAt"] is not None
    since = await gql("query($id: ID!, $t: DateTime!) { node(id: $id) { ... on Rule { firingCount(since: $t) } } }",
                      world.p(world.root), id=gid("Rule", rule), t=(now() + timedelta(minutes=1)).isoformat())
    assert since.data["node"]["firingCount"] == 0


RULE_LIST = """query($since: DateTime!) { rules(first: 50) { edges { node { name firingCount lastFiredAt
  recent: firingCount(since: $since) } } } }"""


async def test_a_list_of_rules_costs_the_same_whatever_its_length(world):
    from tests.sql_statements import counting_statements

    async def listed(n: int) -> tuple[int, list[dict]]:
        for i in range(n):
            rule = await Rule.create(name=f"规则{n}-{i}", condition={}, actions=[{"type": "emit", "topic": "t"}],
                                     schedule="hourly")
            await RuleFiring.create(rule=rule, customer=world.alices_customer, dedup_key=f"k{n}-{i}", effects=[])
        with counting_statements() as counter:
            result = await gql(RULE_LIST, world.p(world.root), since=(now() - timedelta(days=1)).isoformat())
        return counter.count, [e["node"] for e in result.data["rules"]["edges"]]

    few, _ = await listed(2)
    many, nodes = await listed(6)
    assert many == few
    # Each rule's numbers are its own: one firing each, fired just now.
    assert {(n["firingCount"], n["recent"]) for n in nodes} == {(1, 1)}
    last = max(n["lastFiredAt"] for n in nodes)
    assert now() - timedelta(minutes=5) < datetime.fromisoformat(last) <= now()
