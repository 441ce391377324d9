"""Talking points: who may keep them, what a template may say, which ones a customer is offered."""

import pytest

from server.customers.models import Customer
from server.enums import OpportunityStage, OpportunityStatus
from server.errors import UserError, UserErrors
from server.portrait import templates
from server.portrait.models import CustomerTag, MessageTemplate, Tag
from server.sales.models import Opportunity, VehicleModel


async def _tag(customer, *names):
    for name in names:
        tag, _ = await Tag.get_or_create(name=name, defaults={"category": "BASIC"})
        await CustomerTag.create(customer=customer, tag=tag, source="GENERATED")


@pytest.fixture
async def zhang(world):
    """Alice's 张三: male, grade A, budget 20-30万, tagged, with a deal in test drive and one lost in negotiation."""
    await Customer.filter(id=world.alices_customer.id).update(
        gender="MALE", grade="A", budget_min=200000, budget_max=300000, interested_models=["比亚迪 汉"])
    await _tag(world.alices_customer, "预算:20-30万", "意向车型:比亚迪 汉", "已试驾")
    han = await VehicleModel.create(brand="比亚迪", series="汉", trim="EV 冠军版", body_type="SEDAN",
                                    energy_type="BEV", price="219800")
    await Opportunity.create(customer=world.alices_customer, owner=world.alice, title="早期", stage=OpportunityStage.PRESENTATION)
    await Opportunity.create(customer=world.alices_customer, owner=world.alice, title="汉", vehicle_model=han,
                             stage=OpportunityStage.TEST_DRIVE)
    await Opportunity.create(customer=world.alices_customer, owner=world.alice, title="丢了",
                             stage=OpportunityStage.NEGOTIATION, status=OpportunityStatus.LOST)
    return world


async def _make(title, body="{{ salutation }}您好", **fit):
    return await MessageTemplate.create(title=title, body=body, **fit)


async def test_every_set_constraint_must_hold_and_the_best_match_comes_first(zhang):
    await _make("两个标签", tag_names=["预算:20-30万", "已试驾", "多次到店"])  # 2 tags: 6
    await _make("试驾阶段", stages=["TEST_DRIVE"])  # 2
    await _make("A级", grades=["A"])  # 1
    await _make("标签加阶段", tag_names=["已试驾"], stages=["TEST_DRIVE", "NEGOTIATION"])  # 3 + 2 = 5
    await _make("谈判阶段", stages=["NEGOTIATION"])  # the lost deal does not count
    await _make("B级", grades=["B"])
    await _make("流失", tag_names=["流失风险"])
    await _make("标签对但等级不对", tag_names=["已试驾"], grades=["C"])
    await _make("停用", tag_names=["已试驾"], is_active=False)
    found = await templates.recommend(zhang.p(zhang.alice), zhang.alices_customer.id, limit=10)
    assert [(r.template.title, r.score, r.matched_tags) for r in found] == [
        ("两个标签", 6, ["预算:20-30万", "已试驾"]),
        ("标签加阶段", 5, ["已试驾"]),
        ("试驾阶段", 2, []),
        ("A级", 1, []),
    ]
    top = await templates.recommend(zhang.p(zhang.alice), zhang.alices_customer.id)
    assert [r.template.title for r in top] == ["两个标签", "标签加阶段", "试驾阶段"]


async def test_ties_go_to_the_most_specific_template(zhang):
    general = await _make("任何人")
    broad = await _make("多个阶段", stages=["TEST_DRIVE", "NEGOTIATION", "CONTRACT"])
    narrow = await _make("一个阶段", stages=["TEST_DRIVE"])
    found = await templates.recommend(zhang.p(zhang.alice), zhang.alices_customer.id, limit=5)
    assert [r.template.id for r in found] == [narrow.id, broad.id, general.id]
    assert [r.score for r in found] == [2, 2, 0]


async def test_a_template_with_stages_needs_an_open_deal(world):
    await _make("报价", stages=["NEGOTIATION"])
    await _make("通用")
    found = await templates.recommend(world.p(world.alice), world.alices_customer.id)
    assert [r.template.title for r in found] == ["通用"]


async def test_the_text_is_rendered_with_the_customers_details(zhang):
    await _make("{{ surname }}先生的{{ deal_model }}",
                body="{{ salutation }}您好，我是{{ owner }}。{{ name }}（{{ grade }}级）预算{{ budget }}，看中{{ interested_model }}。",
                stages=["TEST_DRIVE"])
    (found,) = await templates.recommend(zhang.p(zhang.alice), zhang.alices_customer.id)
    assert found.title == "张先生的比亚迪 汉 EV 冠军版"
    assert found.body == "张先生您好，我是alice。张三（A级）预算20-30万，看中比亚迪 汉。"


async def test_women_are_addressed_as_nushi_and_unknown_gender_by_full_name(world):
    await _make("问候")
    await Customer.filter(id=world.alices_customer.id).update(gender="FEMALE")
    (found,) = await templates.recommend(world.p(world.alice), world.alices_customer.id)
    assert found.body == "张女士您好"
    await Customer.filter(id=world.alices_customer.id).update(gender="UNKNOWN")
    (found,) = await templates.recommend(world.p(world.alice), world.alices_customer.id)
    assert found.body == "张三您好"


async def test_nothing_is_recommended_for_a_customer_outside_the_scope(zhang):
    await _make("通用")
    assert await templates.recommend(zhang.p(zhang.bob), zhang.alices_customer.id) == []
    assert len(await templates.recommend(zhang.p(zhang.anna), zhang.alices_customer.id)) == 1


@pytest.mark.parametrize("body", [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ name.__init__.__globals__ }}",
])
async def test_the_sandbox_refuses_attribute_access_and_the_save_names_the_body(world, body):
    with pytest.raises(UserErrors) as caught:
        await templates.create_template(world.p(world.anna), {"title": "坏", "body": body})
    assert [(e.field, e.code) for e in caught.value.errors] == [("body", "INVALID")]
    assert not await MessageTemplate.exists()


async def test_unknown_names_and_broken_syntax_are_refused(world):
    with pytest.raises(UserErrors) as caught:
        await templates.create_template(world.p(world.anna), {"title": "{{ phone }}", "body": "{% if %}"})
    assert sorted(e.field for e in caught.value.errors) == ["body", "title"]
    assert "salutation" in caught.value.errors[0].message


async def test_managers_create_update_and_retire_templates(world):
    row = await templates.create_template(world.p(world.anna), {
        "title": "试驾邀约", "body": "{{ salutation }}，周末来试驾{{ interested_model }}吗？", "kind": "MESSAGE",
        "tag_names": [" 已试驾 ", "已试驾", "", "多次到店"], "stages": ["PRESENTATION"], "grades": ["A", "B"]})
    assert (row.kind, row.tag_names, row.stages, row.grades, row.is_active) == (
        "MESSAGE", ["已试驾", "多次到店"], ["PRESENTATION"], ["A", "B"], True)
    row = await templates.update_template(world.p(world.root), row.id, {"title": "试驾邀约（周末）", "grades": []})
    assert (row.title, row.grades, row.stages) == ("试驾邀约（周末）", [], ["PRESENTATION"])
    row = await templates.deactivate_template(world.p(world.anna), row.id)
    assert row.is_active is False
    assert await templates.recommend(world.p(world.alice), world.alices_customer.id) == []


async def test_consultants_cannot_edit_templates(world):
    with pytest.raises(UserError) as caught:
        await templates.create_template(world.p(world.alice), {"title": "x", "body": "y"})
    assert caught.value.code == "FORBIDDEN"
    row = await _make("原样")
    with pytest.raises(UserError):
        await templates.update_template(world.p(world.alice), row.id, {"title": "改"})
    assert (await MessageTemplate.get(id=row.id)).title == "原样"


async def test_bad_stages_and_grades_name_their_field(world):
    with pytest.raises(UserErrors) as caught:
        await templates.create_template(world.p(world.anna), {"title": "t", "body": "b", "stages": ["SOMEDAY"], "grades": ["Z"]})
    assert sorted(e.field for e in caught.value.errors) == ["grades", "stages"]


def test_the_demo_templates_render_and_name_tags_the_demo_gives():
    from server.demo.catalog import CATALOG
    from server.demo.tags import DERIVED, EXTRACTED, MANUAL
    from server.demo.talking_points import TEMPLATES
    from server.portrait.tagging import FIXED
    from server.rules.builtin import REPLACEMENT_TAG

    known = set(DERIVED) | set(EXTRACTED) | set(MANUAL) | set(FIXED) | {REPLACEMENT_TAG}
    known |= {f"预算:{band}" for band in ("10万以下", "10-20万", "20-30万", "30-50万", "50万以上")}
    known |= {f"意向车型:{entry.display_name}" for entry in CATALOG}
    assert len(TEMPLATES) == 13
    for title, kind, tags, stages, grades, body in TEMPLATES:
        cleaned = templates._clean({"title": title, "body": body, "kind": kind, "tag_names": tags,
                                    "stages": stages, "grades": grades})
        assert set(cleaned["tag_names"]) <= known, title
