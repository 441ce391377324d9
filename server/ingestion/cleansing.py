"""Turning one raw record from any channel into standard customer values.

Every change made to a value is recorded as a correction, every value that
cannot be used as a problem naming the field and the reason. A record is
rejected only when nothing identifies the person.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from server.customers.budget import parse_budget
from server.customers.id_numbers import parse_id_number
from server.customers.normalize import InvalidValue, clean_name, clean_text, normalize_phone, phone_tail, pinyin_keys
from server.customers.regions import region_from_id, region_from_phone
from server.enums import Channel
from server.ingestion.fields import SECRET_FIELDS, canonical_key
from server.ingestion.synonyms import SynonymTable
from server.privacy.crypto import blind_index, encrypt

IDENTIFIERS = ("phone", "id_number_hash", "wechat_openid", "wechat_unionid", "email")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
MAX_TEXT = 2000


@dataclass
class CleanRecord:
    channel: Channel
    values: dict = field(default_factory=dict)
    corrections: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    external_id: str | None = None
    campaign_code: str | None = None
    payload: dict = field(default_factory=dict)  # as received, secrets encrypted

    @property
    def identifiers(self) -> dict[str, str]:
        return {key: self.values[key] for key in IDENTIFIERS if self.values.get(key)}

    @property
    def rejected(self) -> bool:
        return not self.identifiers

    def correct(self, name: str, before, after, reason: str) -> None:
        if str(before) != str(after):
            self.corrections.append({"field": name, "from": str(before), "to": str(after), "reason": reason})

    def problem(self, name: str, reason: str) -> None:
        self.problems.append({"field": name, "message": reason})


def _kept_payload(raw: dict) -> dict:
    """The record verbatim, except that ID numbers are stored encrypted."""
    kept = {}
    for key, value in raw.items():
        if canonical_key(key) in SECRET_FIELDS and value not in (None, ""):
            kept[str(key)] = {"$encrypted": encrypt(str(value))}
        else:
            kept[str(key)] = value if isinstance(value, (str, int, float, bool, type(None), list, dict)) else str(value)
    return kept


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(str(value))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidValue(f"not a date: {value!r} (use YYYY-MM-DD)")


def clean_record(raw: dict, channel: Channel, synonyms: SynonymTable) -> CleanRecord:
    record = CleanRecord(channel=channel, payload=_kept_payload(raw))
    fields: dict[str, object] = {}
    for key, value in raw.items():
        name = canonical_key(key)
        if name and value not in (None, "") and name not in fields:
            fields[name] = value
    v = record.values

    if "external_id" in fields:
        record.external_id = clean_text(str(fields["external_id"]))[:128] or None
    if "campaign_code" in fields:
        record.campaign_code = clean_text(str(fields["campaign_code"]))[:40] or None

    raw_name = fields.get("name")
    name = clean_name(str(raw_name)) if raw_name is not None else ""
    if raw_name is not None:
        record.correct("name", raw_name, name, "trimmed, full-width to half-width, spaces collapsed")
    if len(name) > 100:
        record.problem("name", "longer than 100 characters; cut")
        name = name[:100]
    v["name"] = name
    v["name_pinyin"], v["name_initials"] = pinyin_keys(name)

    if "phone" in fields:
        try:
            phone = normalize_phone(str(fields["phone"]))
            record.correct("phone", fields["phone"], phone, "normalized to E.164")
            v["phone"], v["phone_tail"] = phone, phone_tail(phone)
        except InvalidValue as exc:
            record.problem("phone", str(exc))

    if "id_number" in fields:
        try:
            parsed = parse_id_number(str(fields["id_number"]))
            if parsed:
                if parsed.number != str(fields["id_number"]).strip():
                    record.corrections.append({"field": "id_number", "from": "(as given)", "to": "(standard form)",
                                               "reason": "upper-case X, 15-digit form upgraded, spaces removed"})
                v["id_number_encrypted"] = encrypt(parsed.number)
                v["id_number_hash"] = blind_index(parsed.number)
                v["birthday"] = parsed.birthday
                v["gender"] = parsed.gender
                province, city, district = region_from_id(parsed.region_code, parsed.birthday.year)
                if province:
                    v.update(province=province, city=city, district=district)
        except InvalidValue as exc:
            record.problem("id_number", str(exc))

    if "email" in fields:
        email = clean_text(str(fields["email"])).lower()
        if _EMAIL.match(email):
            v["email"] = email
        else:
            record.problem("email", f"not an e-mail address: {fields['email']!r}")

    for key in ("wechat_openid", "wechat_unionid"):
        if key in fields:
            v[key] = clean_text(str(fields[key]))[:64]

    for key in ("province", "city", "district", "address", "occupation", "company_name", "purchase_timeframe"):
        if key in fields:
            limit = 255 if key == "address" else (150 if key == "company_name" else 30)
            v[key] = clean_text(str(fields[key]))[:limit]

    if "gender" in fields and "gender" not in v:
        gender = synonyms.lookup("gender", str(fields["gender"]))
        if gender:
            record.correct("gender", fields["gender"], gender, "mapped to the standard value")
            v["gender"] = gender
        else:
            record.problem("gender", f"unknown gender {fields['gender']!r}")

    if "birthday" in fields and "birthday" not in v:
        try:
            v["birthday"] = _parse_date(fields["birthday"])
        except InvalidValue as exc:
            record.problem("birthday", str(exc))

    if "intent" in fields:
        intent = synonyms.lookup("intent", str(fields["intent"]))
        if intent:
            record.correct("intent", fields["intent"], intent, "mapped to the standard value")
            v["intent"] = intent
        else:
            record.problem("intent", f"unknown intent {fields['intent']!r}")

    if "channel" in fields:
        mapped = synonyms.lookup("channel", str(fields["channel"]))
        if mapped:
            record.correct("channel", fields["channel"], mapped, "mapped to the standard value")
            record.channel = Channel(mapped)
        else:
            record.problem("channel", f"unknown channel {fields['channel']!r}; kept as {channel.value}")
    v["channel"] = record.channel.value

    if "budget" in fields:
        budget = parse_budget(fields["budget"])
        if budget:
            v["budget_min"], v["budget_max"] = budget
            record.correct("budget", fields["budget"], f"{budget[0]}-{budget[1]}", "read as CNY")
        else:
            record.problem("budget", f"cannot read a budget from {fields['budget']!r}")

    if "interested_model" in fields:
        models = [clean_text(m) for m in re.split(r"[,，、/;；]", str(fields["interested_model"])) if clean_text(m)]
        v["interested_models"] = models[:10]

    if "notes" in fields:
        v["notes"] = clean_text(str(fields["notes"]))[:MAX_TEXT]

    if v.get("phone") and not v.get("province"):
        province, city = region_from_phone(v["phone"])
        if province:
            v["province"], v["city"] = province, v.get("city") or city
            record.correct("province", "", province, "completed from the phone number's home area")

    if record.rejected:
        reasons = {p["field"]: p["message"] for p in record.problems}
        detail = "; ".join(f"{k}: {m}" for k, m in reasons.items() if k in ("phone", "id_number", "email"))
        record.problem("record", "nothing identifies the person: no valid phone, ID number, WeChat id or e-mail"
                       + (f" ({detail})" if detail else ""))
    return record
