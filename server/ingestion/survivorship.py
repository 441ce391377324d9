"""Which value a merged customer keeps for each field.

Channel trust order first, then the most recent non-empty value. A value that
staff typed in (no recorded source) outranks every channel. Identifiers only
fill a gap: a second phone number never replaces the first.
"""

from datetime import date

TRUST = {
    "MANUAL": 100, "SHOWROOM": 90, "PHONE": 80, "REFERRAL": 75, "WECHAT": 70, "AUTO_SHOW": 65, "EMAIL": 60,
    "WEBSITE": 50, "IMPORT": 45, "DOUYIN": 40, "WEIBO": 40, "THIRD_PARTY": 30, "OTHER": 20,
}
IDENTITY_FIELDS = ("phone", "phone_tail", "id_number_encrypted", "id_number_hash", "wechat_openid", "wechat_unionid", "email")
MERGEABLE = (
    "name", "name_pinyin", "name_initials", "gender", "birthday", "province", "city", "district", "address",
    "occupation", "company_name", "intent", "budget_min", "budget_max", "purchase_timeframe",
)
# Fields that travel together: the pinyin keys follow the name, the tail follows the phone.
_COMPANIONS = {"name": ("name_pinyin", "name_initials"), "phone": ("phone_tail",), "id_number_hash": ("id_number_encrypted",)}


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (value == "UNKNOWN")


def merge_values(current: dict, sources: dict, incoming: dict, channel: str, source_ref: dict) -> dict:
    """The changes to apply to `current` (a dict of column values) for one incoming record.

    `sources` maps field → {"channel": …} for values that came from a channel; it is
    updated in place for every field taken.
    """
    changes: dict = {}
    incoming_trust = TRUST.get(channel, 0)
    for field in IDENTITY_FIELDS:
        if field in ("phone_tail", "id_number_encrypted"):
            continue
        value = incoming.get(field)
        if not _empty(value) and _empty(current.get(field)):
            changes[field] = value
            for companion in _COMPANIONS.get(field, ()):
                changes[companion] = incoming.get(companion)
            sources[field] = source_ref
    for field in MERGEABLE:
        if field in ("name_pinyin", "name_initials"):
            continue
        value = incoming.get(field)
        if _empty(value) or value == current.get(field):
            continue
        held = current.get(field)
        held_trust = TRUST.get(sources.get(field, {}).get("channel", "MANUAL"), 0) if not _empty(held) else -1
        if incoming_trust >= held_trust:
            changes[field] = value
            for companion in _COMPANIONS.get(field, ()):
                changes[companion] = incoming.get(companion)
            sources[field] = source_ref
    models = incoming.get("interested_models") or []
    held_models = list(current.get("interested_models") or [])
    added = [m for m in models if m not in held_models]
    if added:
        changes["interested_models"] = held_models + added
    return changes


def jsonable_sources(sources: dict) -> dict:
    return {k: {kk: (vv.isoformat() if isinstance(vv, date) else vv) for kk, vv in v.items()} for k, v in sources.items()}
