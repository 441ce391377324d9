"""Generated portrait tags (画像标签): kept in step with the facts by one set-based refresh.

Each family below is one SELECT yielding (customer_id, name) pairs for a range of customer ids.
A refresh walks the customer table in id ranges and, per range, in one transaction:
creates the tags it needs, inserts the pairs a customer lacks (INSERT … SELECT) and deletes the
GENERATED links no family yields any more (DELETE … WHERE NOT EXISTS). Links of any other source
— manual, rule, extractor, import — are never inserted over (unique (customer, tag)) nor
deleted, so a consultant's tag or a rule's 潜在换车客户 stays as it is. A second run changes
nothing; a link's created_at is when the tag first applied.

Rule-like predictions live here rather than in the rule engine because a rule's add_tag never
takes the tag away when its condition stops holding, and these must.

Data proxies (what the models hold):
- 年龄 from birthday, local day; under 18 gets no band.
- 地区 is the city, or the province when no city is known.
- 渠道 is the customer's first channel and the channels of their interactions (OTHER/IMPORT left out).
- 车主:<brand> needs the vehicle linked to the model catalogue; a free-text model name gives none.
- 售后消费 sums service records over 24 months: 高 ≥ 10,000, 中 ≥ 3,000, 低 above 0 (CNY).
- 预算 bands the middle of budget_min/budget_max (either alone when one is missing).
- 流失风险: owns a vehicle, no service record in 365 days, no contact (or, never contacted,
  no new file) in 180 days.
- 延保潜力: a vehicle bought 30 to 36 months ago (the factory warranty ends at 3 years) and no
  tag 已购延保 — nothing in the models records an extended warranty sale, so staff mark it by hand.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.timezone import now as utc_now
from tortoise.transactions import in_transaction

from server import config
from server.enums import TagCategory, TagSource
from server.portrait import sql
from server.portrait.models import Tag

CHUNK = 2000
EXTENDED_WARRANTY_BOUGHT = "已购延保"
CHANNEL_NAMES = {
    "WEBSITE": "官网", "SHOWROOM": "门店", "PHONE": "电话", "WECHAT": "微信", "WEIBO": "微博",
    "DOUYIN": "抖音", "EMAIL": "邮件", "AUTO_SHOW": "车展", "REFERRAL": "转介绍", "THIRD_PARTY": "第三方平台",
}
# Prefixes of the families whose tag names carry a value; the portrait report groups by them.
AGE, REGION, BUDGET, MODEL = "年龄:", "地区:", "预算:", "意向车型:"
# Fixed-name tags: their category and description.
FIXED = {
    "多次到店": (TagCategory.BEHAVIOR, "90天内到店2次及以上"),
    "已试驾": (TagCategory.BEHAVIOR, "完成过试驾"),
    "近30天有联系": (TagCategory.BEHAVIOR, "30天内有过联系"),
    "超过90天未联系": (TagCategory.BEHAVIOR, "超过90天没有联系"),
    "高互动": (TagCategory.BEHAVIOR, "30天内互动5次及以上"),
    "售后消费:高": (TagCategory.CONSUMPTION, "24个月售后消费1万元及以上"),
    "售后消费:中": (TagCategory.CONSUMPTION, "24个月售后消费3千至1万元"),
    "售后消费:低": (TagCategory.CONSUMPTION, "24个月售后消费3千元以下"),
    "流失风险": (TagCategory.PREDICTION, "有车，12个月未到店保养且180天未联系"),
    "延保潜力": (TagCategory.PREDICTION, "车龄2.5至3年，未购延保"),
}
# Value-carrying families: prefix → category.
PREFIXED = {
    AGE: TagCategory.BASIC, "性别:": TagCategory.BASIC, REGION: TagCategory.BASIC, "职业:": TagCategory.BASIC,
    "企业规模:": TagCategory.BASIC, "渠道:": TagCategory.BEHAVIOR, "车主:": TagCategory.CONSUMPTION,
    BUDGET: TagCategory.CONSUMPTION, MODEL: TagCategory.CONSUMPTION,
}
# Longest value kept after a prefix: tag names hold 60 characters.
VALUE_CHARS = 50


@dataclass(frozen=True)
class RefreshResult:
    added: int
    removed: int


def category_of(name: str) -> TagCategory:
    if name in FIXED:
        return FIXED[name][0]
    for prefix, category in PREFIXED.items():
        if name.startswith(prefix):
            return category
    return TagCategory.BASIC


class _Families:
    """The SELECTs of every family, for the moment `at`, over ids in [lo, hi)."""

    def __init__(self, at: datetime, postgres: bool):
        self.pg = postgres
        self.now = at
        self.today = at.astimezone(ZoneInfo(config.settings.timezone)).date()

    def m(self, value) -> str:
        return sql.moment(value, self.pg)

    def d(self, value) -> str:
        return sql.day(value, self.pg)

    def ago(self, days: int) -> str:
        return self.m(self.now - timedelta(days=days))

    def days_ago(self, days: int) -> str:
        return self.d(self.today - timedelta(days=days))

    def years_ago(self, years: int) -> str:
        return self.d(sql.years_before(self.today, years))

    def months_ago(self, months: int) -> str:
        return self.d(sql.months_before(self.today, months))

    def selects(self, lo: int, hi: int) -> list[str]:
        c = f"c.id >= {int(lo)} AND c.id < {int(hi)} AND c.merged_into_id IS NULL"
        y, months = self.years_ago, self.months_ago
        budget_mid = "(COALESCE(c.budget_min, c.budget_max) + COALESCE(c.budget_max, c.budget_min)) / 2"
        channel_case = "CASE {col} " + " ".join(f"WHEN '{k}' THEN '渠道:{v}'" for k, v in CHANNEL_NAMES.items()) + " END"
        if self.pg:
            models_from = ("customer c CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN "
                           "jsonb_typeof(c.interested_models::jsonb) = 'array' THEN c.interested_models::jsonb "
                           "ELSE '[]'::jsonb END) AS j(value)")
            model_ok = "TRUE"
        else:
            models_from = "customer c, json_each(CASE WHEN json_valid(c.interested_models) THEN c.interested_models ELSE '[]' END) j"
            model_ok = "j.type = 'text'"
        service_24 = (f"(SELECT SUM(s.amount) FROM service_record s WHERE s.customer_id = c.id "
                      f"AND s.service_date >= {months(24)})")
        return [
            # BASIC
            f"""SELECT c.id AS customer_id, CASE
                  WHEN c.birthday <= {y(55)} THEN '{AGE}55+' WHEN c.birthday <= {y(45)} THEN '{AGE}45-54'
                  WHEN c.birthday <= {y(35)} THEN '{AGE}35-44' WHEN c.birthday <= {y(25)} THEN '{AGE}25-34'
                  WHEN c.birthday <= {y(18)} THEN '{AGE}18-24' END AS name
                FROM customer c WHERE {c} AND c.birthday IS NOT NULL""",
            f"""SELECT c.id AS customer_id, CASE c.gender WHEN 'MALE' THEN '性别:男' WHEN 'FEMALE' THEN '性别:女' END AS name
                FROM customer c WHERE {c}""",
            f"""SELECT c.id AS customer_id, '{REGION}' || CASE WHEN c.city <> '' THEN c.city ELSE c.province END AS name
                FROM customer c WHERE {c} AND (c.city <> '' OR c.province <> '')""",
            f"""SELECT c.id AS customer_id, '职业:' || substr(c.occupation, 1, {VALUE_CHARS}) AS name
                FROM customer c WHERE {c} AND c.occupation <> ''""",
            f"""SELECT c.id AS customer_id, '企业规模:' || c.company_size AS name
                FROM customer c WHERE {c} AND c.company_size <> ''""",
            # BEHAVIOR
            f"""SELECT c.id AS customer_id, '多次到店' AS name FROM customer c WHERE {c} AND
                (SELECT COUNT(*) FROM interaction i WHERE i.customer_id = c.id AND i.kind = 'VISIT'
                 AND i.occurred_at >= {self.ago(90)}) >= 2""",
            f"""SELECT c.id AS customer_id, '已试驾' AS name FROM customer c WHERE {c} AND (
                EXISTS (SELECT 1 FROM test_drive t WHERE t.customer_id = c.id AND t.status = 'DONE')
                OR EXISTS (SELECT 1 FROM interaction i WHERE i.customer_id = c.id AND i.kind = 'TEST_DRIVE'))""",
            f"""SELECT c.id AS customer_id, '近30天有联系' AS name FROM customer c
                WHERE {c} AND c.last_contact_at >= {self.ago(30)}""",
            f"""SELECT c.id AS customer_id, '超过90天未联系' AS name FROM customer c
                WHERE {c} AND COALESCE(c.last_contact_at, c.created_at) < {self.ago(90)}""",
            f"""SELECT c.id AS customer_id, '高互动' AS name FROM customer c WHERE {c} AND
                (SELECT COUNT(*) FROM interaction i WHERE i.customer_id = c.id
                 AND i.occurred_at >= {self.ago(30)}) >= 5""",
            f"""SELECT c.id AS customer_id, {channel_case.format(col='c.channel')} AS name FROM customer c WHERE {c}""",
            f"""SELECT c.id AS customer_id, {channel_case.format(col='i.channel')} AS name
                FROM customer c JOIN interaction i ON i.customer_id = c.id WHERE {c} AND i.channel IS NOT NULL""",
            # CONSUMPTION
            f"""SELECT c.id AS customer_id, '车主:' || vm.brand AS name FROM customer c
                JOIN vehicle v ON v.customer_id = c.id JOIN vehicle_model vm ON vm.id = v.vehicle_model_id
                WHERE {c} AND vm.brand <> ''""",
            f"""SELECT c.id AS customer_id, CASE WHEN {service_24} >= 10000 THEN '售后消费:高'
                  WHEN {service_24} >= 3000 THEN '售后消费:中' WHEN {service_24} > 0 THEN '售后消费:低' END AS name
                FROM customer c WHERE {c}""",
            f"""SELECT c.id AS customer_id, CASE WHEN {budget_mid} < 100000 THEN '{BUDGET}10万以下'
                  WHEN {budget_mid} < 200000 THEN '{BUDGET}10-20万' WHEN {budget_mid} < 300000 THEN '{BUDGET}20-30万'
                  WHEN {budget_mid} < 500000 THEN '{BUDGET}30-50万' ELSE '{BUDGET}50万以上' END AS name
                FROM customer c WHERE {c} AND (c.budget_min IS NOT NULL OR c.budget_max IS NOT NULL)""",
            f"""SELECT c.id AS customer_id, '{MODEL}' || substr(trim(j.value), 1, {VALUE_CHARS}) AS name
                FROM {models_from} WHERE {c} AND {model_ok} AND trim(j.value) <> ''""",
            # PREDICTION
            f"""SELECT c.id AS customer_id, '流失风险' AS name FROM customer c WHERE {c}
                AND EXISTS (SELECT 1 FROM vehicle v WHERE v.customer_id = c.id)
                AND NOT EXISTS (SELECT 1 FROM service_record s WHERE s.customer_id = c.id
                                AND s.service_date >= {self.days_ago(365)})
                AND COALESCE(c.last_contact_at, c.created_at) < {self.ago(180)}""",
            f"""SELECT c.id AS customer_id, '延保潜力' AS name FROM customer c WHERE {c}
                AND EXISTS (SELECT 1 FROM vehicle v WHERE v.customer_id = c.id
                            AND v.purchase_date <= {months(30)} AND v.purchase_date > {months(36)})
                AND NOT EXISTS (SELECT 1 FROM customer_tag ct JOIN tag t ON t.id = ct.tag_id
                                WHERE ct.customer_id = c.id AND t.name = '{EXTENDED_WARRANTY_BOUGHT}')""",
        ]

    def wanted(self, lo: int, hi: int) -> str:
        """Every (customer_id, name) pair the families yield over the range, once each."""
        union = "\nUNION ALL\n".join(f"SELECT customer_id, name FROM ({s}) AS f{n}"
                                     for n, s in enumerate(self.selects(lo, hi)))
        return f"SELECT DISTINCT w.customer_id, w.name FROM ({union}) AS w WHERE w.name IS NOT NULL"


async def refresh_tags(at: datetime | None = None) -> RefreshResult:
    """Bring every customer's generated tags in line with their facts now; see the module doc."""
    at = at or utc_now()
    postgres = sql.dialect() == "postgres"
    families = _Families(at, postgres)
    generated = TagSource.GENERATED.value
    added = removed = 0
    top = await sql.id_ceiling()
    for lo in range(0, top + 1, CHUNK):
        hi = lo + CHUNK
        wanted = families.wanted(lo, hi)
        async with in_transaction() as conn:
            names = [r["name"] for r in await conn.execute_query_dict(
                f"SELECT DISTINCT w.name FROM ({wanted}) AS w WHERE NOT EXISTS "
                f"(SELECT 1 FROM tag t WHERE t.name = w.name)")]
            if names:
                await Tag.bulk_create(
                    [Tag(name=n, category=category_of(n), description=FIXED.get(n, (None, ""))[1]) for n in names],
                    ignore_conflicts=True, using_db=conn)
            # A pair whose customer already carries the tag from any source is left alone.
            inserted = await conn.execute_query_dict(
                f"INSERT INTO customer_tag (customer_id, tag_id, source, created_at) "
                f"SELECT w.customer_id, t.id, '{generated}', {sql.moment(at, postgres)} "
                f"FROM ({wanted}) AS w JOIN tag t ON t.name = w.name "
                f"WHERE NOT EXISTS (SELECT 1 FROM customer_tag x WHERE x.customer_id = w.customer_id AND x.tag_id = t.id) "
                f"ON CONFLICT (customer_id, tag_id) DO NOTHING RETURNING customer_id")
            added += len(inserted)
            # RETURNING, because the drivers disagree on what a statement's row count is.
            deleted = await conn.execute_query_dict(
                f"DELETE FROM customer_tag WHERE source = '{generated}' "
                f"AND customer_id >= {lo} AND customer_id < {hi} AND NOT EXISTS ("
                f"SELECT 1 FROM ({wanted}) AS w JOIN tag t ON t.name = w.name "
                f"WHERE w.customer_id = customer_tag.customer_id AND t.id = customer_tag.tag_id) RETURNING customer_id")
            removed += len(deleted)
    return RefreshResult(added=added, removed=removed)
