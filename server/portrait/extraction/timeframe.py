"""When the customer means to buy: 近期, 下个月, 年底前, 三个月内, 不急."""

import re

import cn2an

from server.portrait.extraction.facts import Fact
from server.portrait.extraction.text import clause_bounds

# Buckets and the words for them. A word marked True says "when to buy" on its own; the others
# (下个月, 周末 …) only when the clause is about buying, not about a visit (下个月再来看看).
_WORDS = [
    ("IMMEDIATE", r"越快越好|急用|急着用车|急需", True),
    ("IMMEDIATE", r"马上|尽快|这几天|这两天|这周|本周|这礼拜|今天|明天|周末", False),
    ("IMMEDIATE", r"急着(?:买|提|要)|着急(?:买|提|要)", True),
    ("THIS_MONTH", r"近期|最近|这个月|本月|月底|月内|这月", False),
    ("NEXT_MONTH", r"下个?月|下下个月", False),
    ("YEAR_END", r"年底前|年底之前|年前", True),
    ("WITHIN_6_MONTHS", r"半年内|半年之内|半年以内", True),
    ("YEAR_END", r"年底|今年内|今年", False),
    ("NEXT_YEAR", r"明年|年后|过完年|开春", False),
    ("UNDECIDED", r"不着急|不急|还早|先了解|随便看看|先看看|没定时间|时间没定|时间不定|观望", True),
]
# 个 is required: 三个月 is a duration, 十月(份) a month of the calendar.
_MONTHS = re.compile(r"([0-9一二两三四五六七八九十半]+)个(?:多)?月(?:之?内|以内|左右|后)?")
_PURCHASE = re.compile(r"买|购|提车|提|订车|定车|下定|下订|订|入手|换车|用车|落地|成交|签|拿车|上牌|要车|置换|拿下|定下来|出手")
LABELS = {"IMMEDIATE": "马上", "THIS_MONTH": "一个月内", "NEXT_MONTH": "下个月", "WITHIN_3_MONTHS": "三个月内",
          "WITHIN_6_MONTHS": "半年内", "YEAR_END": "年底前", "NEXT_YEAR": "明年", "LATER": "半年以后",
          "UNDECIDED": "暂无计划"}
_PATTERN = re.compile("|".join(f"(?P<w{i}>{p})" for i, (_, p, _) in enumerate(_WORDS)))


def _about_buying(text: str, start: int, end: int) -> bool:
    left, right = clause_bounds(text, start, end)
    clause = text[left:right]
    # A terse note's clause that is only the time (预算15万，轿车，下个月) is the plan to buy.
    return bool(_PURCHASE.search(clause)) or not clause.replace(text[start:end], "").strip(" 前内左右")


def _months_bucket(raw: str) -> str | None:
    if raw == "半":
        return "WITHIN_3_MONTHS"
    try:
        n = float(raw) if raw.isdigit() else float(cn2an.cn2an(raw, "smart"))
    except ValueError:
        return None
    if n <= 1:
        return "THIS_MONTH"
    if n <= 3:
        return "WITHIN_3_MONTHS"
    if n <= 6:
        return "WITHIN_6_MONTHS"
    return "LATER"


def find_timeframes(text: str) -> list[Fact]:
    facts: list[Fact] = []
    for m in _MONTHS.finditer(text):
        if m.group(0).endswith("后") and "半" not in m.group(1):
            bucket = "LATER" if _months_bucket(m.group(1)) in ("WITHIN_6_MONTHS", "LATER") else "WITHIN_6_MONTHS"
        else:
            bucket = _months_bucket(m.group(1))
        if bucket and _about_buying(text, m.start(), m.end()):
            facts.append(Fact("timeframe", m.group(0), bucket, m.start(), m.end(), 0.85))
    for m in _PATTERN.finditer(text):
        if any(m.start() < f.end and f.start < m.end() for f in facts):
            continue
        index = int(m.lastgroup[1:])
        bucket, _, alone = _WORDS[index]
        if alone or _about_buying(text, m.start(), m.end()):
            facts.append(Fact("timeframe", m.group(0), bucket, m.start(), m.end(), 0.9 if alone else 0.8))
    facts.sort(key=lambda f: f.start)
    # One note, one plan: the first stated time wins, 年底前 beats 年底 … are the same bucket anyway.
    return facts[:1]
