"""Comparing the two customers of a possible duplicate pair, and reading the reviewer's choices.

Each compared row is one thing a person recognizes (the region is province, city and district
together; the budget is its two bounds), so a choice keeps a value whole. A row names the
FieldChoice fields (camelCase, as the schema has them) it sends; rows without any are shown for
context only. Every value comes from the API, so personal fields are compared as masked.
"""

from dataclasses import dataclass

from web.labels import LABELS, N_, label


@dataclass(frozen=True)
class Row:
    key: str
    title: str
    # What the merge mutation takes, for this row's choice; empty: not choosable.
    fields: tuple[str, ...] = ()
    # Unique identifiers, compared masked: two that are both filled in differ even when the
    # masks look alike (a second customer with the same number would have been merged on arrival).
    identifier: bool = False


ROWS = [
    Row("name", N_("Name"), ("name",)),
    Row("phone", N_("Mobile number"), ("phone",), identifier=True),
    Row("idNumber", N_("ID-card number"), ("idNumberHash",), identifier=True),
    Row("email", N_("E-mail"), ("email",)),
    Row("gender", N_("Gender"), ("gender",)),
    Row("birthday", N_("Birthday"), ("birthday",)),
    Row("region", N_("Province / city / district"), ("province", "city", "district")),
    Row("address", N_("Address"), ("address",)),
    Row("companyName", N_("Company"), ("companyName",)),
    Row("intent", N_("Purchase intent"), ("intent",)),
    Row("grade", N_("Grade"), ("grade",)),
    Row("budget", N_("Budget"), ("budgetMin", "budgetMax")),
    Row("channel", N_("First channel")),
    Row("owner", N_("Owner")),
    Row("createdAt", N_("Created")),
]
BY_KEY = {row.key: row for row in ROWS}
EMPTY = N_("(empty)")
BOTH_IDENTIFIERS = N_("One record's identifiers point at both customers")
FORM_PREFIX = "keep-"


def _raw(row: Row, customer: dict) -> tuple:
    """The row's values as the API gave them, for comparing."""
    if row.key == "region":
        return tuple(customer.get(k) or "" for k in ("province", "city", "district"))
    if row.key == "budget":
        return customer.get("budgetMin"), customer.get("budgetMax")
    if row.key == "owner":
        return ((customer.get("owner") or {}).get("displayName"),)
    if row.key == "createdAt":
        return (customer["createdAt"][:10],)
    value = customer.get(row.key)
    # An unknown gender is no value: the other customer's known one should win by default.
    return (None if row.key == "gender" and value == "UNKNOWN" else value,)


def _empty(values: tuple) -> bool:
    return all(v in (None, "") for v in values)


def _shown(row: Row, customer: dict, fmt, gettext) -> str:
    values = _raw(row, customer)
    if row.key == "owner":
        return values[0] or gettext("Public pool")
    if row.key == "gender":
        return label(gettext, "gender", customer.get("gender"))
    if _empty(values):
        return gettext(EMPTY)
    if row.key == "region":
        return " ".join(v for v in values if v)
    if row.key == "budget":
        low, high = (fmt.money(v) if v is not None else "" for v in values)
        return f"{low} – {high}" if low and high and low != high else low or high
    if row.key in ("birthday", "createdAt"):
        return fmt.date(values[0])
    if row.key in ("gender", "intent", "grade", "channel"):
        return label(gettext, row.key, values[0])
    return str(values[0])


def older(pair: dict) -> str:
    """The id of the customer on file longer: by default it stays, the newer one merges into it."""
    a, b = pair["customerA"], pair["customerB"]
    return b["id"] if b["createdAt"] < a["createdAt"] else a["id"]


def compare(pair: dict, survivor_id: str, fmt, gettext) -> list[dict]:
    """One entry per row that either customer has a value for: both values as shown, whether they
    differ, and whose value to keep by default (the survivor's, unless it has none and the other has)."""
    a, b = pair["customerA"], pair["customerB"]
    rows = []
    for row in ROWS:
        raw_a, raw_b = _raw(row, a), _raw(row, b)
        if _empty(raw_a) and _empty(raw_b):
            continue  # nothing to compare, and a phone screen is short
        shown = (_shown(row, a, fmt, gettext), _shown(row, b, fmt, gettext))
        if row.identifier:
            differs = raw_a != raw_b or not _empty(raw_a)
        else:
            differs = raw_a != raw_b
        survivor_raw, other_raw = (raw_a, raw_b) if survivor_id == a["id"] else (raw_b, raw_a)
        other_id = b["id"] if survivor_id == a["id"] else a["id"]
        keep = other_id if _empty(survivor_raw) and not _empty(other_raw) else survivor_id
        rows.append({
            "key": row.key,
            "title": gettext(row.title),
            "shown": shown,
            "differs": differs,
            "choosable": differs and bool(row.fields),
            "keep": keep,
            # Masked alike but different: the reviewer should know the difference is hidden.
            "hidden_difference": differs and shown[0] == shown[1],
        })
    return rows


def read_choices(form, pair: dict) -> list[dict]:
    """FieldChoice inputs from the form's radios: every field of every row a radio was sent for."""
    ids = {pair["customerA"]["id"], pair["customerB"]["id"]}
    choices = []
    for row in ROWS:
        picked = form.get(FORM_PREFIX + row.key)
        if row.fields and picked in ids:
            choices += [{"field": field, "customerId": picked} for field in row.fields]
    return choices


def reason_text(gettext, reason: str) -> str:
    if reason in LABELS["candidateReason"]:
        return label(gettext, "candidateReason", reason)
    if reason.startswith("identifiers point at two customers"):
        return gettext(BOTH_IDENTIFIERS)
    return reason
