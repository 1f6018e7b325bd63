"""One chat-completions request to a body's OpenAI-compatible endpoint, through the outbound guard.

The endpoint's base URL is data a 広報主管課 member typed in and the worker sends an API key to it, so,
like a channel's server, it goes through ``OutboundGuard``: https and public addresses only (or an origin
on the operator's allow-list), the connection pinned to the checked address, redirects not followed.
``timeout`` bounds the whole exchange (connect, send, every read), not each read: an endpoint that
drips its answer a byte at a time cannot hold the worker past it (and so past the review's claim).
The answer is asked for and read uncompressed (a few kilobytes of zstd or gzip can inflate to gigabytes
in one read), up to ``max_bytes`` (a larger one is refused unread), and every failure is an
``AIEndpointError`` with a short ``reason`` code the product words for people (``down``, ``timeout``,
``refused``, ``status``, ``too_large``, ``garbage``). The key never appears in a message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from .outbound import Connect, OutboundGuard, OutboundRefused
from .sanitize import clean_error

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 256 * 1024


class AIEndpointError(Exception):
    """The endpoint could not give a usable answer. ``reason``: down, timeout, refused, status,
    too_large, garbage; ``detail``: a cleaned technical note (no key, no control characters)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def completions_url(base_url: str) -> str:
    return base_url.rstrip("/") + "/chat/completions"


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake gets only the time left before ``deadline``
    (time.monotonic()): the total, not a per-read, bound."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the exchange took longer than its total time limit")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname, self._left(timeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _deadline_connect(deadline: float) -> Connect:
    """The pinned backend's connect, with the connection bound by ``deadline``."""
    backend = httpcore.SyncBackend()

    def connect(
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the exchange took longer than its total time limit")
        stream = backend.connect_tcp(
            host,
            port,
            timeout=left if timeout is None else min(timeout, left),
            local_address=local_address,
            socket_options=socket_options,
        )
        return _DeadlineStream(stream, deadline)

    return connect


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise AIEndpointError("too_large", f"answer of {declared} bytes")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise AIEndpointError("garbage", "a compressed answer was sent though none was asked for")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > max_bytes:
            raise AIEndpointError("too_large", f"answer over {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _content(raw: bytes) -> str:
    """The first choice's message content, or AIEndpointError('garbage')."""
    try:
        data: Any = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise AIEndpointError("garbage", "the answer is not JSON") from exc
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise AIEndpointError("garbage", "the answer has no choices[0].message.content") from exc
    if not isinstance(content, str):
        raise AIEndpointError("garbage", "the message content is not text")
    return content


def chat_completion(
    *,
    guard: OutboundGuard,
    base_url: str,
    api_key: str,
    model: str,
    messages: list[dict[str, str]],
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> str:
    """POST {base}/chat/completions (temperature 0, JSON object asked for); the reply's content text."""
    url = completions_url(base_url)
    payload = {
        "model": model,
        "messages": messages,
        "temperature": 0,
        "response_format": {"type": "json_object"},
    }
    headers = {
        "Authorization": f"Bearer {api_key}",
        "Accept": "application/json",
        "Accept-Encoding": "identity",
    }
    secrets = (api_key,)
    deadline = time.monotonic() + timeout
    try:
        guard.check_url(url)
        transport = guard.transport(connect=_deadline_connect(deadline))
        with (
            httpx.Client(
                transport=transport, timeout=httpx.Timeout(timeout), follow_redirects=False
            ) as client,
            client.stream("POST", url, json=payload, headers=headers) as response,
        ):
            if response.status_code != 200:
                raise AIEndpointError("status", f"HTTP {response.status_code}")
            raw = _read_capped(response, max_bytes)
    except AIEndpointError:
        raise
    except OutboundRefused as exc:
        raise AIEndpointError("refused", clean_error(str(exc), secrets)) from None
    except httpx.TimeoutException:
        raise AIEndpointError("timeout", f"no answer within {timeout:g} s") from None
    except (httpx.HTTPError, OSError) as exc:
        raise AIEndpointError("down", clean_error(f"{type(exc).__name__}: {exc}", secrets)) from None
    return _content(raw)
