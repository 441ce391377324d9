"""The customer form (new and edit): reading it into CreateCustomer/UpdateCustomer input, and back.

Budgets are typed in 万元 (ten thousands of yuan), as consultants say them; the API takes yuan.
"""

import re
from decimal import Decimal, InvalidOperation

from web.labels import LABELS, N_

TEXT_FIELDS = ("name", "city", "purchaseTimeframe", "notes")
# Form field → label kind; "" in the form means not set.
CHOICE_FIELDS = {
    "gender": "gender",
    "lifecycle": "lifecycle",
    "intent": "intent",
    "grade": "grade",
    "valueTier": "valueTier",
    "channel": "channel",
}
# Choices the API will not take back as empty once set.
REQUIRED_CHOICES = {"gender", "lifecycle", "channel"}
BUDGET_FIELDS = ("budgetMin", "budgetMax")
MODEL_SEPARATORS = re.compile(r"[,，、;；\n]+")
YUAN_PER_WAN = 10_000
BAD_BUDGET = N_("Enter the budget in units of 10,000 yuan, e.g. 15 or 22.5.")


def _wan_to_yuan(text: str) -> int | None:
    if not text:
        return None
    try:
        wan = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValueError(text) from None
    if wan < 0 or wan > 100_000:
        raise ValueError(text)
    return int(wan * YUAN_PER_WAN)


def _yuan_to_wan(yuan: int | None) -> str:
    if yuan is None:
        return ""
    return format((Decimal(yuan) / YUAN_PER_WAN).normalize(), "f")


def read_form(form, gettext) -> tuple[dict[str, str], dict, dict[str, str]]:
    """(the values as typed, for showing the form again; the API input; local errors by field)."""
    typed = {key: str(form.get(key, "")).strip() for key in
             (*TEXT_FIELDS, *CHOICE_FIELDS, *BUDGET_FIELDS, "phone", "interestedModels")}
    data: dict = {key: typed[key] for key in TEXT_FIELDS}
    errors: dict[str, str] = {}
    for key, kind in CHOICE_FIELDS.items():
        value = typed[key]
        if value and value not in LABELS[kind]:
            value = ""
        if value or key not in REQUIRED_CHOICES:
            data[key] = value or None
    for key in BUDGET_FIELDS:
        try:
            data[key] = _wan_to_yuan(typed[key])
        except ValueError:
            errors[key] = gettext(BAD_BUDGET)
    data["interestedModels"] = [m.strip() for m in MODEL_SEPARATORS.split(typed["interestedModels"]) if m.strip()]
    if typed["phone"]:
        data["phone"] = typed["phone"]
    return typed, data, errors


def form_values(customer: dict) -> dict[str, str]:
    """A customer as CustomerForEdit returns it, as the form shows it. The phone stays empty:
    the API sends it masked, and a field left empty keeps the number on file."""
    values = {key: customer.get(key) or "" for key in (*TEXT_FIELDS, *CHOICE_FIELDS)}
    values.update({key: _yuan_to_wan(customer.get(key)) for key in BUDGET_FIELDS})
    values["interestedModels"] = "、".join(customer.get("interestedModels") or [])
    values["phone"] = ""
    return values


def as_input(customer: dict) -> dict:
    """A customer from CustomerForEdit in the shape read_form gives, to compare the two."""
    data = {key: customer.get(key) or "" for key in TEXT_FIELDS}
    data.update({key: customer.get(key) for key in (*CHOICE_FIELDS, *BUDGET_FIELDS)})
    data["interestedModels"] = list(customer.get("interestedModels") or [])
    return data


def changes(submitted: dict, current: dict) -> dict:
    """Only what the user changed: fields sent unchanged would lose their channel provenance."""
    saved = as_input(current)
    return {key: value for key, value in submitted.items() if key == "phone" or saved.get(key) != value}
