"""Made-up people: names, mobiles, ID-card numbers, e-mails and WeChat ids.

Every identifier is unique to its person, so the ground truth is unambiguous:
two records share an identifier exactly when they belong to one person.
"""

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers
from pypinyin import lazy_pinyin

from server.customers.id_numbers import check_digit

# Share of the population in per cent (2020 census order); the tail is thin on purpose.
SURNAMES = {
    "王": 7.1, "李": 7.0, "张": 6.7, "刘": 5.4, "陈": 4.5, "杨": 3.1, "赵": 2.3, "黄": 2.2, "周": 2.1, "吴": 2.0,
    "徐": 1.7, "孙": 1.5, "胡": 1.3, "朱": 1.3, "高": 1.2, "林": 1.2, "何": 1.2, "郭": 1.2, "马": 1.1, "罗": 0.9,
    "梁": 0.8, "宋": 0.8, "郑": 0.8, "谢": 0.7, "韩": 0.7, "唐": 0.6, "冯": 0.6, "于": 0.6, "董": 0.6, "萧": 0.6,
    "程": 0.6, "曹": 0.6, "袁": 0.5, "邓": 0.5, "许": 0.5, "傅": 0.5, "沈": 0.5, "彭": 0.5, "吕": 0.5, "苏": 0.5,
    "卢": 0.5, "蒋": 0.5, "蔡": 0.4, "贾": 0.4, "丁": 0.4, "魏": 0.4, "薛": 0.4, "叶": 0.4, "欧阳": 0.1, "司马": 0.02,
}
# Most common first: a weight falling with rank makes 王伟 and 李静 as frequent as they are in life.
GIVEN = {
    "MALE": "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国文志海峰亮东成晨博然轩豪睿泽",
    "FEMALE": "芳娜敏静丽艳娟霞秀英玲燕萍红婷雪琳莉慧颖倩欣佳怡梦晶洁璐丹悦雯媛琪萱涵淑兰",
}
FIRST_OF_TWO = "子梓俊嘉雨欣思一宇浩志建海文晓春秀玉丽小明国家天永佳雅诗若美晨"
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 155 156 157 158 159 "
    "166 176 177 178 180 181 182 183 184 185 186 187 188 189 198 199"
).split()
# Real county codes, so the region can be read back from the number.
ID_REGIONS = (
    "110101", "110105", "310101", "310115", "440103", "440106", "440305", "440304", "330106", "320102",
    "510104", "420106", "500103", "370102", "410105", "610113", "430104", "350203", "120101", "210102",
)
MAIL_HOSTS = ("qq.com", "163.com", "126.com", "sina.com", "gmail.com", "foxmail.com", "outlook.com")
_OPENID_CHARS = string.ascii_letters + string.digits + "-_"


@dataclass
class Person:
    pid: int
    name: str
    gender: str  # MALE / FEMALE
    birthday: date
    phone: str | None = None  # 11 digits
    id_number: str | None = None  # 18 characters, standard form
    email: str | None = None
    openid: str | None = None
    unionid: str | None = None
    namesake_of: int | None = None  # another person with the same name, made on purpose
    seen: set[str] = field(default_factory=set)  # identifier kinds already sent in some record

    def identifiers(self) -> dict[str, str]:
        keys = {"phone": self.phone, "id_number": self.id_number, "email": self.email,
                "openid": self.openid, "unionid": self.unionid}
        return {k: v for k, v in keys.items() if v}


def _ranked(chars: str) -> list[float]:
    return [1 / (rank + 1) ** 0.9 for rank in range(len(chars))]


class PersonFactory:
    """Makes people one at a time; never repeats a phone, ID number, e-mail or openid."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self._surnames, self._surname_weights = list(SURNAMES), list(SURNAMES.values())

    def name(self, gender: str) -> str:
        rng = self.rng
        surname = rng.choices(self._surnames, self._surname_weights)[0]
        pool = GIVEN[gender]
        given = rng.choices(pool, _ranked(pool))[0]
        if rng.random() < 0.7:
            given = rng.choices(FIRST_OF_TWO, _ranked(FIRST_OF_TWO))[0] + given
        return surname + given

    def person(self, pid: int, namesake: "Person | None" = None) -> Person:
        rng = self.rng
        gender = namesake.gender if namesake else rng.choice(("MALE", "FEMALE"))
        p = Person(
            pid=pid,
            name=namesake.name if namesake else self.name(gender),
            gender=gender,
            birthday=date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 43)),
            namesake_of=namesake.pid if namesake else None,
        )
        if rng.random() < 0.92:
            p.phone = self.mobile()
        if rng.random() < 0.35:
            p.id_number = self._id_number(p)
        if rng.random() < 0.35:
            p.email = self._unique(lambda: f"{''.join(lazy_pinyin(p.name))}{rng.randint(1, 99999)}@{rng.choice(MAIL_HOSTS)}")
        if rng.random() < 0.3:
            p.openid = self._unique(lambda: "o" + "".join(rng.choices(_OPENID_CHARS, k=27)))
        if rng.random() < 0.05:
            p.unionid = self._unique(lambda: "o" + "".join(rng.choices(_OPENID_CHARS, k=27)))
        if not p.identifiers():
            p.phone = self.mobile()
        return p

    def mobile(self) -> str:
        return self._unique(lambda: self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}", valid_phone)

    def typo(self, phone: str) -> str | None:
        """The phone with one digit mistyped or two neighbours swapped; None if that hits a used number."""
        rng = self.rng
        digits = list(phone)
        at = rng.randrange(3, 11)  # keep the operator prefix, so the number stays a valid mobile
        if rng.random() < 0.25 and at < 10 and digits[at] != digits[at + 1]:
            digits[at], digits[at + 1] = digits[at + 1], digits[at]
        else:
            digits[at] = rng.choice([d for d in string.digits if d != digits[at]])
        typed = "".join(digits)
        if typed in self.used or not valid_phone(typed):
            return None
        self.used.add(typed)
        return typed

    def _id_number(self, p: Person) -> str:
        def make() -> str:
            seq = self.rng.randrange(1000)
            # The 17th digit is odd for men and even for women.
            if (seq % 2 == 1) != (p.gender == "MALE"):
                seq = (seq + 1) % 1000
            body = self.rng.choice(ID_REGIONS) + p.birthday.strftime("%Y%m%d") + f"{seq:03d}"
            return body + check_digit(body)

        return self._unique(make)

    def _unique(self, make, valid=lambda value: True) -> str:
        while True:
            value = make()
            if value not in self.used and valid(value):
                self.used.add(value)
                return value


def valid_phone(digits: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(digits, "CN"))
