"""Customers and their story: who they are, what they want, where they are in the funnel.

Each customer is generated as a Persona: the Customer row plus the plan (dates, deal outcome,
pool status) that the sales, vehicle and activity generators then follow, so that a customer's
opportunities, cars, interactions and tasks agree with each other and with the file.
"""

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta

from server.auth.models import User
from server.customers.models import Contact, Customer
from server.customers.normalize import phone_tail, pinyin_keys
from server.demo import names, phrases
from server.demo.campaigns import CampaignPlan, attribute
from server.demo.catalog import CATALOG, COMPETITORS, CatalogEntry
from server.demo.clock import Clock
from server.demo.identifiers import IdNumberBook, PhoneBook
from server.demo.regions import Region, pick_region, street_address
from server.demo.staff import Staff
from server.demo.world import World
from server.enums import (
    BodyType,
    Channel,
    CustomerKind,
    DecisionRole,
    Gender,
    Grade,
    Intent,
    Lifecycle,
    OpportunityStage,
    ValueTier,
)
from server.privacy.crypto import blind_index, encrypt
from server.sales.models import Campaign

CUSTOMER_COUNT = 2000
COMPANY_SHARE = 0.06
ID_NUMBER_SHARE = 0.85  # individuals whose ID card was seen (test drive, contract, import)

LIFECYCLE_WEIGHTS = {
    Lifecycle.LEAD: 30, Lifecycle.PROSPECT: 33, Lifecycle.CUSTOMER: 20, Lifecycle.DORMANT: 11, Lifecycle.LOST: 6,
}
# Leads nobody followed up and customers gone quiet are what flows back into the public pool.
POOL_SHARE = {
    Lifecycle.LEAD: 0.15, Lifecycle.PROSPECT: 0.06, Lifecycle.CUSTOMER: 0.0, Lifecycle.DORMANT: 0.3, Lifecycle.LOST: 0.2,
}
CHANNEL_WEIGHTS = {
    Channel.SHOWROOM: 20, Channel.WECHAT: 15, Channel.WEBSITE: 12, Channel.DOUYIN: 12, Channel.THIRD_PARTY: 12,
    Channel.PHONE: 10, Channel.REFERRAL: 8, Channel.AUTO_SHOW: 4, Channel.WEIBO: 2, Channel.EMAIL: 1,
    Channel.OTHER: 1,
}
OPEN_STAGE_WEIGHTS = {
    OpportunityStage.INITIAL_CONTACT: 15, OpportunityStage.NEEDS_CONFIRMED: 20, OpportunityStage.PRESENTATION: 20,
    OpportunityStage.TEST_DRIVE: 18, OpportunityStage.NEGOTIATION: 16, OpportunityStage.CONTRACT: 11,
}
LOSS_REASON_WEIGHTS = {"选择竞品": 40, "价格太高": 20, "预算不足": 12, "暂缓购买": 12, "联系不上": 8, "提车周期长": 8}
TIMEFRAME_WEIGHTS = {"一个月内": 20, "三个月内": 30, "半年内": 22, "一年内": 13, "待定": 15}
FINANCING_WEIGHTS = {"LOAN": 40, "CASH": 25, "TRADE_IN": 20, "UNKNOWN": 15}
_OPENID_CHARS = string.ascii_letters + string.digits + "-_"


@dataclass
class Plan:
    """Where the customer's story ends up; dates are local calendar days."""

    open_stage: OpportunityStage | None = None
    won_on: date | None = None
    lost_on: date | None = None
    lost_reason: str | None = None
    earlier_loss: bool = False  # a prospect whose first deal fell through
    loss_pending: bool = False  # a consultant asked to close as lost; the manager has not decided
    quiet_since: date | None = None  # last day anyone talked to the customer (dormant, pool)
    pool_since: date | None = None
    never_owned: bool = False  # a fresh lead waiting in the pool for someone to claim it


@dataclass
class Persona:
    customer: Customer
    company: bool
    male: bool | None
    region: Region
    lifecycle: Lifecycle
    created: date
    last_day: date  # no interaction after this day
    story: phrases.Story
    models: list[CatalogEntry]  # interested models, favourite first
    owner: User | None
    previous_owner: User | None
    plan: Plan
    quantity: int = 1  # cars a company buys at once
    campaign: Campaign | None = None
    contacts: list[Contact] = field(default_factory=list)
    # Filled in by the sales and vehicle generators.
    deals: list = field(default_factory=list)
    vehicles: list = field(default_factory=list)
    interactions: list = field(default_factory=list)
    replacing: bool = False  # owns an old car that keeps breaking down

    @property
    def favourite(self) -> CatalogEntry:
        return self.models[0]

    @property
    def handler(self) -> User | None:
        """The consultant who worked with the customer: the owner, or the last one before the pool."""
        return self.owner or self.previous_owner

    @property
    def name(self) -> str:
        return self.customer.name


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _interested_models(rng: random.Random, company: bool) -> list[CatalogEntry]:
    pool = [e for e in CATALOG if not company or e.body in (BodyType.SEDAN, BodyType.MPV, BodyType.SUV)]
    # Cheaper cars sell more: weight by price band.
    weights = [3 if e.price <= 200000 else 2 if e.price <= 300000 else 1 for e in pool]
    favourite = rng.choices(pool, weights=weights)[0]
    similar = [e for e in CATALOG if e.series != favourite.series and abs(e.price - favourite.price) <= favourite.price * 0.35]
    extra = rng.sample(similar, k=min(len(similar), rng.choice((0, 1, 1, 2))))
    return [favourite, *extra]


def _story(rng: random.Random, models: list[CatalogEntry]) -> phrases.Story:
    favourite = models[0]
    rivals = [c for c in COMPETITORS if abs(c[2] - favourite.price) <= favourite.price * 0.4] or list(COMPETITORS)
    rival = rng.choice(rivals)
    return phrases.Story(
        model=rng.choice((favourite.series, favourite.series, *favourite.aliases[:2])),
        color=rng.choice(favourite.colors),
        budget_wan=max(5, round(favourite.price * rng.uniform(0.92, 1.15) / 10000)),
        timeframe=_weighted(rng, TIMEFRAME_WEIGHTS),
        financing=_weighted(rng, FINANCING_WEIGHTS),
        usage=rng.choice(phrases.USAGES),
        competitor_brand=rival[0],
        competitor_model=rival[1],
    )


def _birthday(rng: random.Random, clock: Clock) -> date:
    age = int(rng.triangular(22, 63, 34))
    year = clock.today.year - age
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _plan(rng: random.Random, clock: Clock, lifecycle: Lifecycle, pooled: bool) -> tuple[Plan, int, date]:
    """Decide the customer's dates: (plan, days since first contact, last day of activity)."""
    plan = Plan()
    yesterday = clock.day(1)
    if lifecycle is Lifecycle.LEAD:
        created_ago = min(rng.randint(1, 60) + int(rng.expovariate(1 / 25)), 400)
        if rng.random() < 0.1:
            plan.open_stage = OpportunityStage.INITIAL_CONTACT
        last_day = yesterday
    elif lifecycle is Lifecycle.PROSPECT:
        created_ago = rng.randint(10, 400)
        plan.open_stage = _weighted(rng, OPEN_STAGE_WEIGHTS) if rng.random() < 0.88 else None
        plan.earlier_loss = created_ago > 120 and rng.random() < 0.2
        last_day = yesterday
    elif lifecycle is Lifecycle.CUSTOMER:
        if rng.random() < 0.65:
            won_ago = rng.randint(3, 362)
            plan.won_on = clock.day(won_ago)
            created_ago = min(won_ago + rng.randint(15, 120), 540)
        else:
            created_ago = rng.randint(470, 540)  # bought before the CRM existed; imported
        last_day = yesterday
    elif lifecycle is Lifecycle.DORMANT:
        created_ago = rng.randint(200, 540)
        plan.quiet_since = clock.day(rng.randint(95, created_ago - 30))
        if rng.random() < 0.3:
            plan.lost_on, plan.lost_reason = plan.quiet_since, rng.choice(("暂缓购买", "预算不足"))
        last_day = plan.quiet_since
    else:
        lost_ago = rng.randint(3, 362)
        plan.lost_on = clock.day(lost_ago)
        plan.lost_reason = _weighted(rng, LOSS_REASON_WEIGHTS)
        created_ago = min(lost_ago + rng.randint(10, 150), 540)
        last_day = plan.lost_on

    if pooled and lifecycle is Lifecycle.LEAD and rng.random() < 0.4:
        created_ago = rng.randint(1, 30)
        plan.never_owned, plan.open_stage = True, None
        plan.pool_since = clock.day(created_ago)
        last_day = plan.pool_since
    elif pooled:
        if lifecycle in (Lifecycle.LEAD, Lifecycle.PROSPECT):
            quiet_ago = rng.randint(40, 200)
            created_ago = quiet_ago + rng.randint(3, 120)
            plan.quiet_since = clock.day(quiet_ago)
            plan.pool_since = clock.day(quiet_ago - rng.randint(30, 38))
            plan.open_stage = None  # a deal nobody works on is closed when the customer leaves
            plan.earlier_loss = False
            last_day = plan.quiet_since
            if lifecycle is Lifecycle.PROSPECT and rng.random() < 0.5:
                plan.lost_on, plan.lost_reason = plan.quiet_since, rng.choice(("联系不上", "暂缓购买"))
        else:
            quiet = plan.lost_on or plan.quiet_since
            plan.pool_since = min(quiet + timedelta(days=rng.randint(1, 60)), yesterday)
    return plan, created_ago, last_day


def _grading(rng: random.Random, lifecycle: Lifecycle, plan: Plan) -> tuple[Intent | None, Grade | None]:
    if lifecycle is Lifecycle.LEAD:
        intent = None if rng.random() < 0.3 else _weighted(rng, {Intent.WATCHING: 50, Intent.MEDIUM: 35, Intent.STRONG: 15})
    elif lifecycle is Lifecycle.PROSPECT:
        late = plan.open_stage in (OpportunityStage.NEGOTIATION, OpportunityStage.CONTRACT, OpportunityStage.TEST_DRIVE)
        intent = _weighted(rng, {Intent.STRONG: 60, Intent.MEDIUM: 35, Intent.WATCHING: 5} if late
                           else {Intent.STRONG: 15, Intent.MEDIUM: 50, Intent.WATCHING: 35})
    elif lifecycle is Lifecycle.DORMANT:
        intent = Intent.WATCHING
    else:
        return None, (Grade.D if lifecycle is Lifecycle.LOST else None)
    if intent is None:
        return None, rng.choice((None, Grade.C, Grade.D))
    grade = {
        Intent.STRONG: _weighted(rng, {Grade.A: 70, Grade.B: 30}),
        Intent.MEDIUM: _weighted(rng, {Grade.B: 55, Grade.C: 45}),
        Intent.WATCHING: _weighted(rng, {Grade.C: 50, Grade.D: 50}),
    }[intent]
    return intent, grade


def _value_tier(lifecycle: Lifecycle, company: bool, budget_max: int | None) -> ValueTier | None:
    if company or (budget_max or 0) >= 300000:
        return ValueTier.HIGH
    if lifecycle is Lifecycle.LEAD and budget_max is None:
        return None
    if (budget_max or 0) >= 150000 or lifecycle is Lifecycle.CUSTOMER:
        return ValueTier.MEDIUM
    return ValueTier.POTENTIAL


def _email(rng: random.Random, pinyin: str) -> str | None:
    if rng.random() >= 0.25:
        return None
    if rng.random() < 0.5:
        return f"{rng.randint(10**7, 10**10)}@qq.com"
    return f"{pinyin}{rng.randint(1, 999)}@{rng.choice(('163.com', '126.com', 'sina.com', 'foxmail.com'))}"


def _openid(rng: random.Random) -> str:
    return "o" + "".join(rng.choice(_OPENID_CHARS) for _ in range(27))


def _persona(
    rng: random.Random, clock: Clock, staff: Staff, campaigns: list[CampaignPlan],
    phones: PhoneBook, id_numbers: IdNumberBook,
) -> Persona:
    company = rng.random() < COMPANY_SHARE
    lifecycle = _weighted(rng, LIFECYCLE_WEIGHTS)
    pooled = not company and rng.random() < POOL_SHARE[lifecycle]
    plan, created_ago, last_day = _plan(rng, clock, lifecycle, pooled)
    created = clock.day(created_ago)
    region = pick_region(rng)
    models = _interested_models(rng, company)
    story = _story(rng, models)

    channel = _weighted(rng, CHANNEL_WEIGHTS)
    if lifecycle is Lifecycle.CUSTOMER and plan.won_on is None and rng.random() < 0.6:
        channel = Channel.IMPORT
    campaign = attribute(rng, campaigns, created) if channel is not Channel.IMPORT else None
    if campaign:
        channel = campaign.channel

    consultant = staff.pick_consultant(rng)
    owner = None if pooled else consultant
    previous_owner = consultant if pooled and not plan.never_owned else None

    values: dict = {}
    male: bool | None = None
    if company:
        name = names.company_name(rng, region.city)
        values.update(kind=CustomerKind.COMPANY, company_name=name, company_size=rng.choice(names.COMPANY_SIZES))
    else:
        male = rng.random() < 0.62
        name = names.person_name(rng, male)
        values.update(gender=Gender.MALE if male else Gender.FEMALE, occupation=rng.choice(names.OCCUPATIONS))
        if rng.random() < ID_NUMBER_SHARE:
            birthday = _birthday(rng, clock)
            number = id_numbers.issue(region.code, birthday, male)
            values.update(id_number_encrypted=encrypt(number), id_number_hash=blind_index(number), birthday=birthday)
        elif rng.random() < 0.3:
            values["birthday"] = _birthday(rng, clock)
    pinyin, initials = pinyin_keys(name)
    phone = phones.mobile()

    budget_min = budget_max = None
    if lifecycle is not Lifecycle.LEAD or rng.random() < 0.7:
        budget_min = max(story.budget_wan - rng.randint(2, 5), 3) * 10000
        budget_max = (story.budget_wan + rng.randint(0, 3)) * 10000
    intent, grade = _grading(rng, lifecycle, plan)
    created_at = clock.business_time(rng, created)
    wechat = channel is Channel.WECHAT or rng.random() < 0.3
    consent = rng.random() < 0.55

    customer = Customer(
        name=name,
        name_pinyin=pinyin,
        name_initials=initials,
        phone=phone,
        phone_tail=phone_tail(phone),
        email=_email(rng, pinyin if not company else initials),
        wechat_openid=_openid(rng) if wechat else None,
        wechat_unionid=_openid(rng) if wechat and rng.random() < 0.4 else None,
        province=region.province,
        city=region.city,
        district=region.district,
        address=street_address(rng, region) if rng.random() < 0.7 or company else "",
        lifecycle=lifecycle,
        intent=intent,
        grade=grade,
        value_tier=_value_tier(lifecycle, company, budget_max),
        channel=channel,
        pool_entered_at=clock.at(plan.pool_since, 2) if plan.pool_since else None,
        assigned_at=created_at + timedelta(minutes=rng.randint(5, 600)) if owner else None,
        budget_min=budget_min,
        budget_max=budget_max,
        purchase_timeframe=story.timeframe if lifecycle in (Lifecycle.LEAD, Lifecycle.PROSPECT) else "",
        interested_models=[m.display_name for m in models],
        custom_fields=(
            {"goal": story.usage, "pain_point": rng.choice(phrases.CONCERNS)} if rng.random() < 0.3 else {}
        ),
        consent_marketing=consent,
        consent_at=created_at if consent else None,
        notes=rng.choice(phrases.CUSTOMER_NOTES) if rng.random() < 0.15 else "",
        created_at=created_at,
        **values,
    )
    return Persona(
        customer=customer, company=company, male=male, region=region, lifecycle=lifecycle, created=created,
        last_day=last_day, story=story, models=models, owner=owner, previous_owner=previous_owner, plan=plan,
        quantity=rng.randint(2, 8) if company else 1, campaign=campaign.row if campaign else None,
    )


def build_customers(
    world: World, clock: Clock, staff: Staff, campaigns: list[CampaignPlan], seed: str
) -> list[Persona]:
    rng = random.Random(f"{seed}:customers")
    phones = PhoneBook(random.Random(f"{seed}:phones"))
    id_numbers = IdNumberBook(random.Random(f"{seed}:id-numbers"))
    personas = [_persona(rng, clock, staff, campaigns, phones, id_numbers) for _ in range(CUSTOMER_COUNT)]
    # Insert in order of first contact, so that ids grow with time as in a real database.
    personas.sort(key=lambda persona: persona.customer.created_at)
    for persona in personas:
        world.add(
            persona.customer,
            owner=persona.owner,
            team=staff.team(persona.owner),
            previous_owner=persona.previous_owner,
            campaign=persona.campaign,
        )
    _add_loss_pending(rng, personas)
    build_contacts(world, random.Random(f"{seed}:contacts"), personas, phones)
    return personas


def _add_loss_pending(rng: random.Random, personas: list[Persona]) -> None:
    """A few consultants have asked to give up on a deal; their managers have yet to decide."""
    candidates = [p for p in personas if p.owner and p.plan.open_stage is OpportunityStage.NEGOTIATION]
    for persona in rng.sample(candidates, k=min(4, len(candidates))):
        persona.plan.loss_pending = True
        persona.plan.lost_reason = rng.choice(("选择竞品", "价格太高"))


FAMILY = (
    # title, role weights, same surname as the customer
    ("配偶", {DecisionRole.DECISION_MAKER: 40, DecisionRole.INFLUENCER: 60}, False),
    ("父亲", {DecisionRole.FINANCE_APPROVER: 60, DecisionRole.INFLUENCER: 40}, True),
    ("母亲", {DecisionRole.INFLUENCER: 70, DecisionRole.FINANCE_APPROVER: 30}, False),
    ("儿子", {DecisionRole.USER: 70, DecisionRole.INFLUENCER: 30}, True),
    ("女儿", {DecisionRole.USER: 70, DecisionRole.INFLUENCER: 30}, True),
    ("朋友", {DecisionRole.INFLUENCER: 80, DecisionRole.CHAMPION: 20}, False),
)
# title, role, index of the manager in this list (None: reports to nobody in the list)
COMPANY_STAFF = (
    ("总经理", DecisionRole.DECISION_MAKER, None),
    ("财务总监", DecisionRole.FINANCE_APPROVER, 0),
    ("行政经理", DecisionRole.GATEKEEPER, 0),
    ("采购专员", DecisionRole.CHAMPION, 2),
    ("车队主管", DecisionRole.USER, 2),
)


def _surname_of(name: str) -> str:
    compound = next((s for s in names.SURNAMES if len(s) == 2 and name.startswith(s)), None)
    return compound or name[0]


def _unique_name(rng: random.Random, taken: set[str], male: bool, surname: str | None = None) -> str:
    """A name no other contact of the customer has: contacts are told apart by name."""
    while True:
        name = names.person_name(rng, male)
        if surname:
            name = surname + name[len(_surname_of(name)):]
        if name not in taken:
            taken.add(name)
            return name


def build_contacts(world: World, rng: random.Random, personas: list[Persona], phones: PhoneBook) -> None:
    for persona in personas:
        customer = persona.customer
        taken = {customer.name}
        if persona.company:
            size = rng.randint(2, len(COMPANY_STAFF))
            rows: list[Contact] = []
            for title, role, boss in COMPANY_STAFF[:size]:
                contact = Contact(
                    name=_unique_name(rng, taken, rng.random() < 0.6), phone=phones.mobile(), title=title, role=role,
                    created_at=customer.created_at,
                )
                world.add(contact, customer=customer)
                if boss is not None and rng.random() < 0.85:
                    world.set_parent(contact, "reports_to", rows[boss])
                rows.append(contact)
            persona.contacts = rows
            continue
        roll = rng.random()
        count = 2 if roll < 0.05 else 1 if roll < 0.3 else 0
        for title, roles, same_surname in rng.sample(FAMILY, k=count):
            male = {"配偶": not persona.male, "父亲": True, "母亲": False, "儿子": True, "女儿": False}.get(
                title, rng.random() < 0.5
            )
            contact = Contact(
                name=_unique_name(rng, taken, male, _surname_of(customer.name) if same_surname else None),
                phone=phones.mobile() if rng.random() < 0.8 else None,
                title=title,
                role=_weighted(rng, roles),
                notes="购车主要听TA的意见" if rng.random() < 0.2 else "",
                created_at=customer.created_at,
            )
            world.add(contact, customer=customer)
            persona.contacts.append(contact)
