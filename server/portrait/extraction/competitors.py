"""Brands and models from outside our catalog that a customer compares us with (竞品).

A built-in list of the brands and models of the Chinese market; whichever of them the catalog
sells (Catalog.brands) are ours, not competitors, and are read by models_of_interest instead.
"""

from functools import lru_cache

from server.portrait.extraction.catalog import Catalog, fold
from server.portrait.extraction.models_of_interest import bounded
from server.portrait.extraction.facts import Fact
from server.portrait.extraction.text import overlaps

# brand: (other names for the brand, models — a model written "领克|08" is only read after its brand)
MARKET: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "特斯拉": (("tesla", "老特"), ("Model 3", "Model Y", "model3", "modely", "毛豆Y", "毛豆3")),
    "比亚迪": (("byd", "迪子"), ("汉", "唐", "宋PLUS", "秦PLUS", "海豹", "海豚", "元PLUS", "海鸥", "宋L")),
    "吉利": (("geely",), ("星越L", "银河L7", "帝豪", "博越", "星瑞")),
    "丰田": (("toyota",), ("凯美瑞", "卡罗拉", "RAV4", "汉兰达", "赛那", "亚洲龙", "雷凌", "bZ3")),
    "本田": (("honda",), ("雅阁", "思域", "CR-V", "艾力绅", "飞度", "皓影")),
    "大众": (("vw",), ("帕萨特", "迈腾", "途观L", "朗逸", "ID.4", "速腾", "宝来", "途昂")),
    "理想": (("li auto",), ("L6", "L7", "L8", "L9", "MEGA", "i8")),
    "蔚来": (("nio",), ("ET5", "ES6", "ES8", "ET7", "EC6")),
    "小米": (("xiaomi",), ("SU7", "YU7")),
    "问界": (("aito", "华为问界"), ("M5", "M7", "M8", "M9")),
    "小鹏": (("xpeng",), ("P7+", "P7", "G6", "G9", "X9", "MONA")),
    "零跑": (("leapmotor",), ("C10", "C11", "C16", "B10")),
    "极氪": (("zeekr",), ("|001", "|007", "7X")),
    "深蓝": ((), ("S7", "SL03", "S05")),
    "长安": ((), ("CS75 PLUS", "CS75", "UNI-V", "UNI-K", "逸动")),
    "哈弗": ((), ("H6", "大狗", "H9", "枭龙")),
    "奥迪": (("audi",), ("A4L", "A6L", "Q5L", "Q3", "A3")),
    "宝马": (("bmw", "别摸我"), ("3系", "5系", "X1", "X3", "X5", "i3")),
    "奔驰": (("benz", "大奔"), ("C级", "E级", "GLC", "GLE", "A级", "C260")),
    "别克": (("buick",), ("GL8", "昂科威", "君越", "英朗", "君威")),
    "日产": (("nissan", "尼桑"), ("轩逸", "天籁", "奇骏", "逍客")),
    "领克": (("lynk",), ("|01", "|03", "|08", "|09", "|06")),
    "红旗": ((), ("H5", "H9", "HS5", "HS3")),
    "五菱": ((), ("宏光MINI", "缤果", "星光")),
    "传祺": (("广汽传祺",), ("M8", "GS4", "E9")),
    "奇瑞": (("chery",), ("瑞虎8", "艾瑞泽8", "瑞虎7")),
    "马自达": (("mazda",), ("阿特兹", "CX-5", "昂克赛拉")),
    "现代": (("hyundai",), ("伊兰特", "途胜", "索纳塔")),
    "起亚": (("kia",), ("K5", "智跑", "K3")),
    "福特": (("ford",), ("蒙迪欧", "锐际", "探险者", "锐界")),
    "雷克萨斯": (("lexus", "雷克萨斯"), ("|ES", "|RX", "|NX")),
    "沃尔沃": (("volvo",), ("XC60", "S90", "XC90", "S60")),
    "凯迪拉克": (("cadillac", "凯迪"), ("CT5", "XT5", "CT6")),
    "岚图": ((), ("梦想家", "FREE")),
    "智界": ((), ("S7", "R7")),
    "阿维塔": ((), ("|11", "|12", "|07")),
    "埃安": (("aion", "广汽埃安"), ("AION Y", "AION S")),
    "腾势": (("denza",), ("D9", "N7")),
    "坦克": ((), ("|300", "|500", "|400")),
    "保时捷": (("porsche",), ("Macan", "卡宴", "Taycan")),
    "哪吒": ((), ("L", "S")),
    "极越": ((), ("|01", "|07")),
}
# Brand names that are also everyday words (不太理想, 现代化, 深蓝色): read only with a model or 汽车.
AMBIGUOUS_BRANDS = {"理想", "现代", "深蓝", "坦克", "极越", "哪吒"}
# Bare models that are too short or common to read without their brand.
_BRAND_ONLY_MIN = 2


@lru_cache(maxsize=16)
def _patterns(ours: frozenset[str]) -> list[tuple[str, str, str | None, bool]]:
    """(folded form, brand, model or None, needs_brand) for every brand not in `ours`, longest first."""
    out = []
    for brand, (names, models) in MARKET.items():
        if brand in ours:
            continue
        for name in (brand, *names):
            out.append((fold(name)[0], brand, None, False))
        for model in models:
            needs_brand = model.startswith("|") or len(model) < _BRAND_ONLY_MIN
            model = model.lstrip("|")
            out.append((fold(model)[0], brand, model, needs_brand))
    return sorted(out, key=lambda p: -len(p[0]))


def find_competitors(text: str, catalog: Catalog, taken: list[tuple[int, int]]) -> list[Fact]:
    folded, where = fold(text)
    patterns = _patterns(frozenset(catalog.brands))
    found: list[tuple[int, int, str, str | None]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < fe and fs < e for fs, fe, _, _ in found)

    def occurrences(form: str):
        at = folded.find(form)
        while at >= 0:
            if bounded(folded, where, at, at + len(form)):
                yield at, at + len(form)
            at = folded.find(form, at + 1)

    for form, brand, model, _ in patterns:
        if model is None:
            found += [(s, e, brand, None) for s, e in occurrences(form) if free(s, e)]
    # A model right after its brand (小米SU7, 领克的08) joins it into one mention, before any bare model
    # can take the same letters for another brand (S7 is 深蓝's here, not 智界's).
    for form, brand, model, _ in patterns:
        if model is None:
            continue
        for s, e in occurrences(form):
            for i, (bs, be, b, m) in enumerate(found):
                if b == brand and m is None and folded[be:s] in ("", "的", "家", "家的"):
                    found[i] = (bs, e, brand, model)
                    break
    for form, brand, model, needs_brand in patterns:
        if model is not None and not needs_brand:
            found += [(s, e, brand, model) for s, e in occurrences(form) if free(s, e)]
    with_model = {brand for _, _, brand, model in found if model}
    facts = []
    for s, e, brand, model in sorted(found):
        if model is None and brand in with_model:
            continue
        if model is None and brand in AMBIGUOUS_BRANDS and not folded.startswith("汽车", e):
            continue
        start, end = where[s], where[e - 1] + 1
        if overlaps(start, end, taken):
            continue
        normalized = f"{brand} {model}" if model else brand
        facts.append(Fact("competitor", text[start:end], normalized, start, end, 0.9 if model else 0.8))
    return facts

