"""Chinese resident ID-card numbers (GB 11643): checksum, the 15-digit legacy form, and what they tell."""

from dataclasses import dataclass
from datetime import date

from server.customers.normalize import InvalidValue, clean_text

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


@dataclass(frozen=True)
class IdNumber:
    number: str
    birthday: date
    gender: str  # "MALE" / "FEMALE"
    region_code: str


def parse_id_number(value: str | None) -> IdNumber | None:
    text = clean_text(value).replace(" ", "").upper()
    if not text:
        return None
    if len(text) == 15 and text.isdigit():
        # Legacy form: two-digit year of the 1900s, no check digit.
        body = text[:6] + "19" + text[6:]
        text = body + check_digit(body)
    if len(text) != 18 or not text[:17].isdigit() or text[17] not in "0123456789X":
        raise InvalidValue("ID-card number must have 18 characters (or the 15-digit legacy form)")
    if check_digit(text[:17]) != text[17]:
        raise InvalidValue("ID-card number check digit does not match")
    try:
        birthday = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError as exc:
        raise InvalidValue("ID-card number has an impossible birth date") from exc
    if birthday > date.today() or birthday.year < 1900:
        raise InvalidValue("ID-card number has an impossible birth date")
    gender = "MALE" if int(text[16]) % 2 else "FEMALE"
    return IdNumber(number=text, birthday=birthday, gender=gender, region_code=text[:6])
