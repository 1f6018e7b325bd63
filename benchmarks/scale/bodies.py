"""The real bodies: code4fukui's list of municipalities (CC0) plus the 47 prefectures, 1,788 in all.

Read from ../shared/data relative to the project root. Wards of designated cities (札幌市 中央区) are
not bodies of their own and are left out. Rank 0 (the largest body) is 横浜市; the rest follow a seeded
shuffle, and a smaller run takes an even sample of that order, so the smallest body is the last rank.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "code4fukui_localgovjp.csv"
LARGEST = "横浜市"


@dataclass(frozen=True)
class Body:
    lgcode: str
    name: str
    domain: str


def _check_digit(first_five: str) -> int:
    remainder = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True)) % 11
    return 1 if remainder == 0 else (11 - remainder) % 10


def _domain(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0].lower()
    return host if "." in host else ""


def all_bodies(path: Path = DATA) -> list[Body]:
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    towns = [Body(r["lgcode"], r["city"], _domain(r["url"])) for r in rows if " " not in r["city"]]
    prefectures = {}
    for row in rows:
        prefectures.setdefault(int(row["pid"]), row["pref"])
    for pid, name in sorted(prefectures.items()):
        five = f"{pid:02d}000"
        towns.append(Body(f"{five}{_check_digit(five)}", name, ""))
    return towns


def ranked(n: int, path: Path = DATA, seed: int = 12) -> list[Body]:
    """``n`` bodies, largest first."""
    everyone = all_bodies(path)
    top = [b for b in everyone if b.name == LARGEST][:1]
    rest = [b for b in everyone if b not in top]
    random.Random(seed).shuffle(rest)
    order = top + rest
    if n >= len(order):
        return order
    if n <= 1:
        return order[:n]
    step = (len(order) - 1) / (n - 1)
    return [order[round(i * step)] for i in range(n)]
