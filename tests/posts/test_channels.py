"""A channel's secret is bound to its endpoint; the URL passes the outbound guard; only the account's
manager manages credentials; platform errors are stored and shown cleaned.

DNS is faked (``fake_dns``): names resolve from a table, nothing leaves the machine.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.connectors import PermanentPlatformError
from koshiki.connectors.outbound import OutboundRefused
from koshiki.core.crypto import seal_text, unseal_text
from koshiki.core.errors import InvalidInput, NotPermitted
from koshiki.posts import services
from koshiki.posts.channels import connector_for, set_channel
from koshiki.posts.models import ChannelCredential, PublishAttempt

from ..conftest import signed_in_client
from ..security.conftest import SEEDS
from .conftest import CLEAN_POST, PostingBody, build_posting_body

PUBLIC = "93.184.215.14"
SECRET = "abcd-efgh-ijkl-mnop"
NEW_SECRET = "qrst-uvwx-yz12-3456"
DNS: dict[str, list[str]] = {
    "pds.example.jp": [PUBLIC],
    "other-pds.example.jp": ["93.184.215.15"],
    "127.0.0.1.evil.example": ["127.0.0.1"],
    "internal.example.jp": ["10.0.0.8"],
}


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    table = {name: list(addresses) for name, addresses in DNS.items()}

    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]

    monkeypatch.setattr("koshiki.core.outbound.resolver", resolve, raising=False)
    return table


@pytest.fixture
def body(db: Any, system_admin: Any, fake_dns: dict[str, list[str]]) -> PostingBody:
    return build_posting_body(system_admin, *SEEDS[0])


def _connect(body: PostingBody, **changes: Any) -> ChannelCredential:
    values = {
        "kind": "bluesky",
        "service_url": "https://pds.example.jp",
        "identifier": "koho.example.jp",
        "secret": SECRET,
    } | changes
    return set_channel(actor=body.manager.user, account=body.account, **values)


def _channel(body: PostingBody) -> ChannelCredential:
    return ChannelCredential.objects.get(account=body.account)


def _with_session(body: PostingBody) -> ChannelCredential:
    _connect(body)
    ChannelCredential.objects.filter(account=body.account).update(sealed_session=seal_text("stored-session"))
    return _channel(body)


# -- 1. the secret is bound to its endpoint ---------------------------------------------------------


@pytest.mark.parametrize(
    "change", [{"service_url": "https://other-pds.example.jp"}, {"identifier": "other.example.jp"}]
)
def test_changing_the_server_or_handle_without_the_secret_is_refused_and_changes_nothing(
    body: PostingBody, change: dict[str, str]
) -> None:
    before = _with_session(body)
    with pytest.raises(InvalidInput) as raised:
        _connect(body, secret="", **change)
    assert raised.value.field == "secret" and "入力し直して" in raised.value.message
    after = _channel(body)
    assert (after.service_url, after.identifier, after.sealed_secret, after.sealed_session) == (
        before.service_url,
        before.identifier,
        before.sealed_secret,
        before.sealed_session,
    )


def test_changing_the_server_with_the_secret_drops_the_stored_session(body: PostingBody) -> None:
    _with_session(body)
    _connect(body, service_url="https://other-pds.example.jp", secret=NEW_SECRET)
    channel = _channel(body)
    assert (
        channel.service_url == "https://other-pds.example.jp"
        and unseal_text(channel.sealed_secret) == NEW_SECRET
    )
    assert channel.sealed_session == ""


def test_a_new_secret_for_the_same_endpoint_drops_the_session_too(body: PostingBody) -> None:
    _with_session(body)
    _connect(body, secret=NEW_SECRET)
    assert _channel(body).sealed_session == ""


def test_keeping_server_and_handle_keeps_secret_and_session(body: PostingBody) -> None:
    before = _with_session(body)
    _connect(body, secret="", service_url="https://pds.example.jp/")
    after = _channel(body)
    assert after.sealed_secret == before.sealed_secret and after.sealed_session == before.sealed_session


def test_the_audit_entry_says_whether_the_secret_changed_never_what_it_is(body: PostingBody) -> None:
    _with_session(body)
    _connect(body, service_url="https://other-pds.example.jp", secret=NEW_SECRET)
    _connect(
        body, secret="", service_url="https://other-pds.example.jp"
    )  # nothing changes: no entry (issue #11)
    entries = list(AuditEntry.objects.filter(action="posts.channel.set").order_by("seq"))
    assert [e.after["secret_changed"] for e in entries] == [True, True]
    assert (
        entries[1].before["service_url"] == "https://pds.example.jp"
        and entries[1].after["session_dropped"] is True
    )
    dumped = json.dumps([[e.before, e.after] for e in entries])
    assert SECRET not in dumped and NEW_SECRET not in dumped


# -- 2. the URL passes the outbound guard when saved, and again when the worker connects -----------


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost@127.0.0.2:18082",
        "http://127.0.0.1@169.254.169.254/",
        "https://10.0.0.1",
        "http://127.0.0.1.evil.example",
        "https://127.0.0.1.evil.example",
        "http://127.0.0.1:2583",
        "https://[::1]/",
        "https://[::ffff:10.0.0.1]/",
        "http://2130706433/",
        "https://0177.0.0.1",
        "https://100.64.1.1/",
        "https://169.254.169.254/",
        "https://internal.example.jp/",
        "https://nowhere.example.jp/",
    ],
)
def test_set_channel_refuses_unsafe_server_urls_with_a_clear_error(
    body: PostingBody, url: str, settings: Any
) -> None:
    settings.KOSHIKI_OUTBOUND_ALLOW = []  # as in production: `make test` allows its local network's PDS
    with pytest.raises(InvalidInput) as raised:
        _connect(body, service_url=url)
    assert raised.value.field == "service_url" and raised.value.message.isascii() is False
    assert not ChannelCredential.objects.filter(account=body.account).exists()


def test_the_allow_list_admits_exactly_the_local_network_origin(body: PostingBody, settings: Any) -> None:
    settings.KOSHIKI_OUTBOUND_ALLOW = ["http://127.0.0.1:2583"]
    assert _connect(body, service_url="http://127.0.0.1:2583").service_url == "http://127.0.0.1:2583"
    with pytest.raises(InvalidInput):
        _connect(body, service_url="http://127.0.0.1:2584", secret=NEW_SECRET)


def test_the_worker_refuses_a_server_that_now_resolves_to_a_private_address(
    body: PostingBody, fake_dns: dict[str, list[str]], within_hours: None
) -> None:
    _connect(body)
    fake_dns["pds.example.jp"] = ["192.168.10.20"]  # DNS changed after the URL was saved
    with pytest.raises(OutboundRefused, match="192.168.10.20"):
        connector_for(body.account).publish(services_outgoing())  # type: ignore[union-attr]


def services_outgoing() -> Any:
    from koshiki.connectors import OutgoingPost

    return OutgoingPost(CLEAN_POST, "k-1")


# -- 3. platform error text is cleaned before it is stored or shown ---------------------------------


class LeakyPlatform:
    def __init__(self, message: str) -> None:
        self.message = message

    def find_published(self, key: str) -> None:
        return None

    def publish(self, post: Any) -> Any:
        raise PermanentPlatformError(self.message)

    def close(self) -> None:
        pass


def test_a_platform_error_is_stored_and_shown_without_secrets_or_control_characters(
    body: PostingBody, within_hours: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQ6cGxjOnh5eiJ9.c2lnbmF0dXJlLXZhbHVl"
    leak = f"HTTP 400: bad request\r\nAuthorization: Bearer {jwt}\x1b[31m echo {SECRET} https://u:pw@pds.example.jp/"
    _connect(body)
    monkeypatch.setattr(
        "koshiki.posts.services.publishing.connector_for", lambda account: LeakyPlatform(leak)
    )
    post = services.create_post(actor=body.operator.user, account=body.account, text=CLEAN_POST)
    post = services.submit(actor=body.operator.user, post=post)
    while (step := services.pending_step(post)) is not None:
        post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
    assert services.publish_due(post.pk) == "failed"
    post.refresh_from_db()
    stored = [
        post.last_error,
        PublishAttempt.objects.get(post=post).error,
        json.dumps(AuditEntry.objects.filter(action="posts.post.failed").get().after, ensure_ascii=False),
    ]
    page = signed_in_client(body.operator.user).get(f"/posts/{post.pk}/").content.decode()
    for text in [*stored, page]:
        for bad in (jwt, SECRET, "u:pw@", "\x1b", "\r\n" + "Authorization"):
            assert bad not in text
    assert post.last_error.startswith("HTTP 400: bad request")


# -- 4. credentials are the account manager's, not every organization administrator's -------------


def test_an_org_admin_who_is_not_the_accounts_manager_cannot_set_the_channel(body: PostingBody) -> None:
    with pytest.raises(NotPermitted):
        set_channel(
            actor=body.seed.admin.user,
            account=body.account,
            kind="bluesky",
            service_url="https://pds.example.jp",
            identifier="koho.example.jp",
            secret=SECRET,
        )
    assert not ChannelCredential.objects.filter(account=body.account).exists()


def test_web_an_org_admin_is_refused_and_sees_no_channel_form(body: PostingBody) -> None:
    client = signed_in_client(body.seed.admin.user)
    url = f"/accounts/{body.account.pk}/posting/"
    assert 'id="channel-form"' not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "form": "channel",
            "kind": "bluesky",
            "service_url": "https://pds.example.jp",
            "identifier": "koho.example.jp",
            "secret": SECRET,
        },
    )
    assert response.status_code == 400 and "管理者" in response.content.decode()
    assert not ChannelCredential.objects.filter(account=body.account).exists()


def test_web_the_manager_is_told_to_enter_the_password_again_when_the_server_changes(
    body: PostingBody,
) -> None:
    _connect(body)
    client = signed_in_client(body.manager.user)
    url = f"/accounts/{body.account.pk}/posting/"
    assert "入力し直して" in client.get(url).content.decode()  # the form says so up front
    response = client.post(
        url,
        {
            "form": "channel",
            "kind": "bluesky",
            "service_url": "https://other-pds.example.jp",
            "identifier": "koho.example.jp",
            "secret": "",
        },
    )
    assert response.status_code == 400 and "入力し直して" in response.content.decode()
    assert _channel(body).service_url == "https://pds.example.jp"
    response = client.post(
        url,
        {
            "form": "channel",
            "kind": "bluesky",
            "service_url": "http://127.0.0.1@169.254.169.254/",
            "identifier": "koho.example.jp",
            "secret": NEW_SECRET,
        },
    )
    assert response.status_code == 400 and "ユーザー名" in response.content.decode()


def test_saving_the_same_channel_again_without_a_secret_writes_no_audit_row(body: PostingBody) -> None:
    """Issue #11: a service called with the values already set changes nothing and logs nothing."""
    before = _with_session(body)
    _connect(body, secret="")
    _connect(body, secret="", service_url="https://pds.example.jp/")
    assert AuditEntry.objects.filter(action="posts.channel.set").count() == 1
    after = _channel(body)
    assert (after.sealed_secret, after.sealed_session) == (before.sealed_secret, before.sealed_session)
