"""Event triggers: a rule whose `events` lists a topic is evaluated for the event's customer
when the outbox delivers that topic.

The same compiled condition runs, restricted to that customer, and the same firing key
(rule, customer, period) decides whether an effect happens, so an event delivered twice, or an
event and a scheduled pass in the same period, never doubles anything.
"""

import logging
from datetime import datetime

from tortoise.timezone import now

from server.events.services import on
from server.rules.conditions import ConditionError
from server.rules.engine import run_pass
from server.rules.models import Rule

log = logging.getLogger(__name__)

# Topics the code emits whose payload names a customer ("customer_id" or "customer_ids").
TOPICS = (
    "customer.created",
    "customer.updated",
    "customer.merged",
    "customers.moved",
    "interaction.logged",
    "opportunity.created",
    "opportunity.stage_moved",
    "opportunity.loss_requested",
    "opportunity.closed",
    "opportunity.reopened",
    "test_drive.booked",
    "test_drive.recorded",
    "showroom_visit.recorded",
)


def customer_ids(payload: dict) -> list[int]:
    ids = list(payload.get("customer_ids") or [])
    if payload.get("customer_id") is not None:
        ids.append(payload["customer_id"])
    return sorted({int(i) for i in ids})


async def rules_for(topic: str) -> list[Rule]:
    """Enabled rules listening to `topic` (few rows: the JSON list is filtered here, not in SQL)."""
    return [r for r in await Rule.filter(enabled=True).order_by("id") if topic in (r.events or [])]


async def run_for_event(topic: str, payload: dict, at: datetime | None = None) -> dict[int, int]:
    """Evaluate every rule listening to `topic` for the payload's customers; return fired per rule.

    A rule whose condition is invalid is logged and skipped (retrying cannot fix it); any other
    error propagates, so the outbox keeps the event and retries it.
    """
    ids = customer_ids(payload)
    if not ids:
        return {}
    at = at or now()
    fired: dict[int, int] = {}
    for rule in await rules_for(topic):
        try:
            fired[rule.id] = (await run_pass(rule, at, customer_ids=ids)).fired
        except ConditionError:
            log.exception("rule %s (%s) is invalid; skipped for %s", rule.id, rule.name, topic)
    return fired


def _handler(topic: str):
    async def handle(payload: dict) -> None:
        await run_for_event(topic, payload)

    handle.__name__ = f"rules_on_{topic.replace('.', '_')}"
    return handle


for _topic in TOPICS:
    on(_topic)(_handler(_topic))
