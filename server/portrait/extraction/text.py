"""Reading helpers shared by the extractors: clauses and negation."""

import re

# A clause ends at punctuation or where the speaker turns ("不要SUV，但是轿车可以").
_CLAUSE_END = re.compile(r"[，,。.;；！!？?\n、/]|但是|但|而是|不过|可是")
# Ruling something out, written before it: 不考虑贷款, 不要白色.
NEGATORS_BEFORE = (
    "不考虑", "不要", "不想要", "不太想", "不是很想", "不怎么想", "不想", "不喜欢", "不需要", "不用", "不打算",
    "不接受", "不看", "不选", "不买", "不做", "不办", "不走", "不搞", "不会", "没考虑", "没打算", "没兴趣",
    "没有", "排除", "拒绝", "别", "别选", "别要", "别推荐", "别给", "不爱", "不感冒", "不倾向", "不找", "不开",
)
# ... or after it: 贷款就算了, SUV不考虑.
NEGATORS_AFTER = ("不考虑", "不要", "不喜欢", "不需要", "不想", "算了", "排除", "不感兴趣", "没兴趣", "不行", "pass",
                  "就免了", "不接受", "不做", "不办", "不想要", "不感冒", "不用")
# A fresh wish between a negator and the thing ends the negation: 不要SUV要轿车.
_POSITIVE = re.compile(r"要|考虑|喜欢|倾向|想|选|看中|看上|偏向|更想")


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for m in _CLAUSE_END.finditer(text, 0, start):
        left = m.end()
    m = _CLAUSE_END.search(text, end)
    return left, (m.start() if m else len(text))


def is_negated(text: str, start: int, end: int) -> bool:
    left, right = clause_bounds(text, start, end)
    before = text[left:start]
    best = -1
    for word in NEGATORS_BEFORE:
        at = before.rfind(word)
        # 有没有 asks, it does not rule out: 有没有免息政策. 别克 is a brand, not 别 (don't).
        if word == "没有" and at > 0 and before[at - 1] == "有":
            continue
        if word == "别" and before[at + 1:at + 2] in ("克", "摸", "人", "家", "的"):
            continue
        if at >= 0 and at + len(word) > best:
            best = at + len(word)
    if best >= 0 and not _POSITIVE.search(before[best:]):
        return True
    after = text[end:right][:6].lower()
    return any(after.startswith(word) or after.lstrip("的也就都还").startswith(word) for word in NEGATORS_AFTER)


def overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)
