"""The baseline: the built-in rules' effects written as hand-made set-based SQL, one statement
per effect and rule, with the same rows the engine writes (firings with their effects, the
lifecycle change, tasks, tags and audit rows), so that the two can be compared row for row.

It knows the three rules whose keys are in RULES; the benchmark runs only those.
"""

import json
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from server.rules.builtin import BUILTIN_RULES, REPLACEMENT_TAG
from server.rules.engine import period_key
from server.rules.models import Rule

RULES = ("dormant_90_days", "birthday_within_7_days", "likely_replacement")


def _spec(key: str) -> dict:
    return next(r for r in BUILTIN_RULES if r["builtin_key"] == key)


class _Sql:
    def __init__(self, dialect: str):
        self.pg = dialect == "postgres"

    def marks(self, sql: str) -> str:
        """Write `?` placeholders; PostgreSQL gets $1, $2, …"""
        if not self.pg:
            return sql
        out, n = [], 0
        for part in sql.split("?"):
            out.append(part)
            n += 1
            out.append(f"${n}")
        return "".join(out[:-1])

    def moment(self, at: datetime):
        return at if self.pg else str(at.astimezone(UTC))

    def day(self, d):
        return d if self.pg else d.isoformat()

    def concat(self, *parts: str) -> str:
        return " || ".join(parts)

    def json_object(self, *pairs: str) -> str:
        return f"json_build_object({', '.join(pairs)})::jsonb" if self.pg else f"json_object({', '.join(pairs)})"

    def json_array(self, *items: str) -> str:
        return f"json_build_array({', '.join(items)})" if self.pg else f"json_array({', '.join(items)})"

    def month_day(self, column: str) -> str:
        return f"to_char({column}, 'MM-DD')" if self.pg else f"strftime('%m-%d', {column})"

    def text(self, expr: str) -> str:
        return f"CAST({expr} AS TEXT)"

    def ts(self, mark: str) -> str:
        return f"CAST({mark} AS timestamptz)" if self.pg else mark

    def txt(self, mark: str) -> str:
        return f"CAST({mark} AS TEXT)" if self.pg else mark

    def jsonb(self, mark: str) -> str:
        return f"CAST({mark} AS jsonb)" if self.pg else mark


async def run(at: datetime) -> dict[str, int]:
    # One transaction, so one connection: the matched sets are session-local temporary tables.
    async with in_transaction() as conn:
        return await _run(conn, at)


async def _run(conn, at: datetime) -> dict[str, int]:
    q = _Sql(conn.capabilities.dialect)
    rules = {r.builtin_key: r for r in await Rule.filter(builtin_key__in=RULES)}
    done = {}

    async def execute(sql: str, *values) -> None:
        await conn.execute_query(q.marks(sql), list(values))

    async def fire(rule: Rule, matched: str, effects_sql: str, params: list) -> None:
        """Firing rows for the matched customers (a temporary table of id, name, owner_id, lifecycle)."""
        key = f"rule:{rule.id}:"
        suffix = ":" + period_key("day" if "once_per" not in rule.condition else rule.condition["once_per"], at)
        await execute(
            f"INSERT INTO rule_firing (rule_id, customer_id, dedup_key, effects, fired_at) "
            f"SELECT {int(rule.id)}, id, {q.concat(q.txt('?'), q.text('id'), q.txt('?'))}, {effects_sql}, "
            f"{q.ts('?')} FROM {matched} WHERE 1 = 1 ON CONFLICT (dedup_key) DO NOTHING", key, suffix, *params, q.moment(at))

    async def audit(rule: Rule, matched: str, action: str, changes_sql: str, where: str = "1 = 1",
                    params: tuple = ()) -> None:
        await execute(
            f"INSERT INTO audit_log (actor, action, object_type, object_id, changes, ip, user_agent, created_at) "
            f"SELECT {q.txt('?')}, {q.txt('?')}, 'Customer', {q.text('id')}, {changes_sql}, '', '', {q.ts('?')} "
            f"FROM {matched} WHERE {where}",
            f"rule:{rule.name}", action, *params, q.moment(at))

    async def task(rule: Rule, matched: str, spec: dict, index: int) -> None:
        key = f"rule:{rule.id}:"
        suffix = ":" + period_key(rule.condition.get("once_per", "day"), at) + f":{index}"
        # The built-in titles name only the customer ("{{ name }}", or the older "{name}").
        title = spec["title"].replace("{{ name }}", "{name}").split("{name}")
        await execute(
            f"INSERT INTO task (customer_id, owner_id, kind, title, body, due_at, status, dedup_key, rule_id, "
            f"created_at) SELECT id, owner_id, {q.txt('?')}, substr({q.concat(q.txt('?'), 'name', q.txt('?'))}, 1, 200), "
            f"{q.txt('?')}, {q.ts('?')}, 'OPEN', {q.concat(q.txt('?'), q.text('id'), q.txt('?'))}, {int(rule.id)}, "
            f"{q.ts('?')} FROM {matched} WHERE owner_id IS NOT NULL ON CONFLICT (dedup_key) DO NOTHING",
            spec["kind"], title[0], title[1] if len(title) > 1 else "", spec.get("body", ""),
            q.moment(at + timedelta(days=spec.get("due_in_days", 0))), key, suffix, q.moment(at))

    async def matched_table(name: str, where: str, *params) -> int:
        await conn.execute_script(f"DROP TABLE IF EXISTS {name}")
        await conn.execute_script(f"CREATE TEMPORARY TABLE {name} (id INT PRIMARY KEY, name VARCHAR(100), "
                                  "owner_id INT, lifecycle VARCHAR(16))")
        await execute(f"INSERT INTO {name} SELECT id, name, owner_id, lifecycle FROM customer "
                      f"WHERE merged_into_id IS NULL AND {where}", *params)
        return (await conn.execute_query_dict(f"SELECT count(*) AS n FROM {name}"))[0]["n"]

    # 1. Dormant: 90 days without contact → lifecycle DORMANT and a wake-up task for the owner.
    rule, spec = rules["dormant_90_days"], _spec("dormant_90_days")
    cutoff = q.moment(at - timedelta(days=90))
    done["dormant"] = await matched_table(
        "bench_dormant", "lifecycle IN ('LEAD', 'PROSPECT', 'CUSTOMER') AND ((last_contact_at IS NOT NULL AND "
        "last_contact_at <= ?) OR (last_contact_at IS NULL AND created_at IS NOT NULL AND created_at <= ?))",
        cutoff, cutoff)
    both = json.dumps(["set_field:lifecycle=DORMANT", "create_task:DORMANT_WAKE_UP"])
    await fire(rule, "bench_dormant", f"CASE WHEN owner_id IS NULL THEN {q.jsonb('?')} ELSE {q.jsonb('?')} END",
               [json.dumps(["set_field:lifecycle=DORMANT"]), both])
    await audit(rule, "bench_dormant", "set_field", q.json_object(
        "'rule_id'", str(int(rule.id)), "'lifecycle'", q.json_array("lifecycle", "'DORMANT'")))
    await audit(rule, "bench_dormant", "create_task",
                q.json_object("'rule_id'", str(int(rule.id)), "'effect'", "'DORMANT_WAKE_UP'"), "owner_id IS NOT NULL")
    await execute(f"UPDATE customer SET lifecycle = 'DORMANT', version = version + 1, updated_at = {q.ts('?')} "
                  "WHERE id IN (SELECT id FROM bench_dormant)", q.moment(at))
    await task(rule, "bench_dormant", spec["actions"][1], 1)

    # 2. Birthday within 7 days (next local month-day), once a year → a greeting task.
    rule, spec = rules["birthday_within_7_days"], _spec("birthday_within_7_days")
    from zoneinfo import ZoneInfo

    from server import config
    today = at.astimezone(ZoneInfo(config.settings.timezone)).date()
    days = sorted({(today + timedelta(days=k)).strftime("%m-%d") for k in range(8)})
    if "02-28" in days:
        days.append("02-29")
    done["birthday"] = await matched_table(
        "bench_birthday", f"birthday IS NOT NULL AND {q.month_day('birthday')} IN ({', '.join('?' * len(days))})",
        *days)
    await fire(rule, "bench_birthday", f"CASE WHEN owner_id IS NULL THEN {q.jsonb('?')} ELSE {q.jsonb('?')} END",
               ["[]", json.dumps(["create_task:BIRTHDAY"])])
    await audit(rule, "bench_birthday", "create_task",
                q.json_object("'rule_id'", str(int(rule.id)), "'effect'", "'BIRTHDAY'"), "owner_id IS NOT NULL")
    await task(rule, "bench_birthday", spec["actions"][0], 0)

    # 3. Likely replacement: a vehicle ≥ 5 years old and ≥ 3 repairs in 365 days → a tag.
    rule = rules["likely_replacement"]
    try:
        bought = today.replace(year=today.year - 5)
    except ValueError:
        bought = today.replace(year=today.year - 5, day=28)
    done["replacement"] = await matched_table(
        "bench_replacement", "id IN (SELECT customer_id FROM vehicle WHERE purchase_date IS NOT NULL AND "
        "purchase_date <= ?) AND id IN (SELECT customer_id FROM service_record WHERE service_date >= ? AND "
        "kind IN ('REPAIR') GROUP BY customer_id HAVING count(id) >= 3)",
        q.day(bought), q.day(today - timedelta(days=365)))
    await execute(f"INSERT INTO tag (name, category, description, created_at) VALUES (?, 'PREDICTION', '', {q.ts('?')}) "
                  "ON CONFLICT (name) DO NOTHING", REPLACEMENT_TAG, q.moment(at))
    tag_id = (await conn.execute_query_dict(q.marks("SELECT id FROM tag WHERE name = ?"), [REPLACEMENT_TAG]))[0]["id"]
    await fire(rule, "bench_replacement", q.jsonb("?"), [json.dumps([f"add_tag:{REPLACEMENT_TAG}"], ensure_ascii=False)])
    await audit(rule, "bench_replacement", "add_tag",
                q.json_object("'rule_id'", str(int(rule.id)), "'effect'", q.txt("?")), params=(REPLACEMENT_TAG,))
    await execute("INSERT INTO customer_tag (customer_id, tag_id, source, rule_id, created_at) "
                  f"SELECT id, {int(tag_id)}, 'RULE', {int(rule.id)}, {q.ts('?')} FROM bench_replacement "
                  "WHERE 1 = 1 ON CONFLICT (customer_id, tag_id) DO NOTHING", q.moment(at))
    return done


# SQLite reads "INSERT … SELECT … FROM t ON CONFLICT" as a join unless a WHERE comes first: hence "WHERE 1 = 1".
