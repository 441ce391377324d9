"""How the customer means to pay: a loan (贷款, 分期, 按揭) or in full (全款)."""

import re

from server.portrait.extraction.facts import Fact
from server.portrait.extraction.text import is_negated

_LOAN = re.compile(r"贷款|分期|按揭|金融方案|金融政策|零首付|0首付|低首付|首付|月供|免息|贴息|车贷|贷")
_FULL = re.compile(r"全款|一次性付|一次付清|现金买|付全款|一把付")
LABELS = {"LOAN": "贷款意向", "FULL": "全款"}


def find_financing(text: str) -> list[Fact]:
    facts = []
    spans: list[tuple[int, int]] = []
    for normalized, other, pattern in (("FULL", "LOAN", _FULL), ("LOAN", "FULL", _LOAN)):
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in spans):
                continue
            spans.append((start, end))
            # Ruling out a loan is choosing to pay in full, and the other way round.
            if is_negated(text, start, end):
                facts.append(Fact("financing", m.group(0), other, start, end, 0.8))
            else:
                facts.append(Fact("financing", m.group(0), normalized, start, end, 0.9))
    facts.sort(key=lambda f: f.start)
    return facts[:1] if len({f.normalized for f in facts}) <= 1 else facts
