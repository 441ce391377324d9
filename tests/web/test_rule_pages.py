"""规则 pages: a manager builds a rule from form rows (no JSON), previews it, saves it, switches it
off, and reads its firing history; the customer page shows that customer's firings."""

import re

from tortoise.timezone import now

from server.customers.models import Customer
from server.rules.builtin import seed_builtin_rules
from server.rules.engine import run_pass
from server.rules.models import Rule
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid


def form_rows(token: str, **extra) -> dict:
    """A rule as the form posts it: 杭州 customers of grade A or B get a reminder."""
    return {
        "csrf_token": token, "name": "杭州A级客户回访", "description": "", "match": "all",
        "cond-0-fact": "field:city", "cond-0-op": "EQ", "cond-0-value": "杭州",
        "cond-1-fact": "field:grade", "cond-1-op": "NE", "cond-1-value": "C",
        "act-0-type": "create_task", "act-0-value": "回访{{ name }}", "act-0-kind": "FOLLOW_UP", "act-0-due": "1",
        "schedule_preset": "0 8 * * *", "schedule_custom": "", "once_per": "week", "enabled": "on", **extra,
    }


async def _hangzhou(world):
    await Customer.filter(id__in=[world.alices_customer.id, world.pool_customer.id, world.bobs_customer.id]).update(
        city="杭州")


async def test_a_manager_builds_previews_saves_and_switches_off_a_rule(client, world):
    await _hangzhou(world)
    await sign_in(client, "anna", PASSWORD)
    assert 'href="/rules"' in (await client.get("/")).text  # 规则 in the 更多 menu, for managers
    page = await client.get("/rules/new")
    assert page.status_code == 200
    assert unlabelled_controls(page.text) == [] and foreign_urls(page.text) == []
    assert 'name="cond-0-fact"' in page.text and "添加条件" in page.text
    token = await session_csrf(client)

    # 添加条件 without JavaScript: the same form comes back with one more row, values kept.
    more = await client.post("/rules/new", data={**form_rows(token), "op": "add_condition"})
    assert more.status_code == 200
    assert 'name="cond-2-fact"' in more.text and 'value="杭州"' in more.text
    # Choosing a fact re-renders the row with the right control (HTMX swaps the form only).
    refreshed = await client.post("/rules/new", data={**form_rows(token), "op": "refresh"}, headers=HTMX)
    assert refreshed.text.lstrip().startswith("<form") and '<select id="cond-1-value"' in refreshed.text

    # 预览: anna sees team A's 张三 and the pool's 王五, not team B's 李四.
    preview = await client.post("/rules/new", data={**form_rows(token), "op": "preview"})
    assert preview.status_code == 200
    assert re.search(r"现在有\s*2\s*位客户符合", preview.text), preview.text[preview.text.find("preview"):][:600]
    assert f'href="/customers/{gid("Customer", world.alices_customer)}"' in preview.text
    assert "李四" not in preview.text

    saved = await client.post("/rules/new", data={**form_rows(token), "op": "save"})
    assert saved.status_code == 303 and saved.headers["location"] == "/rules"
    rule = await Rule.get(name="杭州A级客户回访")
    assert rule.condition == {"once_per": "week", "all": [{"field": "city", "op": "=", "value": "杭州"},
                                                         {"field": "grade", "op": "!=", "value": "C"}]}
    assert rule.actions == [{"type": "create_task", "kind": "FOLLOW_UP", "title": "回访{{ name }}", "due_in_days": 1,
                             "body": ""}]
    assert rule.schedule == "0 8 * * *" and rule.enabled

    fired = await run_pass(rule, now())
    assert fired.fired == 3
    listing = await client.get("/rules")
    assert "杭州A级客户回访" in listing.text and "规则已保存" in listing.text
    assert unlabelled_controls(listing.text) == []
    row = listing.text[listing.text.index(f'id="rule-{gid("Rule", rule)}"'):]
    assert re.search(r"已触发\s*2\s*次", row[:1500])  # team A's two customers

    # 停用 through HTMX: the row comes back switched off.
    switched = await client.post(f"/rules/{gid('Rule', rule)}/enabled", data={"csrf_token": token, "enabled": "false"},
                                 headers=HTMX)
    assert switched.status_code == 200 and "启用" in switched.text and switched.text.lstrip().startswith("<li")
    assert not (await Rule.get(id=rule.id)).enabled

    history = await client.get(f"/rules/{gid('Rule', rule)}/firings")
    assert history.status_code == 200
    assert "张三" in history.text and "王五" in history.text and "李四" not in history.text
    assert "提醒：跟进" in history.text

    section = await client.get(f"/customers/{gid('Customer', world.alices_customer)}/firings", headers=HTMX)
    assert section.text.lstrip().startswith("<section") and "杭州A级客户回访" in section.text


async def test_bad_rows_are_marked_and_nothing_is_saved(client, world):
    await sign_in(client, "anna", PASSWORD)
    token = await session_csrf(client)
    bad = form_rows(token, **{"cond-1-fact": "count:interactions", "cond-1-op": "GTE", "cond-1-value": "三",
                              "schedule_preset": "custom", "schedule_custom": "every day", "op": "save"})
    response = await client.post("/rules/new", data=bad)
    assert response.status_code == 422
    assert "请输入整数" in response.text
    assert await Rule.all().count() == 0
    fixed = await client.post("/rules/new", data={**bad, "cond-1-value": "3"})
    assert fixed.status_code == 422 and 'id="schedule-error"' in fixed.text
    assert await Rule.all().count() == 0
    no_rows = {k: v for k, v in form_rows(token).items() if not k.startswith("cond-")}
    response = await client.post("/rules/new", data={**no_rows, "op": "save"})
    assert response.status_code == 422 and "请至少添加一个条件" in response.text


async def test_a_builtin_rule_with_nested_groups_keeps_its_condition_when_edited(client, world):
    await seed_builtin_rules()
    dormant = await Rule.get(builtin_key="dormant_90_days")
    await sign_in(client, "anna", PASSWORD)
    page = await client.get(f"/rules/{gid('Rule', dormant)}")
    assert page.status_code == 200 and 'name="keep_condition"' in page.text
    assert "距上次联系天数" in page.text  # the nested condition, in words
    lead_rule = await Rule.get(builtin_key="lead_not_followed_3_days")
    assert "最近联系时间早于分配时间" in (await client.get(f"/rules/{gid('Rule', lead_rule)}")).text
    token = await session_csrf(client)
    data = {"csrf_token": token, "name": "90天未联系转为沉睡（改）", "keep_condition": "1", "version": "1",
            "act-0-type": "set_lifecycle", "act-0-value": "DORMANT", "schedule_preset": "hourly",
            "once_per": "day", "enabled": "on", "op": "preview"}
    preview = await client.post(f"/rules/{gid('Rule', dormant)}", data=data)
    assert preview.status_code == 200 and "位客户符合" in preview.text
    saved = await client.post(f"/rules/{gid('Rule', dormant)}", data={**data, "op": "save"})
    assert saved.status_code == 303
    changed = await Rule.get(id=dormant.id)
    assert changed.name == "90天未联系转为沉睡（改）" and changed.condition == dormant.condition
    assert changed.actions == [{"type": "set_field", "field": "lifecycle", "value": "DORMANT"}]
    stale = await client.post(f"/rules/{gid('Rule', dormant)}", data={**data, "op": "save"})
    assert stale.status_code == 409


async def test_consultants_see_no_rules_link_and_cannot_save(client, world):
    await sign_in(client, "alice", PASSWORD)
    today = await client.get("/")
    assert 'href="/rules"' not in today.text
    token = await session_csrf(client)
    response = await client.post("/rules/new", data={**form_rows(token), "op": "save"})
    assert response.status_code == 422 and await Rule.all().count() == 0
    assert "你无权执行此操作" in response.text
