"""设置 · 话术模板 and the 推荐话术 on the customer page, through the ASGI app."""

from server.customers.models import Customer
from server.portrait.models import CustomerTag, MessageTemplate, Tag
from tests.web.conftest import session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid


def assert_labelled(html: str):
    assert unlabelled_controls(html) == [] and foreign_urls(html) == []


async def test_a_manager_adds_edits_and_retires_a_talking_point(client, world):
    await sign_in(client, "anna", PASSWORD)
    page = await client.get("/settings/templates")
    assert page.status_code == 200 and "还没有话术" in page.text
    assert 'href="/settings/templates" aria-current="page"' in page.text
    assert_labelled(page.text)
    token = await session_csrf(client)
    added = await client.post("/settings/templates", data={
        "csrf_token": token, "title": "试驾邀约", "body": "{{ salutation }}，周末来试驾吗？", "kind": "MESSAGE",
        "tag_names": "已试驾，高意向, 已试驾", "stages": ["PRESENTATION", "TEST_DRIVE"], "grades": ["A"]})
    assert added.status_code == 303
    assert "已添加：试驾邀约" in (await client.get("/settings/templates")).text
    row = await MessageTemplate.get(title="试驾邀约")
    assert (row.kind, row.tag_names, row.stages, row.grades, row.is_active) == (
        "MESSAGE", ["已试驾", "高意向"], ["PRESENTATION", "TEST_DRIVE"], ["A"], True)
    # Edited with no stage ticked and the 在用 box cleared: fits any stage, retired.
    saved = await client.post(f"/settings/templates/{gid('MessageTemplate', row)}", data={
        "csrf_token": token, "title": "试驾邀约（周末）", "body": "{{ salutation }}，周末来试驾吗？",
        "kind": "MESSAGE", "tag_names": "已试驾", "grades": ["A", "B"]})
    assert saved.status_code == 303
    row = await MessageTemplate.get(id=row.id)
    assert (row.title, row.tag_names, row.stages, row.grades, row.is_active) == (
        "试驾邀约（周末）", ["已试驾"], [], ["A", "B"], False)
    html = (await client.get("/settings/templates")).text
    assert "试驾邀约（周末）" in html and "已停用" in html
    assert_labelled(html)


async def test_a_body_the_sandbox_refuses_is_shown_next_to_the_text(client, world):
    await sign_in(client, "anna", PASSWORD)
    bad = await client.post("/settings/templates", data={
        "csrf_token": await session_csrf(client), "title": "坏", "body": "{{ ''.__class__ }}"})
    assert bad.status_code == 422
    assert 'id="body-new" name="body"' in bad.text and 'aria-describedby="body-new-error"' in bad.text
    assert "只能使用列出的客户字段" in bad.text
    assert not await MessageTemplate.exists()


async def test_a_consultant_reads_the_talking_points_but_cannot_edit_them(client, world):
    await MessageTemplate.create(title="问候", body="{{ salutation }}您好")
    await sign_in(client, "alice", PASSWORD)
    page = await client.get("/settings/templates")
    assert "问候" in page.text and "话术由销售经理和管理员维护" in page.text
    assert 'action="/settings/templates"' not in page.text
    refused = await client.post("/settings/templates", data={"csrf_token": await session_csrf(client),
                                                           "title": "新", "body": "您好"})
    assert refused.status_code == 422 and "只有销售经理和管理员可以修改话术" in refused.text
    assert await MessageTemplate.all().count() == 1


async def test_the_customer_page_recommends_the_best_three_rendered_with_a_copy_button(client, world):
    await Customer.filter(id=world.alices_customer.id).update(gender="MALE")
    tag = await Tag.create(name="潜在换车客户", category="PREDICTION")
    await CustomerTag.create(customer=world.alices_customer, tag=tag, source="RULE")
    await MessageTemplate.create(title="换车关怀", body="{{ salutation }}，店里有置换补贴。", tag_names=["潜在换车客户"])
    await MessageTemplate.create(title="通用问候", body="{{ name }}您好")
    await MessageTemplate.create(title="二号", body="二")
    await MessageTemplate.create(title="三号", body="三")
    await MessageTemplate.create(title="只给C级", body="C", grades=["C"])
    await sign_in(client, "alice", PASSWORD)
    html = (await client.get(f"/customers/{gid('Customer', world.alices_customer)}")).text
    section = html[html.index('class="talking-points"'):]
    section = section[:section.index("</section>")]
    assert "推荐话术" in section
    assert section.count('class="talking-point"') == 3
    assert section.index("换车关怀") < section.index("通用问候")
    assert "张先生，店里有置换补贴。" in section and "只给C级" not in section
    assert 'data-copy-target="talking-point-1"' in section and ">复制<" in section
    assert "onclick" not in html
    assert_labelled(html)
    assert '<script src="/static/copy-text.js" defer></script>' in html
    script = await client.get("/static/copy-text.js")
    assert script.status_code == 200 and "navigator.clipboard" in script.text


async def test_without_templates_the_customer_page_has_no_section(client, world):
    await sign_in(client, "alice", PASSWORD)
    html = (await client.get(f"/customers/{gid('Customer', world.alices_customer)}")).text
    assert "talking-points" not in html


async def test_a_forged_stage_is_refused_and_nothing_is_saved(client, world):
    await sign_in(client, "anna", PASSWORD)
    bad = await client.post("/settings/templates", data={
        "csrf_token": await session_csrf(client), "title": "t", "body": "b", "stages": ["SOMEDAY"]})
    assert bad.status_code == 422 and "请检查此项。" in bad.text
    assert not await MessageTemplate.exists()
