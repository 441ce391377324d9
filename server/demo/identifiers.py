"""Valid, unique identifiers: mobile numbers, ID-card numbers, VINs and licence plates."""

import random
from datetime import date

from server.customers.id_numbers import check_digit
from server.customers.normalize import InvalidValue, normalize_phone

# Mobile prefixes of the three carriers that every number plan library knows to be valid.
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "185",
    "186", "187", "188", "189", "191", "199",
)


class PhoneBook:
    """Hands out mobile numbers (E.164) that were never handed out before."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._used: set[str] = set()

    def mobile(self) -> str:
        while True:
            local = self._rng.choice(MOBILE_PREFIXES) + f"{self._rng.randrange(10**8):08d}"
            try:
                phone = normalize_phone(local)
            except InvalidValue:
                continue
            if phone not in self._used:
                self._used.add(phone)
                return phone


class IdNumberBook:
    """Hands out 18-digit ID-card numbers (GB 11643) that are unique and internally consistent."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._used: set[str] = set()

    def issue(self, region_code: str, birthday: date, male: bool) -> str:
        while True:
            # The 17th digit is odd for men and even for women.
            sequence = self._rng.randrange(0, 100) * 10 + self._rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
            first17 = f"{region_code}{birthday:%Y%m%d}{sequence:03d}"
            number = first17 + check_digit(first17)
            if number not in self._used:
                self._used.add(number)
                return number


_VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"  # I, O and Q are never used
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9))),
    **dict(zip("JKLMN", range(1, 6))),
    "P": 7, "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10))),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_MODEL_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY"  # 2010 … 2030


def _vin_check(vin: str) -> str:
    remainder = sum(_VIN_VALUES[ch] * w for ch, w in zip(vin, _VIN_WEIGHTS)) % 11
    return "X" if remainder == 10 else str(remainder)


class VinBook:
    """Hands out VINs (GB 16735) with a correct check digit (position 9) and model-year code."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._used: set[str] = set()

    def issue(self, wmi: str, model_year: int) -> str:
        year_code = _MODEL_YEAR_CODES[(model_year - 2010) % len(_MODEL_YEAR_CODES)]
        while True:
            descriptor = "".join(self._rng.choice(_VIN_CHARS) for _ in range(5))
            plant = self._rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
            serial = f"{self._rng.randrange(10**6):06d}"
            draft = f"{wmi}{descriptor}0{year_code}{plant}{serial}"
            vin = draft[:8] + _vin_check(draft) + draft[9:]
            if vin not in self._used:
                self._used.add(vin)
                return vin


_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def licence_plate(rng: random.Random, prefix: str, new_energy: bool) -> str:
    if new_energy:
        # Green plates: D for battery-electric, F for plug-in hybrids; one letter, five digits.
        return f"{prefix}{rng.choice('DF')}{rng.choice(_PLATE_LETTERS)}{rng.randrange(10**4):04d}"
    body = [rng.choice(_PLATE_LETTERS)] + [rng.choice("0123456789") for _ in range(4)]
    rng.shuffle(body)
    return prefix + "".join(body)
