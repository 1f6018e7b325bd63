"""The scale of a run and how it splits over bodies: a long tail, like the real registry.

FULL is the national dataset of issue #12. Weights are 1 / (rank + C) ** A, fitted so that at FULL the
largest body holds ~428 accounts (横浜市) and 49 bodies hold 100 or more; a smaller run keeps the shape.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

A = 0.88
C = 10.25
FULL_BODIES = 1788


@dataclass(frozen=True)
class Scale:
    bodies: int
    accounts: int
    staff: int
    posts: int
    audit_entries: int


#: issue #12: 1,788 bodies, 100,009 staff, 35,534 accounts, 491,723 posts, 2.13 million audit entries.
FULL = Scale(bodies=1788, accounts=35534, staff=100009, posts=491723, audit_entries=2_130_000)
DEFAULT_BODIES = 60


def proportional(bodies: int) -> Scale:
    """FULL's per-body averages at ``bodies`` bodies (the default when only --bodies is given)."""
    if bodies >= FULL.bodies:
        return replace(FULL, bodies=bodies)
    ratio = bodies / FULL.bodies
    return Scale(
        bodies=bodies,
        accounts=max(bodies, round(FULL.accounts * ratio)),
        staff=max(4 * bodies, round(FULL.staff * ratio)),
        posts=round(FULL.posts * ratio),
        audit_entries=round(FULL.audit_entries * ratio),
    )


def weights(n: int) -> list[float]:
    raw = [1.0 / (rank + 1 + C) ** A for rank in range(n)]
    total = sum(raw)
    return [w / total for w in raw]


def split(total: int, shares: list[float], minimum: int = 0) -> list[int]:
    """``total`` over ``shares`` (largest remainder), each at least ``minimum``; sums to max(total, n*min)."""
    n = len(shares)
    if n == 0:
        return []
    rest = max(0, total - minimum * n)
    exact = [rest * s for s in shares]
    parts = [int(x) for x in exact]
    order = sorted(range(n), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]
