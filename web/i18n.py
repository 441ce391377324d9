"""gettext for the pages: catalogs read from web/translations/*.po at start-up.

zh_CN is the default; en is complete. Reading the .po files directly means no
compile step can be forgotten on a fresh clone.
"""

import gettext as gettext_module
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from server import config

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
# Each language is named in itself, so someone who cannot read the current one still finds theirs.
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
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (tuple, list)):
            forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            if all(forms):
                for i, text in enumerate(forms):
                    result._catalog[(message.id[0], i)] = text
        elif message.string:
            result._catalog[message.id] = message.string
    # Chinese has one plural form, English two: the catalog's own rule picks the form.
    result.plural = gettext_module.c2py(catalog.plural_expr or "(n != 1)")
    return result


def pick_locale(requested: str | None) -> str:
    """The requested language if we have it, else the deployment's (CRM_LOCALE), else Chinese."""
    if requested in LOCALES:
        return requested
    configured = config.settings.default_locale
    return configured if configured in LOCALES else DEFAULT_LOCALE
