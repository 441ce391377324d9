"""gettext for the pages: catalogs read from web/translations/*.po at start-up.

zh_CN is the default; en is complete. Reading the .po files directly means no
compile step can be forgotten on a fresh clone.
"""

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
LOCALE_NAMES = {"zh_CN": "中文", "en": "English"}


@lru_cache(maxsize=None)
def translations(locale: str) -> NullTranslations:
    path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    result = Translations()
    for message in catalog:
        if message.id and message.string and not message.fuzzy:
            if isinstance(message.id, tuple):
                for i, text in enumerate(message.string):
                    result._catalog[(message.id[0], i)] = text
            else:
                result._catalog[message.id] = message.string
    result.plural = catalog.plural_expr and (lambda n, _expr=catalog.plural_forms: 0 if n == 1 else 1)
    return result


def pick_locale(requested: str | None) -> str:
    return requested if requested in LOCALES else DEFAULT_LOCALE
