"""Standard forms of names and phone numbers, and the search keys derived from them."""

import re
import unicodedata

import phonenumbers
from pypinyin import Style, lazy_pinyin

_SPACES = re.compile(r"\s+")


class InvalidValue(ValueError):
    """A value that cannot be standardized; the message says why, in plain words."""


def clean_text(value: str | None) -> str:
    """Full-width to half-width, spaces collapsed, trimmed."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()


def clean_name(value: str | None) -> str:
    name = clean_text(value)
    # Chinese names are written without spaces; "张 三" is a typing accident.
    if name and all(_is_cjk(ch) or ch == " " for ch in name):
        name = name.replace(" ", "")
    return name


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def normalize_phone(value: str | None, region: str = "CN") -> str | None:
    """Return E.164 or None for empty input; raise InvalidValue for a number that is not one."""
    text = clean_text(value)
    if not text:
        return None
    text = re.sub(r"^00", "+", text.replace(" ", ""))
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidValue(f"not a phone number: {value!r}") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidValue(f"not a valid phone number: {value!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_tail(e164: str | None) -> str:
    return e164[-4:] if e164 else ""


def pinyin_keys(name: str) -> tuple[str, str]:
    """('zhangsan', 'zs') for 张三; Latin names fold to lower case."""
    if not name:
        return "", ""
    syllables = [s.lower() for s in lazy_pinyin(name, errors="ignore") if s.strip()]
    syllables = [re.sub(r"[^a-z0-9]", "", s) for s in syllables]
    syllables = [s for s in syllables if s]
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables)
    return full[:300], initials[:100]


def search_kind(text: str) -> str:
    """How a search box entry is matched: 'digits', 'latin' or 'name'."""
    if text.isdigit():
        return "digits"
    if text.isascii() and text.replace(" ", "").isalpha():
        return "latin"
    return "name"
