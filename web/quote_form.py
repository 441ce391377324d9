"""The 新建报价 form: plain fields (item-0-description, item-0-model …) to the API's CreateQuoteInput,
and the API's user errors back next to the field at fault.

The page only checks that numbers are numbers (the schema would refuse "abc" as a bug, not as a
user's mistake); every other rule — ranges, a discount above the total, financing needing a term
and a rate — is the API's, and its errors are shown here in the viewer's language.
"""

import re
from decimal import Decimal, InvalidOperation

from web.labels import N_

MAX_ITEMS = 20
TERMS = (12, 24, 36, 48, 60)
ITEM_KEYS = ("description", "model", "quantity", "price", "priced_for")

NOT_A_NUMBER = N_("Enter a number, such as 209800 or 3.99.")
NOT_A_WHOLE_NUMBER = N_("Enter a whole number.")
BAD_DATE = N_("Pick a date from the calendar.")

# The API's errors on a quote, keyed by (field, code); an item's field is "items.N.<name>".
QUOTE_ERRORS = {
    ("items", "REQUIRED"): N_("Add at least one item."),
    ("items", "LIMIT_EXCEEDED"): N_("A quote has at most 50 items."),
    ("description", "INVALID"): N_("Describe the item (up to 200 characters), or choose a vehicle model."),
    ("vehicleModelId", "NOT_FOUND"): N_("This vehicle model is not in the catalog."),
    ("quantity", "INVALID"): N_("The quantity must be between 1 and 999."),
    ("unitPrice", "INVALID"): N_("The unit price must be an amount in CNY with at most 2 decimals."),
    ("unitPrice", "REQUIRED"): N_("Enter the unit price."),
    ("discount", "INVALID"): N_("The discount must be an amount in CNY, no larger than the items' total."),
    ("downPayment", "INVALID"): N_("The down payment must be an amount in CNY, no larger than the total."),
    ("termMonths", "REQUIRED"): N_("Financing needs a term: choose one."),
    ("termMonths", "INVALID"): N_("The term must be between 1 and 120 months."),
    ("annualRate", "REQUIRED"): N_("Financing needs an annual rate."),
    ("annualRate", "INVALID"): N_("The annual rate must be a percentage from 0 to 99.9999 (at most 4 decimals)."),
    ("validUntil", "INVALID"): N_("The quote would already have expired: pick today or a later day."),
    ("opportunityId", "INVALID"): N_("This opportunity is closed: no new quotes."),
    ("opportunityId", "NOT_FOUND"): N_("This opportunity was not found or is not yours."),
}
# API field → the form field the message is shown beside.
FORM_FIELD = {"discount": "discount", "downPayment": "down_payment", "termMonths": "term",
              "annualRate": "rate", "validUntil": "valid_until", "items": "items"}
ITEM_FIELD = {"description": "description", "vehicleModelId": "model", "quantity": "quantity", "unitPrice": "price"}


def empty_item(model: dict | None = None) -> dict:
    """A new row; with the deal's model, prefilled with it and its guide price."""
    if model is None:
        return {"description": "", "model": "", "quantity": "1", "price": "", "priced_for": "", "errors": {}}
    return {"description": "", "model": model["id"], "quantity": "1", "price": plain_amount(model["price"]),
            "priced_for": model["id"], "errors": {}}


def new_state(model: dict | None = None) -> dict:
    return {"open": False, "items": [empty_item(model)], "discount": "", "financed": False, "down_payment": "",
            "term": "36", "rate": "", "valid_until": "", "errors": {}}


def plain_amount(value) -> str:
    """'209800.00' → '209800': what a person would type."""
    amount = Decimal(str(value))
    return str(amount.quantize(Decimal(1))) if amount == amount.to_integral_value() else str(amount)


def read_form(form) -> dict:
    """The form's state as the template shows it; rows come as item-0-key, item-1-key … (gaps allowed)."""
    indexes = sorted({int(m.group(1)) for name in form.keys() if (m := re.fullmatch(r"item-(\d+)-\w+", name))})
    items = [{key: str(form.get(f"item-{i}-{key}", "")).strip() for key in ITEM_KEYS} | {"errors": {}}
             for i in indexes[:MAX_ITEMS]]
    return {
        "open": True,
        "items": items,
        "discount": str(form.get("discount", "")).strip(),
        # A rate or a down payment typed without ticking the box still means a loan: never drop them silently.
        "financed": form.get("financed") == "on" or bool(str(form.get("rate", "")).strip())
        or bool(str(form.get("down_payment", "")).strip()),
        "down_payment": str(form.get("down_payment", "")).strip(),
        "term": str(form.get("term", "")).strip(),
        "rate": str(form.get("rate", "")).strip().removesuffix("%").strip(),
        "valid_until": str(form.get("valid_until", "")).strip(),
        "errors": {},
    }


def prefill_prices(state: dict, catalog: dict[str, dict]) -> None:
    """A row whose model changed takes that model's guide price (the price stays editable)."""
    for row in state["items"]:
        model = catalog.get(row["model"])
        if model and row["priced_for"] != row["model"]:
            row["price"] = plain_amount(model["price"])
            row["priced_for"] = row["model"]
        elif not model:
            row["priced_for"] = ""


def _number(text: str, errors: dict, key: str, gettext) -> str | None:
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        errors[key] = gettext(NOT_A_NUMBER)
        return None
    if not value.is_finite():
        errors[key] = gettext(NOT_A_NUMBER)
        return None
    return str(value)


def _whole(text: str, errors: dict, key: str, gettext) -> int | None:
    if not re.fullmatch(r"-?\d{1,9}", text):
        errors[key] = gettext(NOT_A_WHOLE_NUMBER)
        return None
    return int(text)


def quote_input(state: dict, opportunity_id: str, catalog: dict[str, dict], gettext) -> dict | None:
    """The CreateQuoteInput, or None when a value is not even a number (marked on its field)."""
    items = []
    for row in state["items"]:
        if not any(row[k] for k in ("description", "model", "price")):
            continue  # an untouched extra row
        item = {"description": row["description"]}
        if row["model"] in catalog:
            item["vehicleModelId"] = row["model"]
            if not row["price"]:  # without JavaScript the price is not prefilled: the guide price
                row["price"] = plain_amount(catalog[row["model"]]["price"])
        quantity = _whole(row["quantity"] or "1", row["errors"], "quantity", gettext)
        if quantity is not None:
            item["quantity"] = quantity
        if row["price"]:
            price = _number(row["price"], row["errors"], "price", gettext)
            if price is not None:
                item["unitPrice"] = price
        else:
            row["errors"]["price"] = gettext(QUOTE_ERRORS[("unitPrice", "REQUIRED")])
        items.append(item)
    variables = {"opportunityId": opportunity_id, "items": items}
    errors = state["errors"]
    if state["discount"]:
        variables["discount"] = _number(state["discount"], errors, "discount", gettext)
    if state["financed"]:
        if state["down_payment"]:
            variables["downPayment"] = _number(state["down_payment"], errors, "down_payment", gettext)
        if state["term"]:
            variables["termMonths"] = _whole(state["term"], errors, "term", gettext)
        if state["rate"]:
            variables["annualRate"] = _number(state["rate"], errors, "rate", gettext)
    if state["valid_until"]:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", state["valid_until"]):
            variables["validUntil"] = state["valid_until"]
        else:
            errors["valid_until"] = gettext(BAD_DATE)
    if errors or any(row["errors"] for row in state["items"]):
        return None
    return variables


def place_errors(state: dict, api_errors: list[dict], gettext, fallback) -> None:
    """Put each API error beside its field: items.N.unitPrice on row N's price, annualRate on the rate …"""
    rows = [row for row in state["items"] if any(row[k] for k in ("description", "model", "price"))]
    for error in api_errors:
        field, code = error.get("field") or "", error.get("code")
        match = re.fullmatch(r"items\.(\d+)\.(\w+)", field)
        name = match.group(2) if match else field
        text = QUOTE_ERRORS.get((name, code))
        text = gettext(text) if text else fallback(gettext, error)
        if match and int(match.group(1)) < len(rows) and name in ITEM_FIELD:
            rows[int(match.group(1))]["errors"][ITEM_FIELD[name]] = text
        else:
            key = FORM_FIELD.get(field, "")
            state["errors"][key] = f"{state['errors'][key]} {text}" if key in state["errors"] else text
