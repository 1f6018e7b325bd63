"""Shared fixtures: bodies built through the services, and the personas who work in them.

Personas (いわき市 unless named): 広報主管課長 (organization administrator, pr_division),
所属長 (account manager of 危機管理課), 担当者 (operator), 情報統括管理者 (ciso), and an
outsider: 新城市's 広報 head, who must see nothing of いわき市.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from koshiki.connectors.devnet import DevAccount, create_test_account

from .messages import ensure_compiled

SEEDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
PASSWORD = "correct-horse-battery-9"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionstart(session: pytest.Session) -> None:
    """A bare `pytest` compiles the translations itself when a .mo is missing or stale (tests/messages.py),
    then drops any catalogue Django cached before, so the Japanese-text tests see the fresh one."""
    written = ensure_compiled()
    if written:
        from django.utils.translation.reloader import translation_file_changed

        translation_file_changed(sender=None, file_path=written[0])


def _next_workday_noon(now: dt.datetime) -> dt.datetime:
    """The first weekday 12:00 in Japan at or after ``now``: never before what the fixtures wrote on the real
    clock (role assignments from today stay current), and within every seed account's hours (新城市 posts on
    weekdays only, within 勤務時間)."""
    day = now.astimezone(ZoneInfo("Asia/Tokyo")).replace(hour=12, minute=0, second=0, microsecond=0)
    if day < now:
        day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """The tests' injectable clock (time-machine): it starts at a weekday noon in Japan and ticks on;
    ``clock.shift(delta)`` / ``clock.move_to(moment)`` move every reader of the time at once (timezone.now,
    time.time, TOTP, django-axes), so no test monkeypatches a time function or sleeps for time to pass."""
    with time_machine.travel(_next_workday_noon(dt.datetime.now(dt.UTC)), tick=True) as traveller:
        yield traveller


@dataclass
class Body:
    organization: Any
    departments: dict[str, Any]
    kacho: Any  # 広報主管課長
    shozokucho: Any  # 所属長
    tanto: Any  # 担当者
    ciso: Any  # 情報統括管理者


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Real hashing costs ~0.3 s a user; speed is for benchmarks, not tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _set_audit_triggers(enabled: bool) -> None:
    from django.db import connection

    from koshiki.audit.migrations import _triggers

    with connection.cursor() as cursor:
        for statement in _triggers.statements(connection.vendor, enabled):
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def _audit_triggers_lifted_for_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests end with a flush (DELETE/TRUNCATE), which the audit log refuses by
    design; like a DBA resetting a test database, lift the trigger for that flush only."""
    names = set(request.fixturenames)
    transactional = bool(names & {"transactional_db", "live_server"})
    if not transactional and "db" not in names:
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    _set_audit_triggers(True)
    yield
    if transactional:
        _set_audit_triggers(False)


@pytest.fixture
def system_admin(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("sysadmin", "sysadmin@example.jp", PASSWORD)


def _build_body(admin: Any, *, lgcode: str, name: str, profile_id: str, prefix: str) -> Body:
    from koshiki.orgs import services

    org = services.create_organization(
        actor=admin, lgcode=lgcode, name=name, profile_id=profile_id, web_domains=[f"city.{prefix}.lg.jp"]
    )
    departments = {
        code: services.create_department(actor=admin, organization=org, code=code, name=label)
        for code, label in (("kouhou", "広報広聴課"), ("somu", "総務部"))
    }
    departments["kiki"] = services.create_department(
        actor=admin, organization=org, code="kiki", name="危機管理課", parent=departments["somu"]
    )

    def person(
        username: str, display: str, dept: str, roles: tuple[str, ...], admin_flag: bool = False
    ) -> Any:
        staff = services.add_staff(
            actor=admin,
            organization=org,
            username=f"{prefix}-{username}",
            display_name=display,
            password=PASSWORD,
            department=departments[dept],
            email=f"{prefix}-{username}@example.lg.jp",
            is_org_admin=admin_flag,
        )
        for role_id in roles:
            services.assign_role(actor=admin, staff=staff, role_id=role_id)
        return staff

    pr_roles = ("pr_division",) if profile_id in ("iwaki", "shinshiro") else ()
    return Body(
        organization=org,
        departments=departments,
        kacho=person("kacho", "広報 花子", "kouhou", pr_roles, admin_flag=True),
        shozokucho=person("shozokucho", "危機 太郎", "kiki", ("account_manager",)),
        tanto=person("tanto", "担当 次郎", "kiki", ("operator",)),
        ciso=person("ciso", "総務 三郎", "somu", ("ciso",) if profile_id == "iwaki" else ()),
    )


@pytest.fixture
def iwaki(db: Any, system_admin: Any) -> Body:
    return _build_body(system_admin, lgcode="072044", name="いわき市", profile_id="iwaki", prefix="iwaki")


@pytest.fixture
def shinshiro(db: Any, system_admin: Any) -> Body:
    return _build_body(
        system_admin, lgcode="232211", name="新城市", profile_id="shinshiro", prefix="shinshiro"
    )


@pytest.fixture
def outsider(shinshiro: Body) -> Any:
    """A 広報 head of another body (新城市)."""
    return shinshiro.kacho


@pytest.fixture
def iwaki_officers(iwaki: Body, system_admin: Any) -> dict[str, Any]:
    """総務部長 as 情報管理者 (部等の長) for 危機管理課, and 総合政策部長."""
    bucho = _org_services().add_staff(
        actor=system_admin,
        organization=iwaki.organization,
        username="iwaki-bucho",
        display_name="総務 部長",
        password=PASSWORD,
        department=iwaki.departments["somu"],
        email="bucho@example.lg.jp",
    )
    _org_services().assign_role(actor=system_admin, staff=bucho, role_id="info_manager")
    seisaku = _org_services().add_staff(
        actor=system_admin,
        organization=iwaki.organization,
        username="iwaki-seisaku",
        display_name="政策 部長",
        password=PASSWORD,
        department=iwaki.departments["kouhou"],
        email="seisaku@example.lg.jp",
        language="en",
    )
    _org_services().assign_role(actor=system_admin, staff=seisaku, role_id="policy_director")
    return {"bucho": bucho, "seisaku": seisaku}


def _org_services() -> Any:
    from koshiki.orgs import services

    return services


def totp_code(user: Any) -> str:
    """The code the user's authenticator shows (the next unused step, so two sign-ins in 30 s both work)."""
    from koshiki.core.crypto import unseal_text
    from koshiki.twostep import totp
    from koshiki.twostep.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    return totp.code_at(unseal_text(device.sealed_secret), max(totp.current_step(), device.last_step + 1))


def live_kiki_account(body: Body) -> Any:
    """A live 危機管理課 Bluesky account of ``body`` from a 台帳 row (its manager: the 課's 所属長)."""
    from koshiki.registry.io import import_rows
    from koshiki.registry.models import OfficialAccount

    import_rows(
        actor=None,
        organization=body.organization,
        source="test",
        rows=[
            {
                "所属コード": "kiki",
                "サービス": "bluesky",
                "アカウント名": "危機管理課ブルースカイ",
                "ID": "kiki-iwaki.test",
                "URL": "https://bsky.app/profile/kiki-iwaki.test",
                "目的": "防災情報の発信",
                "運用時間": "00:00-23:59",
                "状態": "運用中",
            }
        ],
    )
    return OfficialAccount.objects.get(handle="kiki-iwaki.test")


def signed_in_client(user: Any, client: Any = None) -> Any:
    """A test client past both steps; the two-step pages themselves are tested
    in tests/web/test_two_step.py."""
    from django.http import HttpRequest
    from django.test import Client

    from koshiki.twostep.session import mark_verified

    client = client or Client()
    assert client.login(request=HttpRequest(), username=user.get_username(), password=PASSWORD)
    session = client.session
    mark_verified(session, user)
    session.save()
    return client


# --- the local AT Protocol network (tests/connectors, tests/posts, browser tests) ---------------------

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "bsky-network.sh"


def allow_local_network(pds_url: str) -> str:
    """Admit exactly the local network's PDS origin through the outbound guard (the Django setting
    and, for worker subprocesses, the environment); everything else stays refused."""
    from django.conf import settings

    from koshiki.connectors.outbound import origin_of

    origin = origin_of(pds_url)
    settings.KOSHIKI_OUTBOUND_ALLOW = [origin]
    os.environ["KOSHIKI_OUTBOUND_ALLOW"] = origin
    return pds_url.rstrip("/")


@pytest.fixture(scope="session")
def bsky_pds_url() -> Iterator[str]:
    url = os.environ.get("KOSHIKI_BSKY_PDS_URL")
    if url:
        yield allow_local_network(url)
        return
    directory = tempfile.mkdtemp(prefix="koshiki-bsky.")
    try:
        started = subprocess.run(
            [str(SCRIPT), "start", directory], capture_output=True, text=True, timeout=400, check=False
        )
        if started.returncode != 0:
            pytest.fail(f"could not start the AT Protocol network:\n{started.stderr}", pytrace=False)
        yield allow_local_network(started.stdout.strip().splitlines()[-1])
    finally:
        subprocess.run([str(SCRIPT), "stop", directory], capture_output=True, timeout=60, check=False)


@pytest.fixture
def make_account(bsky_pds_url: str) -> Callable[[str], DevAccount]:
    """Creates further accounts (e.g. someone who replies)."""

    def make(prefix: str = "other") -> DevAccount:
        return create_test_account(bsky_pds_url, prefix)

    return make


@pytest.fixture
def told(django_capture_on_commit_callbacks: Any) -> Any:
    """Commit a service call's after-commit work and deliver what it told (tests/notify/helpers.py)."""
    from .notify.helpers import Told

    return Told(django_capture_on_commit_callbacks)
