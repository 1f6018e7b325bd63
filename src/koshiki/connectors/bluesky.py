"""Publishing to Bluesky (any AT Protocol PDS) through the ``atproto`` SDK.

Idempotency: the record key (rkey) of a post is ``tid.tid_for_key(idempotency_key)``. A PDS keeps
one record per (collection, rkey): creating a second one under the same rkey fails (the PDS
answers HTTP 500 ``InternalServerError``: its repository tree refuses the duplicate key). So
``publish`` creates the record under that rkey and, when the creation fails for any reason but
credentials, reads the rkey back: if the record is there, the post was published before (by an
earlier attempt whose answer was lost, or by this one) and its ref is returned. A retry can thus
never post twice, and ``find_published`` reconciles a crash between the platform accepting the
post and the caller committing that fact.

The SDK ships no type hints, so its objects are ``Any`` here; values leaving this module are
converted to ``str`` and dataclasses.

Not thread-safe: use one connector per thread (it holds one HTTP client and one session).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from atproto import AtUri, Client, Session, SessionEvent, models
from atproto_client import exceptions as xrpc
from atproto_client.request import Request
from atproto_core.exceptions import AtProtocolError

from .base import (
    AuthenticationError,
    ConnectorError,
    MediaItem,
    NotFoundError,
    OutgoingPost,
    PermanentPlatformError,
    PublishedRef,
    Reply,
    TransientPlatformError,
)
from .outbound import OutboundGuard
from .sanitize import scrub
from .tid import tid_for_key

log = logging.getLogger(__name__)

POST = "app.bsky.feed.post"
PROFILE = "app.bsky.actor.profile"
IMAGES = "app.bsky.embed.images"
MAX_IMAGES = 4  # app.bsky.embed.images#main: maxLength 4
WEB_APP = "https://bsky.app"
THREAD_VIEW_POST = "app.bsky.feed.defs#threadViewPost"

T = TypeVar("T")


class _Secret:
    """Keeps the app password out of reprs, tracebacks with locals, and error reports."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<secret>"


# ---------------------------------------------------------------------------------------------
# Rich text: Bluesky shows links and hashtags only where the record carries facets, located by
# UTF-8 byte offsets (not characters: a Japanese character is 3 bytes).

# Only URL characters of ASCII: Japanese text often runs straight on after a URL ("…/をご覧ください").
_URL_RE = re.compile(r"(?<![A-Za-z0-9])https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_URL_TRAILING = ".,;:!?'\""
_HASH_MARKS = "#\uff03"  # '#' and the full-width '＃' Japanese keyboards type
_INVISIBLE = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_TAG_PUNCTUATION_KEPT = "_-"
MAX_TAG_LENGTH = 64  # app.bsky.richtext.facet#tag: maxGraphemes 64


def _links(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _URL_RE.finditer(text):
        url = match.group()
        # Trailing punctuation and an unbalanced ")" end the sentence, not the URL (as the app does).
        while url and (url[-1] in _URL_TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
            url = url[:-1]
        if urlsplit(url).hostname:
            yield match.start(), match.start() + len(url), url


def _is_tag_char(char: str) -> bool:
    if char.isspace() or char in _INVISIBLE:
        return False
    return unicodedata.category(char)[0] != "P" or char in _TAG_PUNCTUATION_KEPT


def _tags(text: str) -> Iterator[tuple[int, int, str]]:
    """Hashtags as Bluesky's app finds them: '#' or '＃' at the start or after white space (the
    ideographic space too), up to white space or punctuation (so "#防災、" is the tag 防災), not
    all digits, at most 64 characters; "#️⃣" (keycap) is an emoji, not a tag."""
    for start, char in enumerate(text):
        if char not in _HASH_MARKS or (start > 0 and not text[start - 1].isspace()):
            continue
        end = start + 1
        if text[end : end + 1] == "\ufe0f":
            continue
        while end < len(text) and _is_tag_char(text[end]):
            end += 1
        tag = text[start + 1 : end]
        if tag.strip("0123456789") and len(tag) <= MAX_TAG_LENGTH:
            yield start, end, tag


def detect_facets(text: str) -> list[dict[str, Any]]:
    """``app.bsky.richtext.facet`` objects (JSON form) for the links and hashtags in ``text``."""
    spans: list[tuple[int, int, dict[str, str]]] = [
        (start, end, {"$type": "app.bsky.richtext.facet#link", "uri": url})
        for start, end, url in _links(text)
    ]
    spans += [
        (start, end, {"$type": "app.bsky.richtext.facet#tag", "tag": tag})
        for start, end, tag in _tags(text)
        if not any(s <= start < e for s, e, _ in spans)
    ]
    spans.sort(key=lambda span: span[0])

    def byte_offset(index: int) -> int:
        return len(text[:index].encode("utf-8"))

    return [
        {"index": {"byteStart": byte_offset(start), "byteEnd": byte_offset(end)}, "features": [feature]}
        for start, end, feature in spans
    ]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def post_url(handle: str, rkey: str) -> str:
    """The post's page on the Bluesky web app."""
    return f"{WEB_APP}/profile/{handle}/post/{rkey}"


# ---------------------------------------------------------------------------------------------
# Errors: the SDK raises per HTTP status; the product needs "retry later" or "a person must act".

_AUTH_ERRORS = frozenset(
    {
        "AuthenticationRequired",
        "ExpiredToken",
        "InvalidToken",
        "AccountTakedown",
        "AccountDeactivated",
        "AuthFactorTokenRequired",
        "AuthMissing",
    }
)


def _xrpc_error(response: Any) -> tuple[str, str]:
    content = response.content
    error = getattr(content, "error", None)
    message = getattr(content, "message", None)
    return str(error or ""), str(message or "")


def map_error(exc: BaseException, action: str, secrets: tuple[str, ...] = ()) -> ConnectorError:
    """The connector error for an SDK or transport exception. Messages hold only the action, the
    status and the server's error name and message (never a request body), cleaned by
    ``sanitize.clean_error``: the server's text may echo tokens, headers or ``secrets``."""
    return scrub(_map_error(exc, action), secrets)


def _map_error(exc: BaseException, action: str) -> ConnectorError:
    if isinstance(exc, ConnectorError):
        return exc
    response = getattr(exc, "response", None)
    if isinstance(exc, xrpc.RequestErrorBase) and response is not None:
        status = int(response.status_code)
        error, message = _xrpc_error(response)
        detail = (
            f"{action} failed: HTTP {status}"
            + (f" {error}" if error else "")
            + (f": {message}" if message else "")
        )
        if isinstance(exc, xrpc.RateLimitExceededError):
            retry_after = exc.retry_after
            if retry_after is None and exc.reset_at is not None:
                retry_after = max((exc.reset_at - datetime.now(UTC)).total_seconds(), 0.0)
            return TransientPlatformError(detail, retry_after=retry_after)
        if status in (401, 403) or error in _AUTH_ERRORS:
            return AuthenticationError(detail)
        if status in (408, 409, 425) or status >= 500 or error == "InvalidSwap":
            return TransientPlatformError(detail)  # InvalidSwap: lost a race, read again and retry
        if error in ("NotFound", "RecordNotFound") or status == 404:
            return NotFoundError(detail)
        return PermanentPlatformError(detail)
    if isinstance(exc, xrpc.NetworkError | httpx.HTTPError | OSError):
        cause = exc.__cause__ or exc
        return TransientPlatformError(f"{action} failed: {type(cause).__name__}: {cause}")
    if isinstance(exc, xrpc.LoginRequiredError):
        return AuthenticationError(f"{action} failed: not logged in")
    return PermanentPlatformError(f"{action} failed: {type(exc).__name__}: {exc}")


_SDK_ERRORS = (AtProtocolError, httpx.HTTPError, OSError)


def _is_record_not_found(exc: BaseException) -> bool:
    response = getattr(exc, "response", None)
    return (
        isinstance(exc, xrpc.RequestErrorBase)
        and response is not None
        and (_xrpc_error(response)[0] == "RecordNotFound" or response.status_code == 404)
    )


# ---------------------------------------------------------------------------------------------


class _PinnedClient(Client):  # type: ignore[misc]  # the SDK is untyped
    """An SDK client that stays on the server it was given. The stock client moves to the PDS that
    the account's DID document names (after a login or from a stored session); here the tokens go
    only to the address the secret was entered for and the guard checked, not to one chosen by
    whoever controls the DID document."""

    def _update_pds_endpoint(self, pds_endpoint: str) -> None:
        pass


class BlueskyConnector:
    """One Bluesky account, logged in with an app password.

    Logs in lazily on first use. ``session_string`` (from an earlier ``on_session_change``) is
    used instead of logging in again (createSession is rate limited and slow); each new session
    string, after a login or a token refresh, goes to ``on_session_change`` so the caller can
    store it, encrypted. A stored session that no longer works is replaced by one password login.

    ``guard`` (``outbound.OutboundGuard``) decides which addresses may be contacted; the default
    admits public https servers only. A refused address raises ``OutboundRefused`` (permanent)
    before anything, password included, is sent.
    """

    def __init__(
        self,
        service_url: str,
        identifier: str,
        app_password: str,
        session_string: str | None = None,
        on_session_change: Callable[[str], None] | None = None,
        *,
        timeout: float = 30.0,
        guard: OutboundGuard | None = None,
    ) -> None:
        self._service_url = service_url.rstrip("/")
        self._identifier = identifier
        self._password = _Secret(app_password)
        self._session_string = session_string
        self._on_session_change = on_session_change
        self._timeout = timeout
        self._guard = guard or OutboundGuard()  # no allow-list: public https only
        self._client: Any = None
        self._from_stored_session = False
        self._did = ""
        self._handle = ""

    def __repr__(self) -> str:
        return f"BlueskyConnector({self._service_url!r}, {self._identifier!r})"

    # -- session ---------------------------------------------------------------------------

    def _session_changed(self, event: Any, session: Any) -> None:
        self._did, self._handle = str(session.did), str(session.handle)
        if event in (SessionEvent.CREATE, SessionEvent.REFRESH) and self._on_session_change is not None:
            self._on_session_change(str(session.export()))

    def _new_client(self) -> Any:
        # Every request (login, XRPC calls, redirects, the PDS the DID document names) goes through
        # the guard's transport: checked addresses only, pinned per connection, no proxies from env.
        request = Request(timeout=self._timeout, transport=self._guard.transport())
        client = _PinnedClient(base_url=self._service_url, request=request)
        client.on_session_change(self._session_changed)
        return client

    def _login(self) -> Any:
        if self._client is not None:
            return self._client
        client = self._new_client()
        if self._session_string:
            try:
                Session.decode(self._session_string)  # raises on a malformed string
                client.login(session_string=self._session_string, fetch_bsky_profile=False)
            except Exception:  # any unusable stored session: log in afresh below
                log.warning("stored Bluesky session for %s is unusable; logging in again", self._identifier)
                client = self._new_client()
            else:
                self._client, self._from_stored_session = client, True
                return client
        try:
            client.login(self._identifier, self._password.value, fetch_bsky_profile=False)
        except _SDK_ERRORS as exc:
            raise map_error(
                exc, f"login as {self._identifier}", self._secrets()
            ) from None  # no frames holding the password
        self._client, self._from_stored_session = client, False
        return client

    def _call(self, action: str, operation: Callable[[Any], T]) -> T:
        """Run ``operation(client)``, mapping errors; retry once after a fresh login when a stored
        session turns out to be expired or revoked."""
        client = self._login()
        try:
            return operation(client)
        except _SDK_ERRORS as exc:
            error = map_error(exc, action, self._secrets())
            if not (isinstance(error, AuthenticationError) and self._from_stored_session):
                # the cleaned message only: the SDK's exception holds the raw server text
                raise error from None
        log.info("stored Bluesky session for %s was refused; logging in again", self._identifier)
        self._client, self._session_string = None, None
        client = self._login()
        try:
            return operation(client)
        except _SDK_ERRORS as exc:
            raise map_error(exc, action, self._secrets()) from None

    def _secrets(self) -> tuple[str, ...]:
        """What must never appear in an error: the app password and the stored session's tokens."""
        return tuple(s for s in (self._password.value, self._session_string) if s)

    def close(self) -> None:
        """Close the HTTP connections (the session string stays valid)."""
        if self._client is not None:
            self._client.request.close()
            self._client = None

    @property
    def did(self) -> str:
        """The account's DID (logs in if needed)."""
        self._login()
        return self._did

    @property
    def handle(self) -> str:
        """The account's handle (logs in if needed)."""
        self._login()
        return self._handle

    # -- records ---------------------------------------------------------------------------

    def _ref(self, uri: str) -> PublishedRef:
        return PublishedRef(remote_id=uri, url=post_url(self._handle, AtUri.from_str(uri).rkey))

    def _get_post(self, client: Any, rkey: str) -> PublishedRef | None:
        try:
            record = client.com.atproto.repo.get_record(
                models.ComAtprotoRepoGetRecord.Params(repo=self._did, collection=POST, rkey=rkey)
            )
        except xrpc.RequestErrorBase as exc:
            if _is_record_not_found(exc):
                return None
            raise
        return self._ref(str(record.uri))

    def _upload(self, client: Any, item: MediaItem) -> dict[str, Any]:
        response = client.com.atproto.repo.upload_blob(item.data, headers={"Content-Type": item.mime_type})
        blob: dict[str, Any] = models.get_model_as_dict(response.blob)
        return blob

    def _post_record(self, text: str, images: list[tuple[MediaItem, dict[str, Any]]]) -> dict[str, Any]:
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": _now()}
        facets = detect_facets(text)
        if facets:
            record["facets"] = facets
        if images:
            record["embed"] = {
                "$type": IMAGES,
                "images": [{"alt": item.alt, "image": blob} for item, blob in images],
            }
        return record

    def publish(self, post: OutgoingPost) -> PublishedRef:
        """Publish ``post`` under the rkey of its idempotency key, or return the post already there."""
        if len(post.media) > MAX_IMAGES:
            raise PermanentPlatformError(f"Bluesky takes at most {MAX_IMAGES} images, not {len(post.media)}")
        rkey = tid_for_key(post.idempotency_key)

        def run(client: Any) -> PublishedRef:
            images = [(item, self._upload(client, item)) for item in post.media]
            data = models.ComAtprotoRepoCreateRecord.Data(
                repo=self._did, collection=POST, rkey=rkey, record=self._post_record(post.text, images)
            )
            try:
                created = client.com.atproto.repo.create_record(data)
            except _SDK_ERRORS as exc:
                if isinstance(map_error(exc, "publish"), AuthenticationError):
                    raise
                # A duplicate rkey (HTTP 500), or an answer lost on the way back: was it published?
                try:
                    existing = self._get_post(client, rkey)
                except _SDK_ERRORS:
                    existing = None
                if existing is None:
                    raise
                log.info("post %s was already published as %s", post.idempotency_key, existing.remote_id)
                return existing
            return self._ref(str(created.uri))

        return self._call("publish", run)

    def find_published(self, idempotency_key: str) -> PublishedRef | None:
        """The post under the rkey of ``idempotency_key``, or None when there is none."""
        rkey = tid_for_key(idempotency_key)
        return self._call("find published post", lambda client: self._get_post(client, rkey))

    def delete(self, remote_id: str) -> None:
        """Delete a post of this account by its at:// URI; a post already gone is fine."""
        uri = self._own_post_uri(remote_id)

        def run(client: Any) -> None:
            client.com.atproto.repo.delete_record(
                models.ComAtprotoRepoDeleteRecord.Data(
                    repo=self._did, collection=uri.collection, rkey=uri.rkey
                )
            )

        self._call("delete", run)

    def _own_post_uri(self, remote_id: str) -> Any:
        try:
            uri = AtUri.from_str(remote_id)
        except Exception as exc:  # the SDK raises plain exceptions on bad URIs
            raise PermanentPlatformError(f"not an at:// post URI: {remote_id!r}") from exc
        self._login()
        if uri.collection != POST or uri.host not in (self._did, self._handle):
            raise PermanentPlatformError(f"not a post of {self._identifier}: {remote_id}")
        return uri

    def update_profile_description(self, text: str) -> None:
        """Rewrite the profile record with a new description, keeping every other field (display
        name, avatar, banner, pinned post…) as it is; the write is conditional on the record read,
        so a concurrent edit makes it fail as transient instead of being overwritten."""

        def run(client: Any) -> None:
            params = models.ComAtprotoRepoGetRecord.Params(repo=self._did, collection=PROFILE, rkey="self")
            try:
                # The raw JSON, not the SDK model: fields the SDK does not know survive the rewrite.
                content = client.invoke_query("com.atproto.repo.getRecord", params=params).content
                record, swap = dict(content["value"]), str(content["cid"])
            except xrpc.RequestErrorBase as exc:
                if not _is_record_not_found(exc):
                    raise
                record, swap = {"$type": PROFILE}, None
            record["description"] = text
            client.com.atproto.repo.put_record(
                models.ComAtprotoRepoPutRecord.Data(
                    repo=self._did, collection=PROFILE, rkey="self", record=record, swap_record=swap
                )
            )

        self._call("update profile", run)

    # -- reading (AppView) -------------------------------------------------------------------

    def replies(self, remote_id: str) -> list[Reply]:
        """Every reply under the post, depth first in thread order (from the AppView, so replies
        appear there a moment after they are made)."""

        def run(client: Any) -> list[Reply]:
            response = client.app.bsky.feed.get_post_thread(
                models.AppBskyFeedGetPostThread.Params(uri=remote_id, depth=1000, parent_height=0)
            )
            if getattr(response.thread, "py_type", None) != THREAD_VIEW_POST:
                raise NotFoundError(f"replies failed: post {remote_id} is not visible")
            return list(_flatten(response.thread))

        return self._call("replies", run)


def _flatten(node: Any) -> Iterator[Reply]:
    for child in node.replies or ():
        if getattr(child, "py_type", None) != THREAD_VIEW_POST:
            continue  # not found, blocked
        post = child.post
        uri = AtUri.from_str(str(post.uri))
        yield Reply(
            remote_id=str(post.uri),
            author_handle=str(post.author.handle),
            text=str(getattr(post.record, "text", "")),
            created_at=str(getattr(post.record, "created_at", "")),
            url=post_url(str(post.author.handle), str(uri.rkey)),
        )
        yield from _flatten(child)
