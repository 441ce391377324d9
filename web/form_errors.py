"""User errors from mutation payloads, in the viewer's language, next to the field at fault.

The API's messages are plain English for integrators; the pages say the same thing from the
catalog, keyed by the error's field and code.
"""

from web.labels import N_

BY_FIELD_AND_CODE = {
    ("name", "INVALID"): N_("Enter the customer's name (up to 100 characters)."),
    ("name", "REQUIRED"): N_("Enter the customer's name (up to 100 characters)."),
    ("phone", "INVALID"): N_("This is not a valid mobile number."),
    ("phone", "DUPLICATE"): N_("A customer with this mobile number already exists."),
    ("idNumber", "DUPLICATE"): N_("A customer with this ID number already exists."),
    ("budgetMin", "INVALID"): N_("The minimum budget is above the maximum."),
    ("birthday", "INVALID"): N_("The birthday cannot be in the future."),
    ("version", "CONFLICT"): N_("Someone else changed this customer after you opened it. Your changes are not saved."),
    ("nextFollowUpAt", "INVALID"): N_("The next follow-up must be later than now."),
    ("summary", "INVALID"): N_("The summary is too long (up to 5000 characters)."),
    ("occurredAt", "INVALID"): N_("A contact cannot happen in the future."),
    ("id", "NOT_FOUND"): N_("You cannot change this customer: it is not yours (claim it from the pool first)."),
    ("customerId", "NOT_FOUND"): N_("You cannot change this customer: it is not yours (claim it from the pool first)."),
    ("field", "FORBIDDEN"): N_("You may not see this number in full."),
}

CHECK_VALUE = N_("Please check this value.")
BY_CODE = {
    "INVALID": CHECK_VALUE,
    "REQUIRED": N_("This is required."),
    "NOT_FOUND": N_("This record was not found or is not yours."),
    "CONFLICT": N_("Someone else saved this first. Reload and try again."),
    "DUPLICATE": N_("This already exists."),
    "FORBIDDEN": N_("You are not allowed to do this."),
    "LIMIT_EXCEEDED": N_("This is over the limit."),
    "THROTTLED": N_("Too many attempts. Try again later."),
}

# Fields the forms show errors next to; an error on any other field is shown above the form.
FORM_FIELDS = {
    "name", "phone", "gender", "city", "lifecycle", "intent", "grade", "valueTier", "channel", "budgetMin",
    "budgetMax", "purchaseTimeframe", "interestedModels", "notes", "summary", "nextFollowUpAt", "kind",
}


def message(gettext, error: dict) -> str:
    text = BY_FIELD_AND_CODE.get((error.get("field"), error.get("code"))) or BY_CODE.get(error.get("code"), CHECK_VALUE)
    return gettext(text)


def field_errors(gettext, errors: list[dict]) -> dict[str, str]:
    """{field: message} for the form; errors not about one field of the form go under ''."""
    shown: dict[str, str] = {}
    for error in errors:
        key = error.get("field") if error.get("field") in FORM_FIELDS else ""
        text = message(gettext, error)
        shown[key] = f"{shown[key]} {text}" if key in shown and text not in shown[key] else text
    return shown
