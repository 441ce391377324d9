"""Tags of every category, given to the customers they are true of.

Tags the system would derive (basic facts, behaviour, predictions) come with the import;
consumption tags are what the extractor reads from summaries; manual tags were set by the
consultant who owns the customer.
"""

import random
from collections.abc import Callable
from datetime import date

from server.demo.clock import Clock
from server.demo.customers import Persona
from server.demo.world import World
from server.enums import Gender, Grade, InteractionKind, Lifecycle, TagCategory, TagSource
from server.portrait.models import CustomerTag, Tag

Rule = Callable[[Persona, Clock], bool]

LOCAL_CITY = "杭州市"


def _visits(persona: Persona) -> int:
    return sum(1 for row in persona.interactions if row.kind in (InteractionKind.VISIT, InteractionKind.TEST_DRIVE))


def _messages(persona: Persona) -> int:
    return sum(1 for row in persona.interactions if row.kind is InteractionKind.MESSAGE)


def _silent_days(persona: Persona, clock: Clock) -> int | None:
    last = persona.customer.last_contact_at
    return clock.days_ago(last) if last else None


# name: (category, description, rule)
DERIVED: dict[str, tuple[TagCategory, str, Rule]] = {
    "本地客户": (TagCategory.BASIC, "常住杭州", lambda p, c: p.customer.city == LOCAL_CITY),
    "外地客户": (TagCategory.BASIC, "常住杭州以外", lambda p, c: p.customer.city != LOCAL_CITY),
    "企业客户": (TagCategory.BASIC, "以公司名义购车", lambda p, c: p.company),
    "女性客户": (TagCategory.BASIC, "", lambda p, c: p.customer.gender == Gender.FEMALE),
    "90后": (TagCategory.BASIC, "1990年以后出生",
             lambda p, c: p.customer.birthday is not None and p.customer.birthday >= date(1990, 1, 1)),
    "多次到店": (TagCategory.BEHAVIOR, "到店两次及以上", lambda p, c: _visits(p) >= 2),
    "已试驾": (TagCategory.BEHAVIOR, "完成过试驾", lambda p, c: any(d.test_drive for d in p.deals)),
    "微信活跃": (TagCategory.BEHAVIOR, "微信沟通三次及以上", lambda p, c: _messages(p) >= 3),
    "长期未联系": (TagCategory.BEHAVIOR, "超过60天没有互动",
                   lambda p, c: p.lifecycle is not Lifecycle.CUSTOMER and (_silent_days(p, c) or 0) > 60),
    "高意向": (TagCategory.PREDICTION, "近期成交可能性高", lambda p, c: p.customer.grade == Grade.A),
    "可能换车": (TagCategory.PREDICTION, "车龄五年以上且近一年多次维修", lambda p, c: p.replacing),
    "流失风险": (TagCategory.PREDICTION, "意向客户超过30天未跟进",
                 lambda p, c: p.lifecycle is Lifecycle.PROSPECT and (_silent_days(p, c) or 0) > 30),
    "转介绍潜力": (TagCategory.PREDICTION, "成交客户且满意度高",
                   lambda p, c: p.lifecycle is Lifecycle.CUSTOMER and p.customer.consent_marketing
                   and any(r.kind is InteractionKind.SURVEY for r in p.interactions)),
}
EXTRACTED: dict[str, tuple[str, Rule]] = {
    "高预算": ("预算30万以上", lambda p, c: (p.customer.budget_max or 0) >= 300000),
    "偏好新能源": ("关注纯电或插混车型", lambda p, c: p.favourite.new_energy),
    "贷款购车": ("倾向分期付款", lambda p, c: p.story.financing == "LOAN"),
    "置换需求": ("有旧车想置换", lambda p, c: p.story.financing == "TRADE_IN"),
}
MANUAL: dict[str, tuple[str, float]] = {
    # name: (description, share of owned customers tagged)
    "VIP": ("重点维护客户", 0.04),
    "价格敏感": ("谈价格要有准备", 0.12),
    "家庭用车": ("", 0.15),
    "商务用车": ("", 0.06),
    "关注续航": ("", 0.08),
}


def build_tags(world: World, clock: Clock, rng: random.Random, personas: list[Persona]) -> None:
    tags: dict[str, Tag] = {}
    for name, (category, description, _) in DERIVED.items():
        tags[name] = world.add(Tag(name=name, category=category, description=description))
    for name, (description, _) in EXTRACTED.items():
        tags[name] = world.add(Tag(name=name, category=TagCategory.CONSUMPTION, description=description))
    for name, (description, _) in MANUAL.items():
        tags[name] = world.add(Tag(name=name, category=TagCategory.MANUAL, description=description))

    for persona in personas:
        customer = persona.customer
        for name, (_, _, rule) in DERIVED.items():
            if rule(persona, clock):
                world.add(CustomerTag(source=TagSource.IMPORT, created_at=customer.created_at),
                          customer=customer, tag=tags[name])
        for name, (_, rule) in EXTRACTED.items():
            if persona.interactions and rule(persona, clock):
                world.add(CustomerTag(source=TagSource.EXTRACTOR, created_at=persona.interactions[0].occurred_at),
                          customer=customer, tag=tags[name])
        if persona.owner is None:
            continue
        for name, (_, share) in MANUAL.items():
            if rng.random() < share:
                world.add(CustomerTag(source=TagSource.MANUAL, created_at=customer.last_contact_at or customer.created_at),
                          customer=customer, tag=tags[name], assigned_by=persona.owner)
