"""Permissions come from the profile (a role's kind or may list), never from a role id written in Python.

tests/guidelines/fixtures/iwaki-renamed.yaml is いわき市's profile with every role id renamed
(operator → tantosha, ciso → joho_tokatsu ...): a body whose guideline names its roles differently
must be able to do exactly what いわき市 can.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from koshiki.core.errors import NotPermitted

from ..conftest import PASSWORD

FIXTURES = Path(__file__).with_name("fixtures")

#: The persona → role id of each profile (same roles, different ids).
ROLE_IDS = {
    "iwaki": {
        "manager": "account_manager",
        "writer": "operator",
        "ciso": "ciso",
        "pr": "pr_division",
        "council": "sns_council",
    },
    "iwaki-renamed": {
        "manager": "shokucho",
        "writer": "tantosha",
        "ciso": "joho_tokatsu",
        "pr": "furusato_hasshin",
        "council": "kyogikai",
    },
}


@pytest.fixture(params=sorted(ROLE_IDS))
def body(
    request: pytest.FixtureRequest, db: Any, system_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    from koshiki.orgs import services
    from koshiki.registry.io import import_rows
    from koshiki.registry.models import OfficialAccount

    monkeypatch.setenv("KOSHIKI_PROFILE_DIRS", str(FIXTURES))
    profile_id = request.param
    org = services.create_organization(
        actor=system_admin,
        lgcode="072044",
        name="いわき市",
        profile_id=profile_id,
        web_domains=["city.iwaki.lg.jp"],
    )
    bu = services.create_department(actor=system_admin, organization=org, code="bu", name="総務部")
    ka = services.create_department(
        actor=system_admin, organization=org, code="ka", name="危機管理課", parent=bu
    )
    people: dict[str, Any] = {"profile_id": profile_id}
    for persona, role_id in ROLE_IDS[profile_id].items():
        staff = services.add_staff(
            actor=system_admin,
            organization=org,
            username=f"{profile_id}-{persona}",
            display_name=persona,
            password=PASSWORD,
            department=ka,
            email=f"{persona}@city.iwaki.lg.jp",
        )
        services.assign_role(actor=system_admin, staff=staff, role_id=role_id)
        people[persona] = staff
    people["second_manager"] = services.add_staff(
        actor=system_admin,
        organization=org,
        username=f"{profile_id}-manager2",
        display_name="manager2",
        password=PASSWORD,
        department=ka,
        email="manager2@city.iwaki.lg.jp",
    )
    services.assign_role(
        actor=system_admin, staff=people["second_manager"], role_id=ROLE_IDS[profile_id]["manager"]
    )
    import_rows(
        actor=None,
        organization=org,
        source="test",
        rows=[
            {
                "所属コード": "ka",
                "サービス": "x",
                "アカウント名": "危機管理",
                "ID": "kiki_iwaki",
                "URL": "https://x.com/kiki_iwaki",
                "目的": "防災情報の発信",
                "状態": "運用中",
            }
        ],
    )
    people["account"] = OfficialAccount.objects.get(handle="kiki_iwaki")
    people["organization"] = org
    return people


def test_the_renamed_profile_is_the_same_guideline_under_other_role_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from koshiki.guidelines import get_profile

    monkeypatch.setenv("KOSHIKI_PROFILE_DIRS", str(FIXTURES))
    original, renamed = get_profile("iwaki"), get_profile("iwaki-renamed")
    assert [r.id for r in renamed.roles] != [r.id for r in original.roles]
    assert [(r.kind, r.name) for r in renamed.roles] == [(r.kind, r.name) for r in original.roles]


def test_the_writer_role_may_write_posts_and_others_may_not(body: dict[str, Any]) -> None:
    from koshiki.posts.roles import can_write

    account = body["account"]
    assert can_write(body["writer"].user, account)
    assert not can_write(body["council"].user, account)
    assert not can_write(body["ciso"].user, account)


def test_a_writer_submits_and_the_manager_approves(body: dict[str, Any]) -> None:
    from koshiki.posts import services
    from koshiki.posts.lifecycle import PostState

    post = services.create_post(
        actor=body["writer"].user,
        account=body["account"],
        text="本日15時から市役所本庁舎で防災訓練を行います。ご協力をお願いします。",
    )
    post = services.submit(actor=body["writer"].user, post=post)
    assert post.state == PostState.SUBMITTED
    with pytest.raises(NotPermitted):
        services.decide(actor=body["ciso"].user, post=post, approve=True)
    post = services.decide(actor=body["manager"].user, post=post, approve=True)
    assert post.state in (PostState.APPROVED, PostState.SCHEDULED)


def test_security_and_pr_roles_read_the_audit_log_and_writers_do_not(body: dict[str, Any]) -> None:
    from koshiki.orgs.permissions import can_read_audit

    org = body["organization"]
    assert can_read_audit(body["ciso"].user, org)
    assert can_read_audit(body["pr"].user, org)
    assert not can_read_audit(body["writer"].user, org)
    assert not can_read_audit(body["council"].user, org)


def test_only_the_manager_role_manages_credentials(body: dict[str, Any]) -> None:
    from koshiki.security.permissions import require_credential_manager

    account = body["account"]
    require_credential_manager(
        body["second_manager"].user, account
    )  # holds the manager role, not the named manager
    for persona in ("writer", "ciso", "pr", "council"):
        with pytest.raises(NotPermitted):
            require_credential_manager(body[persona].user, account)


def test_a_writer_may_register_a_device_for_the_account(body: dict[str, Any]) -> None:
    import datetime as dt

    from koshiki.security import services as security

    phone = security.register_device(
        actor=body["writer"].user,
        label="公用スマートフォン",
        kind="official",
        os_name="iOS 18",
        os_patched_on=dt.date.today(),
        antivirus="active",
    )
    access = security.request_device_access(actor=body["writer"].user, device=phone, account=body["account"])
    assert access.state == "approved"


# --- the profile is checked: every role says what it may do; the duties it names
# are held -----------------------

MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
WRITER = (
    "  - id: kakari\n    name: 係員\n    name_en: Clerk\n    scope: department\n    silent: true\n"
    "    kind: writer\n"
)


def _errors(text: str) -> list[str]:
    from koshiki.guidelines import ProfileError, parse_profile

    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "bad.yaml")
    return [str(issue) for issue in caught.value.issues]


def _with_writer(text: str, role: str = WRITER) -> str:
    return text.replace("account:\n", role + "account:\n", 1)


def test_a_role_without_kind_or_may_is_refused() -> None:
    errors = _errors(_with_writer(MINIMAL, WRITER.replace("    kind: writer\n", "")))
    assert len(errors) == 1 and "roles[1]" in errors[0] and "kind も may もありません" in errors[0]


def test_an_unknown_capability_is_refused() -> None:
    role = WRITER.replace(
        "    kind: writer\n", "    may:\n      silent: true\n      capabilities: [post_anything]\n"
    )
    (error,) = _errors(_with_writer(MINIMAL, role))
    assert "roles[1].may.capabilities[0]" in error and "write_posts" in error


def test_when_nobody_may_approve_posts_the_profile_is_refused() -> None:
    text = MINIMAL.replace(
        "    kind: manager\n",
        "    may:\n      silent: true\n      capabilities: [write_posts,"
        " manage_accounts, manage_credentials, approve_devices]\n",
    )
    errors = _errors(text)
    assert any("posting.approval.approver_role" in e and "approve_posts" in e for e in errors)
    assert any("nobody may approve posts" in e for e in errors)


def test_a_may_list_with_its_clause_replaces_the_kind_default() -> None:
    from koshiki.guidelines import parse_profile
    from koshiki.guidelines.permissions import capability_citation, roles_with

    role = WRITER.replace(
        "    silent: true\n    kind: writer\n",
        "    silent: true\n    kind: other\n    may:\n"
        '      clause: "1(1)"\n      quote: アカウント管理者は課等の長とする。\n'
        "      capabilities: [read_audit_log]\n",
    )
    profile = parse_profile(_with_writer(MINIMAL, role), "ok.yaml")
    assert roles_with(profile, "read_audit_log") == ["kakari"]
    assert roles_with(profile, "write_posts") == ["account_manager"]
    assert capability_citation(profile, profile.role("kakari")) == "「試験市 1(1)」"
