"""Catalog models a note names: exactly, by an alias, by sound (韩EV) or by a near spelling (camery)."""

from rapidfuzz import fuzz, process

from server.portrait.extraction.catalog import Catalog, fold, spaced, tokens
from server.portrait.extraction.facts import Fact
from server.portrait.extraction.text import is_negated, overlaps

# 唐先生, 小宋, 宋姐: a one-character series is also a surname.
_NAME_AFTER = tuple("先生 女士 总 姐 哥 经理 老师 小姐 工 师傅 阿姨 叔 家 某 太 老板 董 局 主任 同学".split())
_NAME_BEFORE = ("小", "老", "姓", "叫")
_FUZZY_MIN = 80


def _letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _digit(ch: str) -> bool:
    return ch.isascii() and ch.isdigit()


def bounded(folded: str, where: list[int], start: int, end: int) -> bool:
    """A match may not run on into more of the same: MY in 'myself', L7 in 'L78'; L7max and 汉ev are fine."""
    if start > 0 and not spaced(where, start):
        before, first = folded[start - 1], folded[start]
        if (_letter(first) and _letter(before)) or (_digit(first) and (_digit(before) or _letter(before))):
            return False
    if end < len(folded) and not spaced(where, end):
        last, after = folded[end - 1], folded[end]
        if (_letter(last) and _letter(after)) or (_digit(last) and _digit(after)):
            return False
    return True


def _surname(folded: str, start: int, end: int) -> bool:
    if end - start != 1:
        return False
    return folded.startswith(_NAME_AFTER, end) or (start > 0 and folded[start - 1] in _NAME_BEFORE)


def find_models(text: str, catalog: Catalog, taken: list[tuple[int, int]] | None = None) -> list[Fact]:
    folded, where = fold(text)
    hits: list[tuple[int, int, str, float]] = []  # folded start, end, series key, confidence
    spans: list[tuple[int, int]] = []

    def add(s: int, e: int, key: str, confidence: float) -> None:
        hits.append((s, e, key, confidence))

    for form, key in catalog.forms:
        at = folded.find(form)
        while at >= 0:
            end = at + len(form)
            if bounded(folded, where, at, end) and not _surname(folded, at, end):
                add(at, end, key, 0.95)
            at = folded.find(form, at + 1)
    toks = tokens(folded)
    sounds = [t for t, _, _ in toks]
    for sound, key in catalog.sounds.items():
        n = len(sound)
        for i in range(len(sounds) - n + 1):
            if tuple(sounds[i:i + n]) == sound:
                s, e = toks[i][1], toks[i + n - 1][2]
                if bounded(folded, where, s, e):
                    add(s, e, key, 0.8)
    latin_forms = {f: k for f, k in catalog.forms if f.isascii() and len(f) >= 4}
    if latin_forms:
        for tok, s, e in toks:
            if len(tok) >= 4 and folded[s:e].isascii() and not overlaps(s, e, spans):
                best = process.extractOne(tok, list(latin_forms), scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN)
                if best and best[0][0] == tok[0]:
                    add(s, e, latin_forms[best[0]], 0.7)
    # The longest reading wins (汉兰大 is 汉兰达 by sound, not 汉 exactly), then the surest.
    chosen = []
    for s, e, key, confidence in sorted(hits, key=lambda h: (h[0] - h[1], -h[3], h[0])):
        if not overlaps(s, e, spans):
            spans.append((s, e))
            chosen.append((s, e, key, confidence))
    facts = []
    for s, e, key, confidence in sorted(chosen):
        start, end = where[s], where[e - 1] + 1
        if taken is not None and overlaps(start, end, taken):
            continue
        facts.append(Fact("model", text[start:end], key, start, end, confidence, is_negated(text, start, end),
                          tuple(catalog.series[key].model_ids)))
    return facts
