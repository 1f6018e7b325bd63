"""A body under each seed profile with a live Bluesky account (and the local AT Protocol network)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ..security.conftest import SEEDS, SeedBody, build_seed_body

PHONE_POST = "避難所の受付は田中さん（090-1234-5678）が担当します。"
CLEAN_POST = "本日15時から市役所本庁舎で防災訓練を行います。ご協力をお願いします。"


@dataclass
class PostingBody:
    seed: SeedBody
    account: Any  # a live Bluesky account

    @property
    def manager(self) -> Any:
        return self.seed.manager

    @property
    def operator(self) -> Any:
        return self.seed.operator


def hours_excluding_now() -> str:
    """A one-minute window twelve hours away: any post now is outside the account's hours."""
    start = timezone.localtime() + dt.timedelta(hours=12)
    start = start.replace(minute=min(start.minute, 58))
    return f"{start:%H:%M}-{start.hour:02d}:{start.minute + 1:02d}"


def build_posting_body(
    system_admin: Any, profile_id: str, lgcode: str, kind: str, *, hours: str = "00:00-23:59"
) -> PostingBody:
    from koshiki.registry.io import import_rows
    from koshiki.registry.models import OfficialAccount

    seed = build_seed_body(system_admin, profile_id, lgcode, kind)
    import_rows(
        actor=None,
        organization=seed.organization,
        source="test",
        rows=[
            {
                "所属コード": "ka",
                "サービス": "bluesky",
                "アカウント名": "広報ブルースカイ",
                "ID": f"bsky{lgcode}.test",
                "URL": f"https://bsky.app/profile/bsky{lgcode}.test",
                "目的": "市政情報の発信",
                "運用時間": hours,
                "状態": "運用中",
            }
        ],
    )
    return PostingBody(seed, OfficialAccount.objects.get(handle=f"bsky{lgcode}.test"))


@pytest.fixture(params=SEEDS, ids=[s[0] for s in SEEDS])
def posting_body(request: pytest.FixtureRequest, transactional_db: Any, system_admin: Any) -> PostingBody:
    return build_posting_body(system_admin, *request.param)


@pytest.fixture
def iwaki_posting(transactional_db: Any, system_admin: Any) -> PostingBody:
    return build_posting_body(system_admin, *SEEDS[0])


def connect_bluesky(body: PostingBody, new_account: Any) -> Any:
    """Point the account at a fresh account on the local network, through the channel service."""
    from koshiki.posts.channels import set_channel

    dev = new_account("koho")
    set_channel(
        actor=body.manager.user,
        account=body.account,
        kind="bluesky",
        service_url=dev.pds_url,
        identifier=dev.handle,
        secret=dev.app_password,
    )
    return dev


def author_feed(dev: Any) -> list[str]:
    """The texts of the account's posts as the PDS holds them."""
    from atproto import Client

    client = Client(base_url=dev.pds_url)
    client.login(dev.handle, dev.password)
    records = client.com.atproto.repo.list_records(
        {"repo": client.me.did, "collection": "app.bsky.feed.post", "limit": 100}
    )
    return [r.value.text for r in records.records]


@pytest.fixture
def within_hours(clock: Any) -> Any:
    """Now is a weekday noon in Japan, within every account's hours (新城市 posts only on weekdays; hours have
    their own tests): the real hours check runs, on the tests' clock."""
    return clock
