"""Value tiers (价值分层): RFM scores place every customer in 高价值 HIGH / 中等价值 MEDIUM / 潜在 POTENTIAL.

- Recency: days since the latest interaction, won deal, vehicle purchase or service visit.
- Frequency: interactions + won deals + service visits in the last 12 months.
- Monetary: won deal amounts + service spend in the last 24 months, in CNY.

Each scores 1 to 3 against the thresholds in server/portrait/policy.py; the sum picks the tier.
The pass is set-based: per range of customer ids one SELECT computes the three measures, then one
UPDATE per tier writes the rows whose tier changed, and only those.

value_tier is a computed field: the pass does not bump `version` (an open edit form would get a
CONFLICT for a change its user never made), nor `updated_at` (lists sorted by it would reshuffle
every night), and writes no audit entry (the audit log records what people change).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise import Tortoise
from tortoise.timezone import now as utc_now
from tortoise.transactions import in_transaction

from server import config
from server.enums import ValueTier
from server.portrait import policy, sql

CHUNK = 2000


@dataclass(frozen=True)
class Measures:
    recency_score: int
    frequency: int
    monetary: float


@dataclass
class TierResult:
    changed: int = 0
    by_tier: dict[str, int] = field(default_factory=dict)


def score(m: Measures, rules: policy.TierPolicy | None = None) -> int:
    rules = rules or policy.POLICY
    f_hi, f_mid = rules.frequency
    m_hi, m_mid = rules.monetary
    frequency = 3 if m.frequency >= f_hi else 2 if m.frequency >= f_mid else 1
    monetary = 3 if m.monetary >= m_hi else 2 if m.monetary >= m_mid else 1
    return m.recency_score + frequency + monetary


def tier_for(total: int, rules: policy.TierPolicy | None = None) -> ValueTier:
    thresholds = (rules or policy.POLICY).tier_thresholds
    if total >= thresholds["HIGH"]:
        return ValueTier.HIGH
    if total >= thresholds["MEDIUM"]:
        return ValueTier.MEDIUM
    return ValueTier.POTENTIAL


def _measures_sql(lo: int, hi: int, at: datetime, postgres: bool) -> str:
    rules = policy.POLICY
    today = at.astimezone(ZoneInfo(config.settings.timezone)).date()

    def since(days: int) -> str:
        return sql.moment(at - timedelta(days=days), postgres)

    def since_day(days: int) -> str:
        return sql.day(today - timedelta(days=days), postgres)

    def touched_within(days: int) -> str:
        return (f"(EXISTS (SELECT 1 FROM interaction i WHERE i.customer_id = c.id AND i.occurred_at >= {since(days)})"
                f" OR EXISTS (SELECT 1 FROM opportunity o WHERE o.customer_id = c.id AND o.status = 'WON'"
                f" AND o.closed_at >= {since(days)})"
                f" OR EXISTS (SELECT 1 FROM service_record s WHERE s.customer_id = c.id"
                f" AND s.service_date >= {since_day(days)})"
                f" OR EXISTS (SELECT 1 FROM vehicle v WHERE v.customer_id = c.id"
                f" AND v.purchase_date >= {since_day(days)}))")

    r_hi, r_mid = rules.recency_days
    return f"""
        SELECT c.id, c.value_tier,
          CASE WHEN {touched_within(r_hi)} THEN 3 WHEN {touched_within(r_mid)} THEN 2 ELSE 1 END AS recency_score,
          (SELECT COUNT(*) FROM interaction i WHERE i.customer_id = c.id AND i.occurred_at >= {since(365)})
          + (SELECT COUNT(*) FROM opportunity o WHERE o.customer_id = c.id AND o.status = 'WON'
             AND o.closed_at >= {since(365)})
          + (SELECT COUNT(*) FROM service_record s WHERE s.customer_id = c.id
             AND s.service_date >= {since_day(365)}) AS frequency,
          COALESCE((SELECT SUM(o.amount) FROM opportunity o WHERE o.customer_id = c.id AND o.status = 'WON'
                    AND o.closed_at >= {since(730)}), 0) AS won_amount,
          COALESCE((SELECT SUM(s.amount) FROM service_record s WHERE s.customer_id = c.id
                    AND s.service_date >= {since_day(730)}), 0) AS service_amount
        FROM customer c
        WHERE c.id >= {int(lo)} AND c.id < {int(hi)} AND c.merged_into_id IS NULL"""


async def refresh_tiers(at: datetime | None = None) -> TierResult:
    """Recompute every customer's value tier; write only the ones that changed."""
    at = at or utc_now()
    postgres = sql.dialect() == "postgres"
    result = TierResult()
    top = await sql.id_ceiling()
    conn = Tortoise.get_connection("default")
    for lo in range(0, top + 1, CHUNK):
        rows = await conn.execute_query_dict(_measures_sql(lo, lo + CHUNK, at, postgres))
        moves: dict[ValueTier, list[int]] = {}
        for row in rows:
            measures = Measures(int(row["recency_score"]), int(row["frequency"] or 0),
                                float(row["won_amount"] or 0) + float(row["service_amount"] or 0))
            tier = tier_for(score(measures))
            result.by_tier[tier.value] = result.by_tier.get(tier.value, 0) + 1
            if row["value_tier"] != tier.value:
                moves.setdefault(tier, []).append(int(row["id"]))
        if moves:
            async with in_transaction() as tx:
                for tier, ids in moves.items():
                    # Raw, so that neither version nor updated_at moves (see the module doc).
                    await tx.execute_query(
                        f"UPDATE customer SET value_tier = '{tier.value}' WHERE id IN ({', '.join(map(str, ids))})")
                    result.changed += len(ids)
    return result
