"""First-run checklist (issue #13): each step turns done on its row change; administrators only."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from koshiki.orgs import services as org_services
from koshiki.orgs.models import Organization, Staff
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post
from koshiki.web import onboarding

from ..conftest import PASSWORD, Body, live_kiki_account, signed_in_client


def _states(organization: Organization) -> dict[str, bool]:
    return {step.key: step.done for step in onboarding.steps(organization)}


@pytest.fixture
def fresh(db: Any, system_admin: Any) -> tuple[Organization, Staff]:
    """A body just created: no domain, no public name, one administrator with no role."""
    org = org_services.create_organization(
        actor=system_admin, lgcode="072044", name="いわき市", profile_id="iwaki", web_domains=[]
    )
    department = org_services.create_department(
        actor=system_admin, organization=org, code="kouhou", name="広報"
    )
    admin = org_services.add_staff(
        actor=system_admin,
        organization=org,
        username="fresh-admin",
        display_name="管理 一郎",
        password=PASSWORD,
        department=department,
        email="fresh-admin@example.lg.jp",
        is_org_admin=True,
    )
    return org, admin


def test_a_fresh_body_has_every_step_to_do(fresh: tuple[Organization, Staff]) -> None:
    org, _admin = fresh
    assert _states(org) == {
        "domains": False,
        "public_names": False,
        "roles": False,
        "account": False,
        "post": False,
    }


def test_domains_and_public_names_turn_done_when_set(
    fresh: tuple[Organization, Staff], system_admin: Any
) -> None:
    org, _admin = fresh
    org_services.set_web_domains(actor=system_admin, organization=org, domains=["city.iwaki.lg.jp"])
    org.refresh_from_db()
    assert _states(org)["domains"] and not _states(org)["public_names"]
    org_services.set_public_entries(actor=system_admin, organization=org, entries=["いわき市長 内田 広之"])
    org.refresh_from_db()
    assert _states(org)["public_names"]


def test_roles_turn_done_when_every_chain_role_has_a_holder(iwaki: Body, system_admin: Any) -> None:
    """いわき市's open_account chain needs 情報管理者 and 政策部長-level roles nobody holds in the fixture."""
    org = iwaki.organization
    assert set(onboarding.required_roles(org)) == {"account_manager", "info_manager", "policy_director"}
    [roles] = [s for s in onboarding.steps(org) if s.key == "roles"]
    assert not roles.done
    assert data_role_name(org, "info_manager") in roles.detail
    org_services.assign_role(actor=system_admin, staff=iwaki.ciso, role_id="info_manager")
    assert not _states(org)["roles"]
    org_services.assign_role(actor=system_admin, staff=iwaki.kacho, role_id="policy_director")
    assert _states(org)["roles"]


def data_role_name(org: Organization, role_id: str) -> str:
    from koshiki.orgs.profiles import profile_for

    return profile_for(org).role(role_id).name


def test_account_and_post_turn_done_on_a_live_account_and_a_published_post(iwaki: Body) -> None:
    assert not _states(iwaki.organization)["account"]
    account = live_kiki_account(iwaki)
    assert _states(iwaki.organization)["account"] and not _states(iwaki.organization)["post"]
    post = Post.objects.create(
        organization=iwaki.organization, account=account, author=iwaki.tanto, text="お知らせ"
    )
    assert not _states(iwaki.organization)["post"]
    Post.objects.filter(pk=post.pk).update(state=PostState.PUBLISHED, published_at=timezone.now())
    assert _states(iwaki.organization)["post"]


def test_the_administrator_sees_the_checklist_with_links_and_text_states(
    fresh: tuple[Organization, Staff],
) -> None:
    _org, admin = fresh
    html = signed_in_client(admin.user).get("/").content.decode()
    assert 'id="onboarding"' in html
    assert html.count("未完了") >= 5
    assert 'href="/settings/"' in html and 'href="/accounts/request/"' in html
    assert 'id="admin-card"' in html


def test_a_writer_never_sees_the_checklist(iwaki: Body) -> None:
    html = signed_in_client(iwaki.tanto.user).get("/").content.decode()
    assert 'id="onboarding"' not in html


def test_the_checklist_disappears_when_every_step_is_done(
    fresh: tuple[Organization, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    _org, admin = fresh
    done = [
        onboarding.Step(k, k, "", True, "/", "")
        for k in ("domains", "public_names", "roles", "account", "post")
    ]
    monkeypatch.setattr(onboarding, "steps", lambda organization: done)
    html = signed_in_client(admin.user).get("/").content.decode()
    assert 'id="onboarding"' not in html
