"""The vehicle catalog as the extractors read it, built once per batch of notes.

Our dealership's brands are the brands of the catalog's active models: a brand the dealership
sells is never a competitor, so a group that adds 特斯拉 to its floor stops seeing Model Y as a
rival without any setting to change.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import lazy_pinyin

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z0-9.+\-]+")


def fold(text: str) -> tuple[str, list[int]]:
    """Lower-case, full-width to half-width, no spaces; with each folded char's index in `text`."""
    chars, where = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).lower():
            if not c.isspace():
                chars.append(c)
                where.append(i)
    return "".join(chars), where


def spaced(where: list[int], i: int) -> bool:
    """Whether a space stood between folded chars i-1 and i (宋plus dmi: 'plus' ends before 'dmi')."""
    return 0 < i < len(where) and where[i] - where[i - 1] > 1


@lru_cache(maxsize=8192)
def _syllable(ch: str) -> str:
    return lazy_pinyin(ch)[0]


def tokens(folded: str) -> list[tuple[str, int, int]]:
    """Han characters as pinyin syllables, Latin/digit runs whole: (token, start, end) in `folded`."""
    out, i = [], 0
    while i < len(folded):
        ch = folded[i]
        if _HAN.match(ch):
            out.append((_syllable(ch), i, i + 1))
            i += 1
        elif m := _LATIN.match(folded, i):
            out.append((m.group(0).strip(".+-") or m.group(0), i, m.end()))
            i = m.end()
        else:
            out.append((ch, i, i + 1))
            i += 1
    return out


def pinyin_key(form: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in tokens(fold(form)[0]))


@dataclass
class Series:
    """One series of the catalog (比亚迪 汉): the unit a customer is interested in."""

    brand: str
    series: str
    model_ids: list[int] = field(default_factory=list)
    display_names: list[str] = field(default_factory=list)
    body_types: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"{self.brand} {self.series}"


@dataclass
class Catalog:
    series: dict[str, Series]
    # folded surface form → series key, longest first
    forms: list[tuple[str, str]]
    # pinyin token sequence → series key, for homophone typos (韩EV → 汉EV)
    sounds: dict[tuple[str, ...], str]
    brands: set[str]

    @classmethod
    def from_rows(cls, rows) -> "Catalog":
        """rows: VehicleModel instances or anything with id, brand, series, trim, aliases, body_type."""
        series: dict[str, Series] = {}
        forms: dict[str, str] = {}
        for row in rows:
            s = series.setdefault(f"{row.brand} {row.series}", Series(row.brand, row.series))
            s.model_ids.append(row.id)
            s.display_names.append(" ".join(p for p in (row.brand, row.series, row.trim) if p))
            s.body_types.add(str(getattr(row.body_type, "value", row.body_type)))
            for form in (row.series, f"{row.brand}{row.series}", *(row.aliases or [])):
                folded = fold(form)[0]
                if folded:
                    forms.setdefault(folded, s.key)
        sounds = {}
        for folded, key in forms.items():
            sound = pinyin_key(folded)
            # A lone syllable (汉, 唐) has too many homophones to match by sound.
            if len(sound) >= 2 and _HAN.search(folded):
                sounds.setdefault(sound, key)
        return cls(series=series, forms=sorted(forms.items(), key=lambda f: -len(f[0])), sounds=sounds,
                   brands={s.brand for s in series.values()})


async def load_catalog() -> Catalog:
    from server.sales.models import VehicleModel

    return Catalog.from_rows(await VehicleModel.filter(is_active=True).order_by("id"))
