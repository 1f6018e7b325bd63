"""`make bench-scale` does not rot: its generator, one page measurement and its table, at a toy scale.

The full benchmark runs on PostgreSQL outside the suite (docs/SCALING.md); this runs on either database
in seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from scale import sizes  # noqa: E402
from scale.generate import generate  # noqa: E402
from scale.measure import PAGES, measure_body  # noqa: E402
from scale.report import Run, markdown  # noqa: E402

TOY = sizes.Scale(bodies=3, accounts=9, staff=16, posts=60, audit_entries=40)


def test_full_scale_split_has_the_issues_long_tail() -> None:
    accounts = sizes.split(sizes.FULL.accounts, sizes.weights(sizes.FULL.bodies), minimum=1)
    assert sum(accounts) == 35534
    assert accounts[0] == 428
    assert sum(1 for n in accounts if n >= 100) == 49


@pytest.fixture
def toy(db: Any) -> Any:
    return generate(TOY, log=lambda text: None)


def test_generator_builds_consistent_bodies(toy: Any) -> None:
    from django.db.models import F

    from koshiki.audit.chain import verify_chain
    from koshiki.orgs.models import Organization, Staff
    from koshiki.posts.models import Post
    from koshiki.registry.models import OfficialAccount

    assert Organization.objects.count() == 3
    assert toy.bodies[0].name == "横浜市"
    assert toy.bodies[0].accounts >= toy.bodies[-1].accounts
    assert OfficialAccount.objects.count() == 9
    assert Post.objects.count() == 60
    assert not OfficialAccount.objects.exclude(department__organization=F("organization")).exists()
    for body in toy.bodies:
        persona = Staff.objects.get(user_id=body.persona_user_id)
        assert persona.organization_id == body.organization_id and persona.is_org_admin
        assert persona.roles.exists()
        assert Post.objects.get(pk=body.post_id).account_id == body.account_id
    result = verify_chain()
    assert result.ok and result.checked == 40


def test_one_page_measurement_renders_and_counts_queries(toy: Any) -> None:
    pages = measure_body(toy.bodies[-1], runs=1, log=lambda text: None, pages=PAGES[:1])
    assert pages[0].status == 200
    assert pages[0].queries > 0
    run = Run(
        date="today",
        database="sqlite",
        scale=TOY,
        generate_seconds=toy.seconds,
        largest=toy.bodies[0],
        smallest=toy.bodies[-1],
        largest_pages=pages,
        smallest_pages=pages,
        runs=1,
    )
    table = markdown(run)
    assert "| page or job | largest body (横浜市" in table
    assert f"| dashboard | {pages[0].p50_ms:,.0f} ms" in table


def test_peak_memory_is_the_measured_process_own() -> None:
    """A big benchmark process must not lend its size to the child it measures (Linux keeps the
    parent's high-water mark across fork + exec in ru_maxrss)."""
    from scale.measure import run_measured

    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page: resident
    result = run_measured("print('small')")
    assert result.ok and result.output == "small"
    assert result.peak_rss_mb < 150
    del ballast


def test_reuse_reads_back_the_bodies_the_generator_made(toy: Any) -> None:
    """--reuse measures a kept dataset again (before/after a change) without generating it anew."""
    from scale.generate import existing

    again = existing(log=lambda text: None)
    assert again.scale == TOY
    largest, smallest = toy.bodies[0], toy.bodies[-1]
    assert [b.organization_id for b in again.bodies] == [largest.organization_id, smallest.organization_id]
    for kept, read in zip((largest, smallest), again.bodies, strict=True):
        assert (read.persona_user_id, read.accounts, read.account_id) == (
            kept.persona_user_id,
            kept.accounts,
            kept.account_id,
        )
        assert read.post_id is not None
