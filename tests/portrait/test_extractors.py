"""Each extractor on the cases it exists for, and the ones it must leave alone."""

from types import SimpleNamespace

import pytest

from bench.extraction.quality import demo_catalog
from server.portrait.extraction import Catalog, extract
from server.portrait.extraction.budget import budget_label, find_budgets
from server.portrait.extraction.financing import find_financing
from server.portrait.extraction.purchase_kind import find_purchase_kind
from server.portrait.extraction.timeframe import find_timeframes

CATALOG = demo_catalog()


def read(text: str, kind: str, catalog: Catalog = CATALOG) -> list[tuple[str, bool]]:
    return [(f.normalized, f.negated) for f in extract(text, catalog) if f.kind == kind]


@pytest.mark.parametrize("text, expected", [
    ("预算25万", "250000-250000"), ("20-30万", "200000-300000"), ("二十五万左右", "250000-250000"),
    ("二三十万", "200000-300000"), ("十五六万", "150000-160000"), ("十几万", "100000-200000"),
    ("30w以内", "-300000"), ("15万以上", "150000-"), ("预算25", "250000-250000"), ("不超过20万", "-200000"),
    ("18万到22万", "180000-220000"), ("二十万出头", "200000-230000"), ("300k", "300000-300000"),
])
def test_budgets_as_people_write_them(text, expected):
    assert [f.normalized for f in find_budgets(text)] == [expected]


@pytest.mark.parametrize("text", ["首付5万", "优惠1万", "开了8万公里", "旧车估价6万", "月供3000", "保险6千", "二胎"])
def test_money_that_is_not_a_budget_is_left_alone(text):
    assert find_budgets(text) == []


def test_budget_spans_point_at_the_words():
    fact = find_budgets("客户说预算二十五万左右吧")[0]
    assert "客户说预算二十五万左右吧"[fact.start:fact.end] == "二十五万左右"
    assert budget_label(fact.normalized) == "25万" and budget_label("200000-300000") == "20-30万"


@pytest.mark.parametrize("text, expected", [
    ("想看汉EV", "比亚迪 汉"), ("韩EV多少钱", "比亚迪 汉"), ("秦plus", "比亚迪 秦PLUS"), ("秦PLUS", "比亚迪 秦PLUS"),
    ("毛豆Y", "特斯拉 Model Y"), ("modely", "特斯拉 Model Y"), ("Model Y", "特斯拉 Model Y"),
    ("modle y有优惠吗", "特斯拉 Model Y"), ("凯美锐", "丰田 凯美瑞"), ("汉兰大", "丰田 汉兰达"), ("camery", "丰田 凯美瑞"),
    ("L7max", "理想 L7"),
])
def test_models_by_name_alias_sound_or_near_spelling(text, expected):
    assert read(text, "model") == [(expected, False)]


@pytest.mark.parametrize("text", ["唐先生来店", "小宋陪客户", "客户姓宋", "MYSQL", "客户明白了"])
def test_surnames_and_other_words_are_not_models(text):
    assert read(text, "model") == []


def test_a_model_the_customer_rules_out_is_negated():
    assert read("不考虑汉EV，要宋PLUS", "model") == [("比亚迪 汉", True), ("比亚迪 宋PLUS", False)]


def test_competitors_are_brands_outside_the_catalog():
    assert read("也看了小米SU7和问界M7", "competitor") == [("小米 SU7", False), ("问界 M7", False)]
    assert read("深蓝S7也看了", "competitor") == [("深蓝 S7", False)]
    assert read("客户说宝马太贵", "competitor") == [("宝马", False)]
    # Tesla is on this dealership's floor, so Model Y is a model of interest, not a rival …
    assert read("Model Y", "competitor") == []
    # … and a dealership without it sees 特斯拉 Model Y as a competitor.
    byd_only = Catalog.from_rows([SimpleNamespace(id=1, brand="比亚迪", series="汉", trim="", aliases=[], body_type="SEDAN")])
    assert read("对比了特斯拉Model Y", "competitor", byd_only) == [("特斯拉 Model Y", False)]


@pytest.mark.parametrize("text", ["不太理想", "现代化的公司", "深蓝色的车"])
def test_brand_names_that_are_words_are_not_competitors(text):
    assert read(text, "competitor") == []


def test_colour_body_and_energy_with_negation():
    assert read("喜欢红色，不要白的", "colour") == [("红色", False), ("白色", True)]
    assert read("不要SUV，要轿车", "body") == [("SUV", True), ("SEDAN", False)]
    assert read("不考虑纯电，要插混", "energy") == [("BEV", True), ("PHEV", False)]
    assert read("客户说纯电的不考虑", "energy") == [("BEV", True)]
    assert read("客户明白了，白跑一趟，黑名单", "colour") == []


@pytest.mark.parametrize("text, expected", [
    ("下个月提车", "NEXT_MONTH"), ("年底前买", "YEAR_END"), ("近期就要买", "THIS_MONTH"), ("三个月内提车", "WITHIN_3_MONTHS"),
    ("不急，先了解", "UNDECIDED"), ("半年内换车", "WITHIN_6_MONTHS"), ("预算15万，轿车，下个月", "NEXT_MONTH"),
])
def test_timeframes(text, expected):
    assert [f.normalized for f in find_timeframes(text)] == [expected]


def test_a_visit_next_month_is_not_a_purchase_timeframe():
    assert find_timeframes("下个月再来看看") == [] and find_timeframes("这周末来试驾") == []


@pytest.mark.parametrize("text, expected", [
    ("分期", "LOAN"), ("想做零首付", "LOAN"), ("有没有免息政策", "LOAN"), ("全款", "FULL"), ("不考虑贷款", "FULL"),
    ("贷款就算了", "FULL"), ("不做分期，一次性付清", "FULL"),
])
def test_financing_and_its_negation(text, expected):
    assert [f.normalized for f in find_financing(text)] == [expected]


@pytest.mark.parametrize("text, expected", [
    ("第一台车", "FIRST"), ("刚拿驾照", "FIRST"), ("想置换", "REPLACEMENT"), ("旧车想换掉", "REPLACEMENT"),
    ("增购，给老婆买", "ADDITIONAL"),
])
def test_purchase_kind(text, expected):
    assert [f.normalized for f in find_purchase_kind(text)] == [expected]


def test_a_note_without_facts_yields_none():
    assert extract("没接电话", CATALOG) == [] and extract("", CATALOG) == []


def test_the_brand_bie_ke_is_not_a_negation():
    assert read("别克GL8和赛那比较", "model") == [("丰田 赛那", False)]
    assert read("别选唐DM", "model") == [("比亚迪 唐", True)]
