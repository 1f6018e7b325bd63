"""Each component's declared profile reads are proven by running it on a recording profile.

A field a component declares (guidelines/components.py, the apps' profile_reads modules) makes the
clauses it carries count as enforced; here the component's representative services run under each
seed profile with ``koshiki.orgs.profiles.get_profile`` answering a RecordingProfile, and every
declared field must have been read by at least one of them. A declaration the code does not back
fails here, so `koshiki guideline coverage` cannot claim more than runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koshiki.core.errors import InvalidInput
from koshiki.guidelines import get_profile
from koshiki.guidelines.components import Component, all_components
from koshiki.guidelines.recording import RecordingProfile

from ..conftest import PASSWORD, signed_in_client
from ..registry.conftest import full_policy
from ..security.conftest import SEEDS, SeedBody, build_seed_body

Run = Callable[[SeedBody, Any], None]


def _checker(body: SeedBody, admin: Any) -> None:
    from koshiki.checks import check
    from koshiki.orgs.check_context import context_for

    check(
        "田中さん（090-1234-5678）へ。詳しくは https://bit.ly/x をご覧ください。",
        platform="x",
        context=context_for(body.organization),
    )


def _posts(body: SeedBody, admin: Any) -> None:
    from koshiki.posts import services

    post = services.create_post(
        actor=body.operator.user, account=body.account, text="本日15時から市役所本庁舎で防災訓練を行います。"
    )
    services.submit(actor=body.operator.user, post=post)


def _security(body: SeedBody, admin: Any) -> None:
    from koshiki.security.status import board_lines, organization_security

    board_lines(organization_security(body.organization))


def _staff_every_role(body: SeedBody, admin: Any) -> None:
    """Someone holds each of the profile's roles, so that every body's opening chain can be walked."""
    from koshiki.orgs import services as org_services
    from koshiki.orgs.models import RoleAssignment

    held = set(
        RoleAssignment.objects.current()
        .filter(staff__organization=body.organization)
        .values_list("role_id", flat=True)
    )
    dept = body.account.department
    for role in get_profile(body.organization.profile_id).roles:
        if role.id in held:
            continue
        staff = org_services.add_staff(
            actor=admin,
            organization=body.organization,
            username=f"{body.organization.pk}-{role.id}",
            display_name=role.name,
            password=PASSWORD,
            department=dept if role.scope == "department" else dept.parent,
        )
        org_services.assign_role(actor=admin, staff=staff, role_id=role.id)


def _registry(body: SeedBody, admin: Any) -> None:
    from koshiki.core.attention import Viewer
    from koshiki.registry import services
    from koshiki.registry.attention import reviews_due
    from koshiki.registry.checks import login_email_warning
    from koshiki.registry.services.requests import pending_step

    dept = body.account.department
    _staff_every_role(body, admin)
    with pytest.raises(InvalidInput):
        services.request_account(
            actor=body.operator.user, department=dept, platform="x", account_name="新規", purpose=""
        )
    account = services.request_account(
        actor=body.operator.user,
        department=dept,
        platform="x",
        account_name="新規",
        handle="new_one",
        purpose="広報",
        login_email="koho@example.com",
    )
    login_email_warning(account)
    services.save_policy(actor=body.operator.user, account=account, items=full_policy(account))
    while (step := pending_step(account)) is not None:
        services.decide(actor=step.waiting_for[0].user, account=account, approve=True)
    account.refresh_from_db()
    services.activate(actor=account.manager.user, account=account, url="https://x.com/new_one")
    list(reviews_due(Viewer(account.manager.user, account.manager)))
    services.record_review(actor=account.manager.user, account=account, answers={}, decision="continue")
    days = get_profile(body.organization.profile_id).closure.notice_before.days
    effective = timezone.localdate() + dt.timedelta(days=days)
    services.announce(
        actor=body.manager.user,
        account=body.account,
        kind="change",
        effective_on=effective,
        description="名称変更",
    )
    services.announce(
        actor=body.manager.user,
        account=body.other_account,
        kind="closure",
        effective_on=effective,
        description="終了",
    )
    services.emergency_stop(
        actor=account.manager.user, account=account, reason="乗っ取りの疑い", confirmed=True
    )


def _disclosure(body: SeedBody, admin: Any) -> None:
    client = signed_in_client(body.manager.user)
    assert client.get(reverse("disclosure")).status_code == 200
    assert client.get(reverse("account-profile-text", args=[body.account.pk])).status_code == 200


#: The representative run of every built component.
RUNS: dict[str, Run] = {
    "koshiki.checks": _checker,
    "koshiki.posts": _posts,
    "koshiki.security": _security,
    "koshiki.registry": _registry,
    "koshiki.registry.disclosure": _disclosure,
}

BUILT = [c for c in all_components() if c.available]


def test_every_built_component_has_a_representative_run() -> None:
    assert sorted(RUNS) == sorted(c.id for c in BUILT)


@pytest.mark.parametrize("component", BUILT, ids=[c.id for c in BUILT])
def test_declared_reads_are_read_when_the_component_runs(
    component: Component, db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch, clock: Any
) -> None:
    read: set[str] = set()
    for seed in SEEDS:
        body = build_seed_body(system_admin, *seed)
        recording = RecordingProfile(get_profile(body.organization.profile_id))
        with monkeypatch.context() as patched:
            patched.setattr("koshiki.orgs.profiles.get_profile", lambda _id, r=recording: r)
            RUNS[component.id](body, system_admin)
        read |= recording.read
    assert sorted(set(component.reads) - read) == []


def test_a_declaration_the_code_does_not_back_fails(
    db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proof is not vacuous: the checker never reads posting.accuracy."""
    body = build_seed_body(system_admin, *SEEDS[0])
    recording = RecordingProfile(get_profile(body.organization.profile_id))
    monkeypatch.setattr("koshiki.orgs.profiles.get_profile", lambda _id: recording)
    _checker(body, system_admin)
    assert "content.rules.severity" in recording.read
    assert "posting.accuracy" not in recording.read
