"""Colour, energy type and body type a customer wants (or rules out)."""

import re

from server.portrait.extraction.facts import Fact
from server.portrait.extraction.text import is_negated, overlaps

_COLOURS = {"白": "白色", "黑": "黑色", "红": "红色", "灰": "灰色", "蓝": "蓝色", "银": "银色", "绿": "绿色",
            "粉": "粉色", "棕": "棕色", "咖": "棕色", "黄": "黄色", "紫": "紫色", "橙": "橙色", "金": "金色",
            "香槟": "香槟色"}
_SHADES = {"珍珠白": "白色", "冰川白": "白色", "极地白": "白色", "雪山白": "白色", "曜石黑": "黑色", "星空黑": "黑色",
           "墨玉黑": "黑色", "星空灰": "灰色", "水泥灰": "灰色", "钛灰": "灰色", "深空灰": "灰色", "中国红": "红色",
           "烈焰红": "红色", "宝石蓝": "蓝色", "深海蓝": "蓝色", "天空蓝": "蓝色", "冰川蓝": "蓝色", "薄荷绿": "绿色",
           "橄榄绿": "绿色", "樱花粉": "粉色", "流光银": "银色", "香槟金": "香槟色"}
_COLOUR_WORD = "|".join(sorted(_COLOURS, key=len, reverse=True))
_COLOUR = re.compile(
    "(" + "|".join(sorted(_SHADES, key=len, reverse=True)) + rf")|(?:深|浅|亮|哑光)?({_COLOUR_WORD})(?:色)"
    rf"|(?:(?<=[要选欢偏订定中])|(?<=颜色))(?:深|浅|亮)?({_COLOUR_WORD})(?:的|颜色|车身)"
    rf"|(?<=颜色)[：:是要]?(?:深|浅|亮)?({_COLOUR_WORD})"
)
# A bare 白/黑 is read only as 白色, 白的 after a wish, or after 颜色: never in 明白, 白跑, 黑名单.

_ENERGY = [
    ("PHEV", re.compile(r"插混|插电(?:混动|式混动)?|dm-?i|DM-?i|DM|增程|phev|PHEV|EREV|erev")),
    ("HYBRID", re.compile(r"油电混(?:合|动)?|双擎|油混|hev|HEV|混动|混合动力")),
    ("BEV", re.compile(r"纯电(?:动)?(?:车)?|电车|电动车|电动汽车|bev|BEV|(?<![A-Za-z])EV(?![A-Za-z])")),
    ("ICE", re.compile(r"燃油(?:车)?|油车|汽油车|烧油的?|柴油")),
    ("NEV", re.compile(r"新能源")),
]
_BODY = [
    ("SUV", re.compile(r"(?<![A-Za-z])[sS][uU][vV](?![A-Za-z])|越野车?|城市越野")),
    ("MPV", re.compile(r"(?<![A-Za-z])[mM][pP][vV](?![A-Za-z])|商务车|保姆车|七座商务")),
    ("SEDAN", re.compile(r"轿车|三厢")),
    ("HATCHBACK", re.compile(r"两厢|掀背")),
]
ENERGY_LABELS = {"PHEV": "插混", "HYBRID": "混动", "BEV": "纯电", "ICE": "燃油", "NEV": "新能源"}
BODY_LABELS = {"SUV": "SUV", "MPV": "MPV", "SEDAN": "轿车", "HATCHBACK": "两厢"}


def find_colours(text: str, taken: list[tuple[int, int]]) -> list[Fact]:
    facts = []
    for m in _COLOUR.finditer(text):
        start, end = m.span()
        if overlaps(start, end, taken):
            continue
        if m.group(1):
            normalized = _SHADES[m.group(1)]
        else:
            word = next(g for g in m.groups()[1:] if g)
            normalized = _COLOURS[word]
        facts.append(Fact("colour", m.group(0), normalized, start, end, 0.9, is_negated(text, start, end)))
    return facts


def _find(kind: str, table, text: str, taken: list[tuple[int, int]]) -> list[Fact]:
    facts, mine = [], []
    for normalized, pattern in table:
        for m in pattern.finditer(text):
            start, end = m.span()
            if overlaps(start, end, taken) or overlaps(start, end, mine):
                continue
            mine.append((start, end))
            facts.append(Fact(kind, m.group(0), normalized, start, end, 0.9, is_negated(text, start, end)))
    return sorted(facts, key=lambda f: f.start)


def find_energy(text: str, taken: list[tuple[int, int]]) -> list[Fact]:
    return _find("energy", _ENERGY, text, taken)


def find_body(text: str, taken: list[tuple[int, int]]) -> list[Fact]:
    return _find("body", _BODY, text, taken)
