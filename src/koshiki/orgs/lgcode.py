"""全国地方公共団体コード: five digits and a check digit (modulus 11, weights 6 to 2)."""

from __future__ import annotations

import re

_SHAPE = re.compile(r"^\d{6}$")


def check_digit(first_five: str) -> int:
    remainder = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True)) % 11
    return 1 if remainder == 0 else (11 - remainder) % 10


def is_valid_lgcode(code: str) -> bool:
    return bool(_SHAPE.match(code)) and int(code[5]) == check_digit(code[:5])
