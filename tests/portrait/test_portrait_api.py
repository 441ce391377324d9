"""analytics { portrait } and the customer list's tag and tier filters, via the real schema."""

from datetime import date

from server.customers.models import Customer
from server.enums import Gender
from server.portrait.services import refresh_portrait
from tests.world import gql, token_principal

PORTRAIT = """{ analytics { portrait { customers
    byAgeBand { key label count } byRegion { key label count } byBudgetBand { key label count }
    byInterestedModel { key label count } byTier { key label count category }
    byTag(category: BASIC, first: 3) { key label count category } } } }"""
LIST = """query($filter: CustomerFilter) { customers(filter: $filter) { totalCount edges { node { name
    valueTier tags { tag { name category } source assignedAt } } } } }"""


async def _portrait(principal):
    result = await gql(PORTRAIT, principal)
    assert result.errors is None, result.errors
    return result.data["analytics"]["portrait"]


async def _names(principal, **filter):
    result = await gql(LIST, principal, filter=filter)
    assert result.errors is None, result.errors
    return sorted(e["node"]["name"] for e in result.data["customers"]["edges"])


async def _facts(world):
    await Customer.filter(id=world.alices_customer.id).update(
        birthday=date(1995, 3, 1), gender=Gender.MALE, city="杭州", budget_min=200000, budget_max=300000,
        interested_models=["比亚迪汉", "小鹏P7"])
    await Customer.filter(id=world.bobs_customer.id).update(
        birthday=date(1980, 3, 1), city="杭州", budget_min=150000, budget_max=150000, interested_models=["比亚迪汉"])
    await Customer.filter(id=world.pool_customer.id).update(birthday=date(2000, 1, 1), city="宁波")
    await refresh_portrait()


async def test_an_admin_sees_every_customer_spread_over_the_dimensions(world):
    await _facts(world)
    data = await _portrait(world.p(world.root))

    assert data["customers"] == 3
    assert data["byAgeBand"] == [{"key": "年龄:25-34", "label": "25-34", "count": 2},
                                 {"key": "年龄:45-54", "label": "45-54", "count": 1}]
    assert data["byRegion"] == [{"key": "地区:杭州", "label": "杭州", "count": 2},
                                {"key": "地区:宁波", "label": "宁波", "count": 1}]
    assert data["byBudgetBand"] == [{"key": "预算:10-20万", "label": "10-20万", "count": 1},
                                    {"key": "预算:20-30万", "label": "20-30万", "count": 1}]
    assert data["byInterestedModel"] == [{"key": "意向车型:比亚迪汉", "label": "比亚迪汉", "count": 2},
                                         {"key": "意向车型:小鹏P7", "label": "小鹏P7", "count": 1}]
    # 张三 was called today (recency 3, frequency 1, money 1 = 5): 中等价值.
    assert data["byTier"] == [{"key": "MEDIUM", "label": "MEDIUM", "count": 1, "category": None},
                              {"key": "POTENTIAL", "label": "POTENTIAL", "count": 2, "category": None}]
    assert data["byTag"] == [
        {"key": "地区:杭州", "label": "地区:杭州", "count": 2, "category": "BASIC"},
        {"key": "年龄:25-34", "label": "年龄:25-34", "count": 2, "category": "BASIC"},
        {"key": "地区:宁波", "label": "地区:宁波", "count": 1, "category": "BASIC"},
    ]


async def test_a_manager_and_a_consultant_count_only_what_their_scope_holds(world):
    await _facts(world)
    anna = await _portrait(world.p(world.anna))  # team A and the pool: not bob's 李四
    assert anna["customers"] == 2
    assert anna["byRegion"] == [{"key": "地区:宁波", "label": "宁波", "count": 1},
                                {"key": "地区:杭州", "label": "杭州", "count": 1}]
    bob = await _portrait(world.p(world.bob))
    assert bob["byInterestedModel"] == [{"key": "意向车型:比亚迪汉", "label": "比亚迪汉", "count": 1}]
    team_b_token = await token_principal(["read"], world.team_b)
    assert (await _portrait(team_b_token))["customers"] == 1
    denied = await gql(PORTRAIT, None)
    assert denied.data is None and denied.errors


async def test_a_bar_clicks_through_to_exactly_its_customers(world):
    await _facts(world)
    root = world.p(world.root)
    assert await _names(root, tags=["年龄:25-34"]) == ["张三", "王五"]
    assert await _names(root, tags=["年龄:25-34", "地区:杭州"]) == ["张三"]
    assert await _names(root, tagsAny=["地区:宁波", "预算:10-20万"]) == ["李四", "王五"]
    assert await _names(root, valueTier=["POTENTIAL"], tags=["地区:杭州"]) == ["李四"]
    assert await _names(root, valueTier=["HIGH"]) == []
    assert await _names(world.p(world.anna), tagsAny=["意向车型:比亚迪汉"]) == ["张三"]


async def test_customer_tags_carry_category_source_and_time(world):
    await _facts(world)
    result = await gql(LIST, world.p(world.root), filter={"tags": ["地区:宁波"]})
    node = result.data["customers"]["edges"][0]["node"]
    tag = next(t for t in node["tags"] if t["tag"]["name"] == "地区:宁波")
    assert (tag["tag"]["category"], tag["source"]) == ("BASIC", "GENERATED") and tag["assignedAt"]
    assert node["valueTier"] == "POTENTIAL"
