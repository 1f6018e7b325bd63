"""The Bluesky connector against a real local AT Protocol network (PLC, PDS, AppView).

Reads go through the AppView, which indexes writes a moment later: they poll (wait_until).
"""

from __future__ import annotations

import logging
import struct
import zlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from atproto import Client, Session, models
from atproto_client import exceptions as xrpc
from atproto_client.models.common import XrpcError
from atproto_client.request import Response

from koshiki.connectors import (
    AuthenticationError,
    Connector,
    MediaItem,
    NotFoundError,
    OutgoingPost,
    PermanentPlatformError,
    TransientPlatformError,
)
from koshiki.connectors.bluesky import POST, PROFILE, BlueskyConnector, detect_facets, map_error
from koshiki.connectors.devnet import DevAccount, guard_for, wait_until
from koshiki.connectors.tid import tid_for_key

bluesky = pytest.mark.bluesky


def connector_for(account: DevAccount, **kwargs: Any) -> BlueskyConnector:
    return BlueskyConnector(
        account.pds_url, account.handle, account.app_password, guard=guard_for(account.pds_url), **kwargs
    )


def reader(account: DevAccount) -> Any:
    """A plain SDK client of the account (main password) to check what the platform holds."""
    client = Client(base_url=account.pds_url)
    client.login(account.handle, account.password, fetch_bsky_profile=False)
    return client


def feed_post(client: Any, account: DevAccount, uri: str) -> Any:
    """The post as the AppView serves it in the author feed, once indexed."""

    def find() -> Any:
        feed = client.get_author_feed(account.did).feed
        return next((item.post for item in feed if item.post.uri == uri), None)

    return wait_until(find, timeout=10)


def count_posts(client: Any, account: DevAccount) -> int:
    listed = client.com.atproto.repo.list_records(
        models.ComAtprotoRepoListRecords.Params(repo=account.did, collection=POST, limit=100)
    )
    return len(listed.records)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + b"\x1e\x90\xff" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def facet_texts(text: str, facets: list[dict[str, Any]]) -> list[str]:
    data = text.encode("utf-8")
    return [data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode("utf-8") for f in facets]


# -- rich text (no network) ------------------------------------------------------------------


def test_facets_use_utf8_byte_offsets_for_japanese_text() -> None:
    text = "お知らせ https://www.city.iwaki.lg.jp/page.html?id=1&x=(a) をご覧ください。\n#いわき市　＃防災、#2024 #️⃣"  # noqa: E501
    facets = detect_facets(text)
    assert facet_texts(text, facets) == [
        "https://www.city.iwaki.lg.jp/page.html?id=1&x=(a)",
        "#いわき市",
        "＃防災",
    ]
    assert facets[0]["features"] == [
        {"$type": "app.bsky.richtext.facet#link", "uri": "https://www.city.iwaki.lg.jp/page.html?id=1&x=(a)"}
    ]
    assert [f["features"][0].get("tag") for f in facets[1:]] == ["いわき市", "防災"]
    assert facets[1]["index"]["byteStart"] == len(text[: text.index("#いわき市")].encode())


def test_links_stop_at_japanese_text_and_sentence_punctuation() -> None:
    text = "詳細はhttps://example.jp/a/をご覧ください（https://example.jp/b）. See https://example.jp/c."
    assert facet_texts(text, detect_facets(text)) == [
        "https://example.jp/a/",
        "https://example.jp/b",
        "https://example.jp/c",
    ]
    assert detect_facets("no#tag here, mail#x, https:// alone, http:/x") == []


def test_error_mapping() -> None:
    def response(status: int, error: str = "", headers: dict[str, str] | None = None) -> Response:
        return Response(False, status, XrpcError(error=error, message="m") if error else None, headers or {})

    assert isinstance(
        map_error(xrpc.RequestException(response(500, "InternalServerError")), "x"), TransientPlatformError
    )
    assert isinstance(map_error(xrpc.NetworkError(response(502)), "x"), TransientPlatformError)
    assert isinstance(map_error(xrpc.NetworkError(response(413)), "x"), PermanentPlatformError)
    assert isinstance(map_error(httpx.ConnectError("refused"), "x"), TransientPlatformError)
    assert isinstance(
        map_error(xrpc.BadRequestError(response(400, "InvalidRequest")), "x"), PermanentPlatformError
    )
    assert isinstance(
        map_error(xrpc.BadRequestError(response(400, "ExpiredToken")), "x"), AuthenticationError
    )
    assert isinstance(
        map_error(xrpc.BadRequestError(response(400, "InvalidSwap")), "x"), TransientPlatformError
    )
    assert isinstance(
        map_error(xrpc.UnauthorizedError(response(401, "AuthenticationRequired")), "x"), AuthenticationError
    )
    limited = map_error(
        xrpc.RateLimitExceededError(response(429, "RateLimitExceeded", {"retry-after": "7"})), "x"
    )
    assert isinstance(limited, TransientPlatformError) and limited.retry_after == 7.0
    assert str(limited) == "x failed: HTTP 429 RateLimitExceeded: m"


def test_more_than_four_images_refused_before_any_request() -> None:
    connector = BlueskyConnector("http://127.0.0.1:9", "nobody.test", "unused")
    image = MediaItem(tiny_png(), "image/png", "図")
    with pytest.raises(PermanentPlatformError, match="at most 4"):
        connector.publish(OutgoingPost("5 images", "k", (image,) * 5))


# -- against the local network ---------------------------------------------------------------


@bluesky
def test_publish_japanese_post_with_link_and_hashtags(bsky_account: DevAccount) -> None:
    sessions: list[str] = []
    connector = connector_for(bsky_account, on_session_change=sessions.append)
    assert isinstance(connector, Connector)
    text = "【お知らせ】いわき市の防災情報は https://www.city.iwaki.lg.jp/bousai/ をご覧ください。 #いわき市 ＃防災"  # noqa: E501

    ref = connector.publish(OutgoingPost(text, "post-1-attempt-a"))

    rkey = tid_for_key("post-1-attempt-a")
    assert ref.remote_id == f"at://{bsky_account.did}/{POST}/{rkey}"
    assert ref.url == f"https://bsky.app/profile/{bsky_account.handle}/post/{rkey}"
    post = feed_post(reader(bsky_account), bsky_account, ref.remote_id)
    assert post.record.text == text
    data = text.encode()
    found = {
        data[f.index.byte_start : f.index.byte_end].decode(): (
            f.features[0].py_type,
            getattr(f.features[0], "uri", None) or f.features[0].tag,
        )
        for f in post.record.facets
    }
    assert found == {
        "https://www.city.iwaki.lg.jp/bousai/": (
            "app.bsky.richtext.facet#link",
            "https://www.city.iwaki.lg.jp/bousai/",
        ),
        "#いわき市": ("app.bsky.richtext.facet#tag", "いわき市"),
        "＃防災": ("app.bsky.richtext.facet#tag", "防災"),
    }
    assert len(sessions) == 1 and Session.decode(sessions[0]).did == bsky_account.did  # reported for storage


@bluesky
@pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")  # the SDK's uploadBlob call
def test_image_with_alt_text(bsky_account: DevAccount) -> None:
    connector = connector_for(bsky_account)
    alt = "避難所の地図（青い印が避難所）"
    ref = connector.publish(
        OutgoingPost("避難所の地図です", "post-2", (MediaItem(tiny_png(), "image/png", alt),))
    )

    post = feed_post(reader(bsky_account), bsky_account, ref.remote_id)
    assert post.embed.py_type == "app.bsky.embed.images#view"
    assert [image.alt for image in post.embed.images] == [alt]
    assert post.record.embed.images[0].image.mime_type == "image/png"


@bluesky
def test_same_idempotency_key_publishes_once(
    bsky_account: DevAccount, caplog: pytest.LogCaptureFixture
) -> None:
    sessions: list[str] = []
    first = connector_for(bsky_account, on_session_change=sessions.append).publish(
        OutgoingPost("一度だけ", "post-3")
    )
    # Another worker retries after a crash: same key, its own connector, the stored session (its
    # password is not even needed), a text edited in between. The PDS keeps the first post.
    retry = BlueskyConnector(
        bsky_account.pds_url,
        bsky_account.handle,
        "not-needed",
        session_string=sessions[0],
        guard=guard_for(bsky_account.pds_url),
    )
    with caplog.at_level(logging.INFO, logger="koshiki.connectors.bluesky"):
        again = retry.publish(OutgoingPost("一度だけ（再送）", "post-3"))

    assert again == first
    assert "already published" in caplog.text  # the PDS refused the duplicate rkey; the record was read back
    client = reader(bsky_account)
    assert count_posts(client, bsky_account) == 1
    record = client.com.atproto.repo.get_record(
        models.ComAtprotoRepoGetRecord.Params(
            repo=bsky_account.did, collection=POST, rkey=tid_for_key("post-3")
        )
    )
    assert record.value.text == "一度だけ"
    retry.publish(OutgoingPost("別の投稿", "post-4"))
    assert count_posts(client, bsky_account) == 2


@bluesky
def test_find_published_reconciles(bsky_account: DevAccount) -> None:
    connector = connector_for(bsky_account)
    assert connector.find_published("post-5") is None
    ref = connector.publish(OutgoingPost("確認", "post-5"))
    # A fresh process that crashed before recording `ref` finds it again by the key alone.
    assert connector_for(bsky_account).find_published("post-5") == ref
    assert connector.find_published("post-6") is None


@bluesky
def test_delete(bsky_account: DevAccount) -> None:
    connector = connector_for(bsky_account)
    ref = connector.publish(OutgoingPost("削除します", "post-7"))
    connector.delete(ref.remote_id)
    assert connector.find_published("post-7") is None
    connector.delete(ref.remote_id)  # already gone: fine
    with pytest.raises(PermanentPlatformError):
        connector.delete(f"at://did:plc:someoneelse/{POST}/{tid_for_key('post-7')}")


@bluesky
def test_update_profile_description_keeps_display_name(bsky_account: DevAccount) -> None:
    connector = connector_for(bsky_account)
    connector.update_profile_description("最初の説明")  # no profile record yet: created
    client = reader(bsky_account)

    def profile_record() -> Any:
        return client.com.atproto.repo.get_record(
            models.ComAtprotoRepoGetRecord.Params(repo=bsky_account.did, collection=PROFILE, rkey="self")
        ).value

    assert profile_record().description == "最初の説明"
    client.com.atproto.repo.put_record(
        models.ComAtprotoRepoPutRecord.Data(
            repo=bsky_account.did,
            collection=PROFILE,
            rkey="self",
            record={"$type": PROFILE, "displayName": "いわき市 危機管理課", "description": "古い説明"},
        )
    )

    connector.update_profile_description(
        "いわき市危機管理課の公式アカウントです。運用方針: https://www.city.iwaki.lg.jp/"
    )

    record = profile_record()
    assert record.display_name == "いわき市 危機管理課"
    assert record.description.startswith("いわき市危機管理課の公式アカウント")
    profile = wait_until(
        lambda: (p := client.get_profile(bsky_account.did)).description == record.description and p,
        timeout=10,
    )
    assert profile.display_name == "いわき市 危機管理課"


@bluesky
def test_replies_from_other_accounts(
    bsky_account: DevAccount, make_account: Callable[[str], DevAccount]
) -> None:
    connector = connector_for(bsky_account)
    ref = connector.publish(OutgoingPost("ご意見をお寄せください", "post-8"))
    resident = make_account("resident")
    resident_client = reader(resident)
    own_client = reader(bsky_account)

    def strong_ref(client: Any, uri: str) -> dict[str, str]:
        did, _collection, rkey = uri.removeprefix("at://").split("/")
        record = client.com.atproto.repo.get_record(
            models.ComAtprotoRepoGetRecord.Params(repo=did, collection=POST, rkey=rkey)
        )
        return {"uri": uri, "cid": str(record.cid)}

    root = strong_ref(own_client, ref.remote_id)

    def reply(client: Any, account: DevAccount, parent_uri: str, text: str) -> str:
        parent = strong_ref(client, parent_uri)
        created = client.com.atproto.repo.create_record(
            models.ComAtprotoRepoCreateRecord.Data(
                repo=account.did,
                collection=POST,
                record={
                    "$type": POST,
                    "text": text,
                    "createdAt": client.get_current_time_iso(),
                    "reply": {"root": root, "parent": parent},
                },
            )
        )
        return str(created.uri)

    question = reply(resident_client, resident, ref.remote_id, "避難所はどこですか？")
    answer = reply(own_client, bsky_account, question, "市のウェブサイトの地図をご覧ください。")

    replies = wait_until(lambda: len(r := connector.replies(ref.remote_id)) == 2 and r, timeout=10)
    assert [(r.remote_id, r.author_handle, r.text) for r in replies] == [
        (question, resident.handle, "避難所はどこですか？"),
        (answer, bsky_account.handle, "市のウェブサイトの地図をご覧ください。"),
    ]
    assert replies[0].url == f"https://bsky.app/profile/{resident.handle}/post/{question.rsplit('/', 1)[1]}"
    assert replies[0].created_at.startswith("20")
    with pytest.raises(NotFoundError):
        connector.replies(f"at://{bsky_account.did}/{POST}/{tid_for_key('never-published')}")


@bluesky
def test_wrong_app_password(bsky_account: DevAccount) -> None:
    secret = "wxyz-wxyz-wxyz-wxyz"
    connector = BlueskyConnector(
        bsky_account.pds_url, bsky_account.handle, secret, guard=guard_for(bsky_account.pds_url)
    )
    with pytest.raises(AuthenticationError) as raised:
        connector.publish(OutgoingPost("出ません", "post-9"))
    assert (
        secret not in str(raised.value) and secret not in repr(raised.value) and secret not in repr(connector)
    )
    assert "Invalid identifier or password" in str(raised.value)
    assert raised.value.__cause__ is None


@bluesky
def test_refused_stored_session_falls_back_to_password(bsky_account: DevAccount) -> None:
    sessions: list[str] = []
    connector_for(bsky_account, on_session_change=sessions.append).find_published("x")
    stored = Session.decode(sessions[0])
    head, payload, _signature = stored.access_jwt.split(".")
    stored.access_jwt = f"{head}.{payload}.AAAA"  # tampered: the PDS refuses it
    connector = connector_for(bsky_account, session_string=stored.export(), on_session_change=sessions.append)

    assert connector.publish(OutgoingPost("再ログイン", "post-10")).remote_id.endswith(tid_for_key("post-10"))
    assert len(sessions) == 2 and sessions[1] != sessions[0]  # the new session is reported

    garbage = connector_for(bsky_account, session_string="not a session")
    assert garbage.find_published("post-10") is not None
