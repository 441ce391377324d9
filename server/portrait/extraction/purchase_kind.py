"""Whether this is the customer's first car, a replacement of the one they have, or one more."""

import re

from server.portrait.extraction.facts import Fact
from server.portrait.extraction.text import is_negated

_KINDS = [
    ("ADDITIONAL", re.compile(r"增购|加购|再买一台|家里第二台|第二台车|第二辆|多买一台|给老婆买|给老公买|给孩子买")),
    ("REPLACEMENT", re.compile(r"换车|置换|以旧换新|旧车|换一台|换辆|换个车|换掉|二手车评估|老车|换新车|车开了\d+年")),
    ("FIRST", re.compile(r"第一台车|第一辆车|第一台|第一辆|首购|首次购车|刚拿驾照|刚拿的驾照|刚考的驾照|新手|刚考完驾照|刚毕业|没买过车|头一台|首车")),
]
LABELS = {"FIRST": "首购", "REPLACEMENT": "换购", "ADDITIONAL": "增购"}


def find_purchase_kind(text: str) -> list[Fact]:
    for normalized, pattern in _KINDS:
        for m in pattern.finditer(text):
            if is_negated(text, m.start(), m.end()):
                continue
            return [Fact("purchase_kind", m.group(0), normalized, m.start(), m.end(), 0.85)]
    return []
