"""Registering bodies: bad input gets a clear error and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.orgs import services
from koshiki.orgs.lgcode import is_valid_lgcode
from koshiki.orgs.models import Organization


def _count() -> tuple[int, int]:
    return Organization.objects.count(), AuditEntry.objects.count()


def test_registering_a_body_pins_its_profile_version(system_admin: Any) -> None:
    org = services.create_organization(
        actor=system_admin, lgcode="072044", name="いわき市", profile_id="iwaki"
    )
    assert (org.code, org.profile_id, org.profile_version) == ("072044", "iwaki", "2016-04-01")
    assert AuditEntry.objects.filter(action="orgs.organization.created", object_id=str(org.pk)).exists()


def test_duplicate_lgcode_is_refused_and_nothing_changes(iwaki: Any) -> None:
    before = _count()
    with pytest.raises(InvalidInput, match="072044") as caught:
        services.create_organization(actor=None, lgcode="072044", name="偽いわき市", profile_id="iwaki")
    assert caught.value.field == "lgcode"
    assert _count() == before


def test_city_and_its_council_share_the_lgcode(system_admin: Any) -> None:
    services.create_organization(actor=system_admin, lgcode="082244", name="守谷市", profile_id="iwaki")
    council = services.create_organization(
        actor=system_admin, lgcode="082244", name="守谷市議会", profile_id="moriya-council", kind="council"
    )
    assert council.code == "082244-council"


def test_wrong_check_digit_is_refused(system_admin: Any) -> None:
    before = _count()
    with pytest.raises(InvalidInput, match="072045"):
        services.create_organization(actor=system_admin, lgcode="072045", name="いわき市", profile_id="iwaki")
    assert _count() == before


def test_unknown_profile_is_refused(system_admin: Any) -> None:
    before = _count()
    with pytest.raises(InvalidInput, match="atlantis"):
        services.create_organization(
            actor=system_admin, lgcode="072044", name="いわき市", profile_id="atlantis"
        )
    assert _count() == before


def test_staff_cannot_register_a_body(iwaki: Any) -> None:
    with pytest.raises(NotPermitted):
        services.create_organization(
            actor=iwaki.kacho.user, lgcode="232211", name="新城市", profile_id="shinshiro"
        )


def test_web_domain_must_be_a_bare_domain(iwaki: Any) -> None:
    with pytest.raises(InvalidInput, match="https://"):
        services.set_web_domains(
            actor=iwaki.kacho.user, organization=iwaki.organization, domains=["https://x.jp/"]
        )


def test_every_real_lgcode_passes_the_check_digit() -> None:
    import csv

    from ..conftest import SEEDS_DIR

    path = SEEDS_DIR.parent / "data" / "code4fukui_localgovjp.csv"
    if not path.exists():
        pytest.skip("shared data not present")
    with path.open(encoding="utf-8-sig") as handle:
        codes = [row["lgcode"] for row in csv.DictReader(handle)]
    assert len(codes) > 1900
    assert [code for code in codes if not is_valid_lgcode(code)] == []
