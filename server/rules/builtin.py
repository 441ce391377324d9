"""Rules every dealership starts with. Seeded by builtin_key: seeding again never duplicates them
and never re-enables or overwrites one a manager disabled or edited."""

from tortoise.exceptions import IntegrityError

from server.rules.engine import check_rule
from server.rules.models import Rule

REPLACEMENT_TAG = "潜在换车客户"

BUILTIN_RULES = [
    {
        "builtin_key": "dormant_90_days",
        "name": "90天未联系转为沉睡客户",
        "description": "90 days without contact: mark the customer dormant and ask the owner to wake them up.",
        "schedule": "hourly",
        "condition": {"all": [
            {"field": "lifecycle", "op": "in", "value": ["LEAD", "PROSPECT", "CUSTOMER"]},
            {"any": [
                {"days_since": "last_contact_at", "op": ">=", "value": 90},
                {"all": [{"field": "last_contact_at", "op": "is_null", "value": True},
                         {"days_since": "created_at", "op": ">=", "value": 90}]},
            ]},
        ]},
        "actions": [
            {"type": "set_field", "field": "lifecycle", "value": "DORMANT"},
            {"type": "create_task", "kind": "DORMANT_WAKE_UP", "title": "唤醒沉睡客户{name}", "due_in_days": 1},
        ],
    },
    {
        "builtin_key": "birthday_within_7_days",
        "name": "客户生日提醒",
        "description": "A birthday within 7 days: remind the owner to send a greeting, once a year.",
        "schedule": "hourly",
        "condition": {"once_per": "year", "days_until": "birthday", "op": "<=", "value": 7},
        "actions": [
            {"type": "create_task", "kind": "BIRTHDAY", "title": "{name}生日将至，送上祝福", "due_in_days": 0,
             "body": "祝您生日快乐，阖家幸福！"},
        ],
    },
    {
        "builtin_key": "likely_replacement",
        "name": "潜在换车客户",
        "description": "A vehicle at least 5 years old and 3 or more repairs in 12 months: likely to replace it.",
        "schedule": "hourly",
        "condition": {"once_per": "year", "all": [
            {"vehicle_age_years": ">=", "value": 5},
            {"count": "service_records", "kind": "REPAIR", "within_days": 365, "op": ">=", "value": 3},
        ]},
        "actions": [{"type": "add_tag", "tag": REPLACEMENT_TAG, "category": "PREDICTION"}],
    },
]


async def seed_builtin_rules() -> int:
    """Create the built-in rules that are missing; return how many were created."""
    existing = set(await Rule.filter(builtin_key__isnull=False).values_list("builtin_key", flat=True))
    created = 0
    for spec in BUILTIN_RULES:
        if spec["builtin_key"] in existing:
            continue
        check_rule(spec["condition"], spec["actions"])
        try:
            await Rule.create(**spec)
            created += 1
        except IntegrityError:  # another worker seeded it first
            pass
    return created
