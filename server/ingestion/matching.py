"""When two customer records are probably one person, and why.

Exact identifiers (phone, ID number, WeChat ids, e-mail) merge automatically;
the near matches here only ever raise a candidate for a person to review.
"""

from rapidfuzz.distance import OSA

PHONE_NEAR = ("same name, phone one digit or one transposition apart", 0.6)
SAME_BIRTHDAY = ("same name and birthday", 0.5)
PINYIN_TAIL = ("same pinyin and phone tail", 0.5)
SAME_NAME_CITY = ("same name and address", 0.4)


def near_match(a: dict, b: dict) -> tuple[float, list[str]]:
    """(score, reasons) for two sets of customer values; score 0 when nothing suggests one person."""
    reasons: list[tuple[str, float]] = []
    same_name = bool(a.get("name")) and a.get("name") == b.get("name")
    phone_a, phone_b = a.get("phone"), b.get("phone")
    if same_name and phone_a and phone_b and phone_a != phone_b and OSA.distance(phone_a, phone_b) <= 1:
        reasons.append(PHONE_NEAR)
    if same_name and a.get("birthday") and a.get("birthday") == b.get("birthday"):
        reasons.append(SAME_BIRTHDAY)
    if (
        not same_name
        and a.get("name_pinyin")
        and a.get("name_pinyin") == b.get("name_pinyin")
        and a.get("phone_tail")
        and a.get("phone_tail") == b.get("phone_tail")
    ):
        reasons.append(PINYIN_TAIL)
    if same_name and a.get("address") and a.get("address") == b.get("address"):
        reasons.append(SAME_NAME_CITY)
    if not reasons:
        return 0.0, []
    return min(0.99, sum(weight for _, weight in reasons)), [text for text, _ in reasons]


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)
