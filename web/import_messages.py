"""What the import page says about files and rows, in the viewer's language.

The import service words its problems in plain English for integrators ("this is not an Excel
.xlsx file (BadZipFile)"). The page recognizes the ones it knows and says them from the
catalog; anything else is shown as the service wrote it, which beats a vague "invalid file".
"""

import re

from server.ingestion.fields import ALIASES
from web.labels import N_, label

# Spreadsheet columns the import understands, in the order a dealer's list usually has them.
COLUMNS = [
    ("name", N_("Name")),
    ("phone", N_("Mobile number")),
    ("id_number", N_("ID-card number (fills in birthday, gender and region)")),
    ("email", N_("E-mail")),
    ("interested_model", N_("Models of interest (several separated by 、 or ,)")),
    ("budget", N_("Budget, e.g. 20-25万")),
    ("channel", N_("Source, e.g. 汽车之家 or 车展; else the channel chosen above")),
    ("intent", N_("Purchase intent, e.g. 强烈, 一般, 观望")),
    ("external_id", N_("Record number: a number imported before is not imported twice")),
    ("gender", N_("Gender")),
    ("birthday", N_("Birthday")),
    ("province", N_("Province")),
    ("city", N_("City")),
    ("district", N_("District")),
    ("address", N_("Address")),
    ("company_name", N_("Company")),
    ("occupation", N_("Occupation")),
    ("purchase_timeframe", N_("Buying when")),
    ("notes", N_("Notes")),
    ("campaign_code", N_("Campaign code")),
]

# The field names in a row's problems, as the service reports them.
PROBLEM_FIELDS = {
    **{key: text for key, text in COLUMNS},
    "id_number": N_("ID-card number"),
    "interested_model": N_("Models of interest"),
    "budget": N_("Budget"),
    "channel": N_("Source"),
    "intent": N_("Purchase intent"),
    "record": N_("Whole row"),
}

FILE_ERRORS = [
    (re.compile(r"^the file is larger than (?P<mb>\d+) MB"), N_("The file is larger than %(mb)s MB.")),
    (re.compile(r"only \.xlsx and \.csv files can be imported"), N_("Only .xlsx and .csv files can be imported.")),
    (re.compile(r"^the file has a header row but no data rows"), N_("The file has a header row but no data rows.")),
    (re.compile(r"^no column identifies a customer: found (?P<found>.*); expected"),
     N_("No column identifies a customer (found: %(found)s). Add a column 姓名, 手机号, 身份证号 or 邮箱.")),
    (re.compile(r"^this is not an Excel \.xlsx file"),
     N_("This is not an Excel .xlsx file. Save it from Excel as .xlsx or .csv and upload it again.")),
    (re.compile(r"^the CSV file is neither UTF-8 nor GBK"), N_("The CSV file is neither UTF-8 nor GBK text.")),
    (re.compile(r"^this is not a CSV text file"), N_("This is not a CSV text file.")),
    (re.compile(r"^more than (?P<rows>\d+) rows"),
     N_("The file has more than %(rows)s rows: split it into smaller files.")),
]

ROW_PROBLEMS = [
    (re.compile(r"^not a (valid )?phone number: (?P<value>.*)$"), N_("Not a valid mobile number: %(value)s")),
    (re.compile(r"^ID-card number must have 18 characters"),
     N_("An ID-card number has 18 characters (or 15 in the old form).")),
    (re.compile(r"^ID-card number check digit does not match"),
     N_("The ID-card number's check digit does not match: a digit is wrong.")),
    (re.compile(r"^ID-card number has an impossible birth date"),
     N_("The ID-card number contains an impossible birth date.")),
    (re.compile(r"^not an e-mail address: (?P<value>.*)$"), N_("Not an e-mail address: %(value)s")),
    (re.compile(r"^not a date: (?P<value>.*) \(use YYYY-MM-DD\)$"), N_("Not a date: %(value)s (use YYYY-MM-DD)")),
    (re.compile(r"^unknown gender (?P<value>.*)$"), N_("Unknown gender %(value)s")),
    (re.compile(r"^unknown intent (?P<value>.*)$"), N_("Unknown purchase intent %(value)s")),
    (re.compile(r"^unknown channel (?P<value>.*); kept as (?P<channel>\w+)$"),
     N_("Unknown source %(value)s; the row keeps the channel %(channel)s")),
    (re.compile(r"^cannot read a budget from (?P<value>.*)$"), N_("Cannot read a budget from %(value)s")),
    (re.compile(r"^unknown campaign (?P<value>.*)$"), N_("Unknown campaign %(value)s")),
    (re.compile(r"^longer than 100 characters; cut$"), N_("Longer than 100 characters; shortened")),
    (re.compile(r"^nothing identifies the person"),
     N_("Nothing identifies the person: no valid mobile number, ID-card number, WeChat id or e-mail")),
]
CHECK_FILE = N_("This file cannot be imported: %(reason)s")


def _translated(gettext, patterns, message: str) -> str | None:
    for pattern, text in patterns:
        found = pattern.search(message)
        if found:
            values = {k: v for k, v in found.groupdict().items() if v is not None}
            if "channel" in values:
                values["channel"] = label(gettext, "channel", values["channel"])
            return gettext(text) % values if values else gettext(text)
    return None


def file_error(gettext, message: str) -> str:
    """Why an upload was refused, next to the file field."""
    return _translated(gettext, FILE_ERRORS, message) or gettext(CHECK_FILE) % {"reason": message}


def failure(gettext, message: str) -> str:
    """Why a queued import failed: a file problem found by the worker, or what stopped it."""
    return _translated(gettext, FILE_ERRORS, message) or message


def row_problem(gettext, problem: dict) -> str:
    """'手机号：不是有效的手机号：'12345'' for one of a row's problems."""
    field = PROBLEM_FIELDS.get(problem["field"])
    text = _translated(gettext, ROW_PROBLEMS, problem["message"]) or problem["message"]
    return gettext("%(field)s: %(problem)s") % {"field": gettext(field) if field else problem["field"], "problem": text}


def recognized_columns(gettext) -> list[tuple[str, list[str]]]:
    """(what the column becomes, the headers that name it), Chinese headers first."""
    columns = []
    for key, text in COLUMNS:
        names = sorted(ALIASES[key], key=lambda name: name.isascii())
        columns.append((gettext(text), names))
    return columns
