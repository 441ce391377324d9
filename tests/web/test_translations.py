"""The catalogs are complete: every text the pages show has a zh_CN and an en translation."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from server import enums
from web.i18n import DEFAULT_LOCALE, LOCALES, TRANSLATIONS_DIR, pick_locale
from web.labels import LABELS

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted_ids() -> set:
    """What `make messages` would extract, with the same babel.cfg and keywords."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    ids = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords):
        ids.add(message if isinstance(message, str) else tuple(message))
    return ids


def catalog(locale: str):
    with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale):
    translated = {}
    for message in catalog(locale):
        if message.id:
            key = message.id if isinstance(message.id, str) else tuple(message.id)
            strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            translated[key] = None if message.fuzzy or not all(strings) else strings
    missing = sorted(str(m) for m in extracted_ids() if not translated.get(m))
    assert missing == [], f"untranslated in {locale} (run `make messages`, then fill them in): {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_every_placeholder(locale):
    for message in catalog(locale):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), (locale, source, text)


def test_chinese_is_the_default_language():
    assert DEFAULT_LOCALE == "zh_CN" and pick_locale(None) == "zh_CN" and pick_locale("de") == "zh_CN"


@pytest.mark.parametrize("kind, enum", [
    ("lifecycle", enums.Lifecycle), ("intent", enums.Intent), ("grade", enums.Grade),
    ("valueTier", enums.ValueTier), ("channel", enums.Channel), ("decisionRole", enums.DecisionRole),
    ("interactionKind", enums.InteractionKind), ("taskKind", enums.TaskKind), ("gender", enums.Gender),
    ("tagSource", enums.TagSource), ("direction", enums.Direction),
])
def test_every_enum_value_has_a_label(kind, enum):
    assert set(LABELS[kind]) == {e.value for e in enum}
