"""Budgets in a note: 25万, 20-30万, 二十五万左右, 二三十万, 十几万, 30w以内, 预算25."""

import re

import cn2an

from server.customers.budget import parse_budget
from server.portrait.extraction.facts import Fact
from server.portrait.extraction.text import clause_bounds

_D = "[一二两三四五六七八九]"
_CN = "[零一二两三四五六七八九十百点]+"
_AR = r"\d+(?:\.\d+)?"
_NUM = rf"(?:{_AR}|{_CN})"
_UNIT = r"(?:万|w|W|k|K|千)"
_SEP = r"\s*(?:-|~|～|—|到|至)\s*"
_PATTERNS = [
    # 二三十万 / 十五六万: two neighbouring numbers said as one.
    ("pair_tens", re.compile(rf"({_D})({_D})十(?:来|多|几)?万")),
    ("pair_units", re.compile(rf"((?:{_D})?十)({_D})({_D})万")),
    # 十几万, 二十来万, 20多万
    ("about", re.compile(rf"({_NUM})\s*(几|来|多)\s*万")),
    ("range", re.compile(rf"({_NUM})\s*{_UNIT}?{_SEP}({_NUM})\s*{_UNIT}")),
    ("single", re.compile(rf"({_NUM})\s*{_UNIT}")),
    # 预算25, 预算二十五: a bare number right after the word budget is in 万.
    ("bare", re.compile(rf"(?:预算|价位|价格)(?:在|是|大概|大约|差不多|控制在)?\s*({_AR}|{_CN})(?![\d万wWkK千])")),
]
_UPPER = re.compile(r"^\s*(?:以内|以下|之内|内|封顶|顶天|最多)")
_LOWER = re.compile(r"^\s*(?:以上|起步|往上)")
_UPPER_BEFORE = re.compile(r"(?:不超过|最多|顶多|控制在|不能超|别超过)\s*$")
# Money that is not what the car may cost: 首付5万, 优惠1万, 开了8万公里, 旧车估价6万.
_NOT_BUDGET_BEFORE = ("首付", "月供", "优惠", "便宜", "降价", "降了", "差价", "定金", "订金", "补贴", "贷款", "贷",
                      "公里", "里程", "跑了", "开了", "估价", "评估", "卖了", "卖", "残值", "收车", "回收", "收入",
                      "工资", "年薪", "手续费", "保险", "装潢", "精品", "尾款", "欠", "差", "少了", "多了", "送",
                      "现金", "置换补", "让了", "让利", "砍")
_NOT_BUDGET_AFTER = re.compile(r"^\s*(?:多)?(?:公里|km|KM|里|的优惠|优惠|首付|月供|的补贴|补贴)")


def _number(raw: str) -> float | None:
    try:
        return float(raw)
    except ValueError:
        try:
            return float(cn2an.cn2an(raw, "smart"))
        except ValueError:
            return None


def _wan(n: float) -> int:
    return int(round(n * 10_000))


def _read(kind: str, m: re.Match) -> tuple[int | None, int | None] | None:
    if kind == "pair_tens":
        low, high = _number(m.group(1)), _number(m.group(2))
        return (_wan(low * 10), _wan(high * 10)) if low and high and low < high else None
    if kind == "pair_units":
        tens, a, b = _number(m.group(1)), _number(m.group(2)), _number(m.group(3))
        return (_wan(tens + a), _wan(tens + b)) if tens and a and b and a < b else None
    if kind == "about":
        base = _number(m.group(1))
        if base is None:
            return None
        step = 10 if base >= 10 and base % 10 == 0 else 1
        return _wan(base), _wan(base + step)
    if kind == "bare":
        n = _number(m.group(1))
        return (_wan(n), _wan(n)) if n and 3 <= n <= 300 else None
    parsed = parse_budget(m.group(0))
    return parsed


def _money_context_ok(text: str, start: int, end: int) -> bool:
    left, _ = clause_bounds(text, start, end)
    before = text[max(left, start - 6):start]
    if any(w in before for w in _NOT_BUDGET_BEFORE):
        return False
    return not _NOT_BUDGET_AFTER.match(text[end:end + 6])


def find_budgets(text: str) -> list[Fact]:
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if any(start < e and s < end for s, e in taken):
                continue
            if not _money_context_ok(text, start, end):
                taken.append((start, end))
                continue
            amounts = _read(kind, m)
            if not amounts:
                continue
            low, high = amounts
            # A car costs between 1万 and 1000万; anything else is another number.
            if not (10_000 <= (high or low) <= 10_000_000):
                continue
            after = text[end:end + 4]
            if u := _UPPER.match(after):
                low, end = (None if low == high else low), end + u.end()
            elif _UPPER_BEFORE.search(text[max(0, start - 5):start]):
                low = None if low == high else low
            elif lw := _LOWER.match(after):
                high, end = (None if low == high else high), end + lw.end()
            elif after.startswith("左右") or after.startswith("上下"):
                end += 2
            elif after.startswith("出头"):
                high, end = high + 30_000 if high else None, end + 2
            taken.append((m.start(), end))
            confidence = 0.95 if kind in ("range", "single") else 0.85
            facts.append(Fact("budget", text[start:end], f"{low or ''}-{high or ''}", start, end, confidence))
    return sorted(facts, key=lambda f: f.start)


def budget_range(normalized: str) -> tuple[int | None, int | None]:
    low, _, high = normalized.partition("-")
    return (int(low) if low else None, int(high) if high else None)


def budget_label(normalized: str) -> str:
    """预算:20-30万, 预算:25万, 预算:30万以内, 预算:15万以上."""
    low, high = budget_range(normalized)

    def wan(v: int) -> str:
        return f"{v / 10_000:g}"

    if low and high:
        return f"{wan(low)}万" if low == high else f"{wan(low)}-{wan(high)}万"
    if high:
        return f"{wan(high)}万以内"
    return f"{wan(low)}万以上"
