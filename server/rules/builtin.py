"""Rules every dealership starts with. Seeded by builtin_key: seeding again never duplicates them
and never re-enables or overwrites one a manager disabled or edited."""

from tortoise.exceptions import IntegrityError

from server.rules.engine import check_rule
from server.rules.models import Rule
from server.sales import policy

REPLACEMENT_TAG = "潜在换车客户"
WORKING_LIFECYCLES = ["LEAD", "PROSPECT", "CUSTOMER"]


def _quiet_for_more_than(days: int) -> dict:
    """No contact for more than `days` days (never contacted: held that long since creation)."""
    return {"any": [
        {"days_since": "last_contact_at", "op": ">", "value": days},
        {"all": [{"field": "last_contact_at", "op": "is_null", "value": True},
                 {"days_since": "created_at", "op": ">", "value": days}]},
    ]}


def follow_up_overdue_condition() -> dict:
    """Owned, graded customers quiet for longer than their grade's cadence (server/sales/policy.py).

    Written out as data when the rule is seeded, so a manager can see and change each grade's days.
    """
    cadence = policy.POLICY.follow_up_cadence_days
    return {"once_per": "week", "all": [
        {"field": "owner_id", "op": "is_null", "value": False},
        {"field": "lifecycle", "op": "in", "value": ["LEAD", "PROSPECT"]},
        {"any": [{"all": [{"field": "grade", "op": "=", "value": grade}, _quiet_for_more_than(days)]}
                 for grade, days in sorted(cadence.items())]},
    ]}

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
            {"type": "create_task", "kind": "DORMANT_WAKE_UP", "title": "唤醒沉睡客户{{ name }}", "due_in_days": 1},
        ],
    },
    {
        "builtin_key": "birthday_within_7_days",
        "name": "客户生日提醒",
        "description": "A birthday within 7 days: remind the owner to send a greeting, once a year.",
        "schedule": "hourly",
        "condition": {"once_per": "year", "days_until": "birthday", "op": "<=", "value": 7},
        "actions": [
            {"type": "create_task", "kind": "BIRTHDAY", "title": "{{ name }}生日将至，送上祝福", "due_in_days": 0,
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
    {
        "builtin_key": "purchase_anniversary",
        "name": "购车周年提醒",
        "description": "A purchase anniversary within 7 days: remind the owner to send wishes, once a year.",
        "schedule": "hourly",
        "condition": {"once_per": "year", "days_until": "purchase_anniversary", "op": "<=", "value": 7},
        "actions": [
            {"type": "create_task", "kind": "PURCHASE_ANNIVERSARY", "title": "{{ name }}的购车周年纪念日将至",
             "due_in_days": 0, "body": "感谢您一路同行，祝用车愉快！"},
        ],
    },
    {
        "builtin_key": "maintenance_due",
        "name": "保养到期提醒",
        "description": "6 months or 5,000 km since the last maintenance: ask the customer to book a service, once a month.",
        "schedule": "hourly",
        "condition": {"once_per": "month", "any": [
            {"days_since_last": "service_records", "kind": "MAINTENANCE", "op": ">=", "value": 180},
            {"km_since_last_service": ">=", "value": 5000},
        ]},
        "actions": [
            {"type": "create_task", "kind": "MAINTENANCE_DUE", "title": "提醒{{ name }}预约保养", "due_in_days": 3},
        ],
    },
    {
        "builtin_key": "insurance_renewal",
        "name": "车险续保提醒",
        "description": "Car insurance expiring within 60 days: remind the owner to offer the renewal, once a year.",
        "schedule": "hourly",
        "condition": {"once_per": "year", "all": [
            {"days_until": "insurance_expiry", "op": "<=", "value": 60},
            {"days_until": "insurance_expiry", "op": ">=", "value": 0},
        ]},
        "actions": [
            {"type": "create_task", "kind": "INSURANCE_RENEWAL", "title": "{{ name }}的车险60天内到期，联系续保",
             "due_in_days": 7},
        ],
    },
    {
        "builtin_key": "follow_up_overdue",
        "name": "超期未跟进提醒",
        "description": "Quiet for longer than the grade's follow-up cadence: remind the owner, at most once a week.",
        "schedule": "hourly",
        "condition": follow_up_overdue_condition(),
        "actions": [
            {"type": "create_task", "kind": "FOLLOW_UP", "title": "{{ name }}（{{ grade }}级）已超过跟进周期，请尽快跟进",
             "due_in_days": 0},
        ],
    },
    {
        "builtin_key": "lead_not_followed_3_days",
        "name": "线索3天未跟进退回公海",
        "description": "A lead held 3 days whom its owner has not contacted since receiving it goes back to the "
                       "public pool; once contacted, the pool's grade-dependent return days apply.",
        "schedule": "hourly",
        "condition": {"all": [
            {"field": "lifecycle", "op": "=", "value": "LEAD"},
            {"field": "owner_id", "op": "is_null", "value": False},
            {"any": [
                {"days_since": "assigned_at", "op": ">=", "value": 3},
                {"all": [{"field": "assigned_at", "op": "is_null", "value": True},
                         {"days_since": "created_at", "op": ">=", "value": 3}]},
            ]},
            # Not followed up since it was received: never contacted, or only before (by a former owner).
            {"any": [
                {"field": "last_contact_at", "op": "is_null", "value": True},
                {"before": "last_contact_at", "than": "assigned_at"},
            ]},
        ]},
        "actions": [{"type": "return_to_pool", "reason": "线索3天未跟进"}],
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
