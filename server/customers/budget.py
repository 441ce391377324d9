"""Budgets as people write them: 25万, 20-30万, 二十五万左右, 250000, 30w."""

import re

import cn2an

_CN_NUMBER = re.compile(r"[零一二两三四五六七八九十百千万亿点]+")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(万|w|k|千)?\s*(?:-|~|～|—|到|至)\s*(\d+(?:\.\d+)?)\s*(万|w|k|千)?", re.I)
_SINGLE = re.compile(r"(\d+(?:\.\d+)?)\s*(万|w|k|千)?", re.I)
_UNITS = {"万": 10_000, "w": 10_000, "k": 1_000, "千": 1_000}
# A bare number this small is in 万 (people say "预算25" meaning 25万), never 25 yuan.
_BARE_WAN_LIMIT = 1_000


def _to_arabic(text: str) -> str:
    def convert(match: re.Match) -> str:
        try:
            return str(cn2an.cn2an(match.group(0), "smart"))
        except ValueError:
            return match.group(0)

    return _CN_NUMBER.sub(convert, text)


def _amount(number: str, unit: str | None) -> int:
    value = float(number) * _UNITS.get((unit or "").lower(), 1)
    if not unit and value < _BARE_WAN_LIMIT:
        value *= 10_000
    return int(round(value))


def parse_budget(text: str | int | float | None) -> tuple[int, int] | None:
    """(min, max) in CNY, or None when no budget can be read."""
    if text is None or text == "":
        return None
    if isinstance(text, (int, float)):
        amount = _amount(str(text), None)
        return amount, amount
    normalized = _to_arabic(str(text).replace(",", "").replace("，", ""))
    # "二到三十万" becomes "2到300000": the unit of the upper bound applies to the lower one.
    if m := _RANGE.search(normalized):
        low_unit = m.group(2) or m.group(4)
        high = _amount(m.group(3), m.group(4))
        if low_unit is None and float(m.group(1)) < 10 <= high:
            # "2到300000" (from 二到三十万): the lower bound shares the upper bound's magnitude.
            low = float(m.group(1))
            while low < high / 10:
                low *= 10
            low = int(low)
        else:
            low = _amount(m.group(1), low_unit)
        return (low, high) if low <= high else (high, low)
    if m := _SINGLE.search(normalized):
        amount = _amount(m.group(1), m.group(2))
        return amount, amount
    return None
