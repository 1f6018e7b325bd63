"""The one guard for every server-side request to an address someone typed in (SSRF defence).

A channel's server URL (a Bluesky PDS today; X, LINE, Meta, YouTube or an AI endpoint later) is
data an account manager enters, and the worker sends a secret to it. So before any connection:

* the URL is parsed (``urllib.parse``) and validated: ``https`` only, no ``user:pass@``, a host
  that is either a canonical IP literal or a well-formed DNS name. Forms that the C resolver would
  read as an IP address (``2130706433``, ``0177.0.0.1``, ``127.1``, ``0x7f.1``) are refused, and a
  name such as ``127.0.0.1.evil.example`` is a DNS name like any other: it is resolved, never
  prefix-matched;
* the host is resolved and **every** address must be public: loopback, private (RFC 1918, ULA),
  link-local, CGNAT 100.64/10, unspecified, multicast, reserved, documentation, IPv6 forms that
  embed one of those (IPv4-mapped, 6to4, Teredo, NAT64) and cloud metadata addresses are refused;
* the connection goes to the address that was checked (``PinnedBackend``): the name is resolved
  once per connection, checked, and the socket is opened to that IP, while the TLS handshake
  still sends the host name (SNI) and verifies the certificate for it, and the Host header is
  unchanged. A DNS answer that changes between check and connect (rebinding) cannot redirect it;
* ``GuardedTransport`` checks every request, so redirects that httpx follows are checked hop by hop.

The only exception is an operator allow-list of exact origins (``scheme://host:port``), meant for
the local test network (e.g. ``http://127.0.0.1:2583``); an allowed origin may use ``http`` and a
private address, nothing else about it is relaxed (no user info, still pinned).

Django-free; the Django side reads ``settings.KOSHIKI_OUTBOUND_ALLOW`` and passes it in.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from .base import PermanentPlatformError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

DEFAULT_PORTS = {"https": 443, "http": 80}
CGNAT = ipaddress.ip_network("100.64.0.0/10")  # RFC 6598 shared address space (not "private" to ipaddress)
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix: IPv4 in the last 32 bits
# RFC 8215 local-use NAT64: reaches whatever the operator's translator reaches, and for a /48 the IPv4
# is not in the last 32 bits (RFC 6052 section 2.2), so the whole prefix is refused.
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, …
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure WireServer (a public address)
    )
)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_MAX_URL = 2048


class OutboundRefused(PermanentPlatformError):
    """The URL or the address it resolves to may not be contacted. ``reason`` is a short code
    (``scheme``, ``userinfo``, ``host``, ``port``, ``address``, ``resolve``) the UI translates."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"outbound request refused ({reason}): {detail}")
        self.reason = reason


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str  # lower case, ASCII (IDNA), IPv6 without brackets
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


@dataclass(frozen=True)
class Target:
    """A checked URL: its origin and the addresses that were found acceptable for it."""

    origin: Origin
    addresses: tuple[str, ...]


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses of ``host`` (getaddrinfo), in the resolver's order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(ip: IPAddress) -> str | None:
    """Why ``ip`` may not be contacted, or None when it is a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        return "scoped IPv6 address"
    if ip in METADATA:
        return "cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL:
            return "local-use NAT64 prefix (RFC 8215)"
        inner = _embedded_ipv4(ip)
        if inner is not None and (reason := refusal(inner)):
            return f"embeds {inner}: {reason}"
        # a public embedded IPv4 does not make the outer address acceptable: its own checks follow
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("shared address space (CGNAT)", isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _looks_like_legacy_ipv4(host: str) -> bool:
    """True for what inet_aton reads as IPv4 though it is not dotted-quad: 2130706433, 0177.0.0.1, 127.1."""
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True


def normalize_host(raw: str) -> str:
    """The host in the form that is checked and connected to, or OutboundRefused('host')."""
    host = raw.strip("[]") if raw.startswith("[") else raw
    if not host or any(c.isspace() or ord(c) < 0x21 or c in "\\%@/" for c in host):
        raise OutboundRefused("host", f"unusable host {raw!r}")
    if raw.startswith("["):
        ip = _ip_literal(host)
        if not isinstance(ip, ipaddress.IPv6Address):
            raise OutboundRefused("host", f"not an IPv6 address: {raw!r}")
        return str(ip)
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise OutboundRefused("host", f"not a valid internationalized name: {raw!r}") from exc
    host = host.lower()
    ip = _ip_literal(host)
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ip)
    if ip is not None or _looks_like_legacy_ipv4(host):
        raise OutboundRefused("host", f"ambiguous address form {raw!r}")
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise OutboundRefused("host", f"not a valid host name: {raw!r}")
    if labels[-1].isdigit() or labels[-1].startswith("0x"):
        raise OutboundRefused("host", f"ambiguous address form {raw!r}")
    return host


def parse_origin(url: str) -> Origin:
    """Scheme, host and port of ``url``; refuses user info, odd characters and odd hosts."""
    if not isinstance(url, str) or not url or len(url) > _MAX_URL:
        raise OutboundRefused("host", "empty or overlong URL")
    if any(ord(c) < 0x21 or ord(c) == 0x7F or c == "\\" for c in url):
        raise OutboundRefused("host", "control characters, spaces or backslashes in the URL")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OutboundRefused("port", "unparsable URL or port") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise OutboundRefused("scheme", f"scheme {scheme or '(none)'!r}")
    if "@" in parts.netloc:
        raise OutboundRefused("userinfo", "user name or password in the URL")
    if port == 0:
        raise OutboundRefused("port", "port 0")
    hostname = parts.hostname or ""
    return Origin(
        scheme,
        normalize_host(f"[{hostname}]" if ":" in hostname else hostname),
        port or DEFAULT_PORTS[scheme],
    )


def parse_allow(origins: Iterable[str]) -> frozenset[Origin]:
    """The allow-list: exact ``scheme://host:port`` origins, nothing else (no path, no wildcard)."""
    allowed = set()
    for text in origins:
        text = text.strip()
        if not text:
            continue
        parts = urlsplit(text)
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(f"KOSHIKI_OUTBOUND_ALLOW takes origins like http://127.0.0.1:2583, not {text!r}")
        allowed.add(parse_origin(text))
    return frozenset(allowed)


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url``, the form the allow-list takes."""
    return str(parse_origin(url))


class OutboundGuard:
    """Checks URLs and addresses; builds httpx transports that connect only to checked addresses."""

    def __init__(self, allow: Iterable[str] = (), resolver: Resolver | None = None) -> None:
        self.allowed = parse_allow(allow)
        self._resolver = resolver or system_resolver

    def __repr__(self) -> str:
        return f"OutboundGuard(allow={sorted(map(str, self.allowed))})"

    def _allowed_endpoint(self, host: str, port: int) -> bool:
        return any(o.host == host and o.port == port for o in self.allowed)

    def check_origin(self, origin: Origin) -> None:
        """Refuses a plain-http origin unless it is on the allow-list (an allowed host and port
        count only with the scheme listed)."""
        if origin in self.allowed:
            return
        if self._allowed_endpoint(origin.host, origin.port):
            raise OutboundRefused("scheme", f"{origin} is allowed only with the scheme the allow-list names")
        if origin.scheme != "https":
            raise OutboundRefused("scheme", f"only https is allowed, not {origin}")

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``: resolved once, each one checked."""
        host = normalize_host(host if ":" not in host or host.startswith("[") else f"[{host}]")
        literal = _ip_literal(host)
        if literal is not None:
            found = [str(literal)]
        else:
            try:
                found = self._resolver(host, port)
            except OSError as exc:
                raise OutboundRefused("resolve", f"{host} could not be resolved") from exc
            if not found:
                raise OutboundRefused("resolve", f"{host} has no address")
        if self._allowed_endpoint(host, port):
            return found
        for text in found:
            ip = _ip_literal(text)
            reason = "unusable address" if ip is None else refusal(ip)
            if reason:
                raise OutboundRefused("address", f"{host} resolves to {text} ({reason})")
        return found

    def check_url(self, url: str) -> Target:
        """Everything but the connection: parse, scheme, resolve, check the addresses."""
        origin = parse_origin(url)
        self.check_origin(origin)
        return Target(origin, tuple(self.addresses(origin.host, origin.port)))

    def check_request_url(self, url: httpx.URL) -> None:
        """The checks on a request httpx is about to send (the connection itself is pinned)."""
        if url.userinfo:
            raise OutboundRefused("userinfo", "user name or password in the URL")
        scheme = url.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise OutboundRefused("scheme", f"scheme {scheme!r}")
        host = normalize_host(f"[{url.host}]" if ":" in url.host else url.host)
        self.check_origin(Origin(scheme, host, url.port or DEFAULT_PORTS[scheme]))

    def transport(self, **kwargs: Any) -> GuardedTransport:
        return GuardedTransport(self, **kwargs)

    def client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client whose every request (and redirect) goes through this guard."""
        return httpx.Client(transport=self.transport(), **kwargs)


Connect = Callable[..., httpcore.NetworkStream]


class PinnedBackend(httpcore.NetworkBackend):
    """Resolves and checks the host once per connection and opens the socket to that address.

    httpcore still hands the host *name* to TLS (SNI and certificate check) and the Host header."""

    def __init__(self, guard: OutboundGuard, connect: Connect | None = None) -> None:
        self._guard = guard
        self._connect = connect or httpcore.SyncBackend().connect_tcp

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._guard.addresses(host, port)
        except OutboundRefused as exc:
            if exc.reason == "resolve":  # DNS trouble is worth a retry; a refused address is not
                raise httpcore.ConnectError(str(exc)) from None
            raise
        last: Exception | None = None
        for address in addresses:
            try:
                return self._connect(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise OutboundRefused("host", "unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        httpcore.SyncBackend().sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with every request checked and every connection pinned (no proxies)."""

    def __init__(
        self, guard: OutboundGuard, *, connect: Connect | None = None, verify: bool = True, retries: int = 0
    ) -> None:
        super().__init__(verify=verify, trust_env=False, retries=retries)
        self._guard = guard
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            retries=retries,
            network_backend=PinnedBackend(guard, connect),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._guard.check_request_url(request.url)
        return super().handle_request(request)
