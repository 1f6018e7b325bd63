"""The outbound-URL guard (SSRF): every server-side fetch to an address someone typed in.

No real DNS and no real sockets: a fake resolver answers names, and a fake network stream records
where the transport connected, the TLS server name and the bytes sent, and answers canned HTTP.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpcore
import httpx
import pytest

from koshiki.connectors import PermanentPlatformError
from koshiki.connectors.outbound import OutboundGuard, OutboundRefused, origin_of, parse_allow

PUBLIC = "93.184.215.14"
PUBLIC6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"


class FakeResolver:
    """Answers each name from a script: a list of answers is consumed one call at a time."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        answer = self.answers.get(host)
        if answer is None:
            raise OSError(f"no such host {host}")
        if answer and isinstance(answer[0], list):
            return list(answer.pop(0) if len(answer) > 1 else answer[0])
        return list(answer)


def guard(answers: dict[str, Any] | None = None, allow: tuple[str, ...] = ()) -> OutboundGuard:
    return OutboundGuard(allow=allow, resolver=FakeResolver(answers or {"pds.example.jp": [PUBLIC]}))


REFUSED = [
    "http://localhost@127.0.0.2:18082",
    "http://127.0.0.1@169.254.169.254/",
    "https://10.0.0.1",
    "http://127.0.0.1.evil.example",
    "https://127.0.0.1.evil.example",  # a DNS name, resolved (to loopback here), not prefix-matched
    "https://169.254.169.254/latest/meta-data/",
    "https://user:pw@pds.example.jp/",
    "https://@pds.example.jp/",
    "http://pds.example.jp/",  # https only
    "ftp://pds.example.jp/",
    "file:///etc/passwd",
    "https://2130706433/",
    "http://2130706433/",
    "https://0177.0.0.1",
    "https://0x7f.0.0.1/",
    "https://0x7f000001/",
    "https://127.1/",
    "https://127.0.0.1/",
    "https://0.0.0.0/",
    "https://192.168.1.10/",
    "https://172.16.0.1/",
    "https://100.64.0.1/",  # CGNAT
    "https://100.127.255.254/",
    "https://224.0.0.1/",
    "https://240.0.0.1/",
    "https://255.255.255.255/",
    "https://198.18.0.1/",
    "https://192.0.2.1/",
    "https://[::1]/",
    "https://[::]/",
    "https://[fe80::1]/",
    "https://[fd00::1]/",
    "https://[fd00:ec2::254]/",
    "https://[ff02::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://[::ffff:7f00:1]/",
    "https://[::127.0.0.1]/",
    "https://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "https://[64:ff9b:1:a00:1::808:808]/",  # RFC 8215 local-use NAT64 (10.0.0.1 for a /48), not 8.8.8.8
    "https://[64:ff9b:1::808:808]/",  # local-use NAT64, whatever it embeds
    "https://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/",  # Teredo of a public IPv4: the outer is not global
    "https://[2001:db8::1]/",
    "https://[fe80::1%25eth0]/",
    "https://100.100.100.200/",
    "https://168.63.129.16/",  # Azure WireServer: public, but metadata
    "https://pds.example.jp:0/",
    "https://pds.example.jp:99999/",
    "https://pds.example.jp\\@evil.example/",
    "https://pds.example.jp /",
    "https://pds..example.jp/",
    "https://-pds.example.jp/",
    "https://localhost/",
    "https:///",
    "pds.example.jp",
    "",
]


@pytest.mark.parametrize("url", REFUSED)
def test_guard_with_fake_resolver_refuses(url: str) -> None:
    resolver = {
        "pds.example.jp": [PUBLIC],
        "127.0.0.1.evil.example": ["127.0.0.1"],
        "localhost": ["127.0.0.1"],
        "evil.example": [PUBLIC],
    }
    with pytest.raises(OutboundRefused):
        guard(resolver).check_url(url)


def test_refusal_is_a_permanent_platform_error_with_a_reason() -> None:
    with pytest.raises(PermanentPlatformError) as raised:
        guard().check_url("http://localhost@127.0.0.2:18082")
    assert isinstance(raised.value, OutboundRefused) and raised.value.reason == "userinfo"


def test_guard_with_fake_resolver_treats_an_ip_prefix_as_a_dns_name() -> None:
    fake = FakeResolver({"127.0.0.1.evil.example": [PUBLIC]})
    target = OutboundGuard(resolver=fake).check_url("https://127.0.0.1.evil.example/")
    assert fake.calls == ["127.0.0.1.evil.example"] and target.addresses == (PUBLIC,)


def test_guard_with_fake_resolver_refuses_if_any_address_is_private() -> None:
    with pytest.raises(OutboundRefused, match="10.1.2.3"):
        guard({"pds.example.jp": [PUBLIC, "10.1.2.3"]}).check_url("https://pds.example.jp/")
    with pytest.raises(OutboundRefused, match="loopback"):
        guard({"pds.example.jp": ["::1"]}).check_url("https://pds.example.jp/")


def test_guard_with_fake_resolver_accepts_public_https() -> None:
    target = guard({"pds.example.jp": [PUBLIC, PUBLIC6]}).check_url("https://PDS.example.jp/xrpc")
    assert str(target.origin) == "https://pds.example.jp:443" and target.addresses == (PUBLIC, PUBLIC6)
    assert guard().check_url(f"https://[{PUBLIC6}]:8443/").addresses == (PUBLIC6,)


def test_guard_with_fake_resolver_refuses_an_unresolvable_name() -> None:
    with pytest.raises(OutboundRefused) as raised:
        guard({}).check_url("https://nowhere.example.jp/")
    assert raised.value.reason == "resolve"


def test_guard_with_fake_resolver_converts_japanese_names_with_idna() -> None:
    fake = FakeResolver({"xn--wgv71a119e.jp": [PUBLIC]})
    assert OutboundGuard(resolver=fake).check_url("https://日本語.jp/").addresses == (PUBLIC,)
    with pytest.raises(OutboundRefused):  # full-width digits fold to 127.0.0.1
        OutboundGuard(resolver=fake).check_url("https://１２７．０．０．１/")


def test_allow_list_admits_exactly_its_origins() -> None:
    allowed = guard(allow=("http://127.0.0.1:2583",))
    assert allowed.check_url("http://127.0.0.1:2583/xrpc").addresses == ("127.0.0.1",)
    for url in (
        "http://127.0.0.1:2584/",
        "https://127.0.0.1:2583/",
        "http://localhost:2583/",
        "http://user@127.0.0.1:2583/",
        "http://127.0.0.2:2583/",
    ):
        with pytest.raises(OutboundRefused):
            allowed.check_url(url)


def test_allow_list_takes_origins_only() -> None:
    assert origin_of("http://127.0.0.1:2583/") == "http://127.0.0.1:2583"
    for bad in ("http://127.0.0.1:2583/xrpc", "http://127.0.0.1:2583?x=1", "http://u@127.0.0.1:2583"):
        with pytest.raises((ValueError, OutboundRefused)):
            parse_allow([bad])


# -- the transport: pinned connections, TLS name, redirects ---------------------------------------


class FakeStream(httpcore.NetworkStream):
    def __init__(self, log: dict[str, Any], answer: bytes) -> None:
        self.log, self.answer, self.sent = log, answer, b""

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        answer, self.answer = self.answer, b""
        return answer

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.log.setdefault("sent", []).append(buffer)

    def close(self) -> None:
        pass

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        self.log.setdefault("tls", []).append(server_hostname)
        return self

    def get_extra_info(self, info: str) -> Any:
        return None


def fake_network(answers: list[bytes]) -> tuple[dict[str, Any], Any]:
    log: dict[str, Any] = {"connect": []}

    def connect(host: str, port: int, **kwargs: Any) -> httpcore.NetworkStream:
        log["connect"].append((host, port))
        return FakeStream(log, answers.pop(0))

    return log, connect


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


def test_guard_with_fake_resolver_dns_rebinding_connects_to_the_checked_address() -> None:
    fake = FakeResolver({"pds.example.jp": [[PUBLIC], ["127.0.0.1"]]})  # public first, then loopback
    log, connect = fake_network([OK])
    client = httpx.Client(transport=OutboundGuard(resolver=fake).transport(connect=connect))
    response = client.get("https://pds.example.jp/xrpc/_health")
    assert response.text == "ok"
    assert log["connect"] == [(PUBLIC, 443)] and fake.calls == ["pds.example.jp"]
    assert log["tls"] == ["pds.example.jp"]  # SNI and certificate check for the name, not the IP
    assert b"Host: pds.example.jp\r\n" in b"".join(log["sent"])


def test_guard_with_fake_resolver_rebinding_to_private_at_connect_time_is_refused() -> None:
    fake = FakeResolver({"pds.example.jp": [[PUBLIC], ["169.254.169.254"]]})
    guard_ = OutboundGuard(resolver=fake)
    guard_.check_url("https://pds.example.jp/")  # passes when saved …
    log, connect = fake_network([OK])
    with pytest.raises(OutboundRefused, match="metadata"):  # … refused when connecting later
        httpx.Client(transport=guard_.transport(connect=connect)).get("https://pds.example.jp/")
    assert log["connect"] == []


def test_guard_with_fake_resolver_refuses_a_redirect_to_a_refused_address() -> None:
    redirect = b"HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest\r\nContent-Length: 0\r\n\r\n"
    log, connect = fake_network([redirect, OK])
    client = httpx.Client(transport=guard().transport(connect=connect), follow_redirects=True)
    with pytest.raises(OutboundRefused):
        client.get("https://pds.example.jp/")
    assert log["connect"] == [(PUBLIC, 443)]


def test_guard_with_fake_resolver_refuses_a_redirect_to_a_name_that_resolves_private() -> None:
    redirect = (
        b"HTTP/1.1 307 Temporary Redirect\r\nLocation: https://internal.example.jp/\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    log, connect = fake_network([redirect, OK])
    resolver = {"pds.example.jp": [PUBLIC], "internal.example.jp": ["10.0.0.5"]}
    client = httpx.Client(transport=guard(resolver).transport(connect=connect), follow_redirects=True)
    with pytest.raises(OutboundRefused, match="10.0.0.5"):
        client.get("https://pds.example.jp/")
    assert log["connect"] == [(PUBLIC, 443)]


def test_transport_refuses_userinfo_and_plain_http_before_connecting() -> None:
    log, connect = fake_network([OK, OK])
    client = httpx.Client(transport=guard().transport(connect=connect))
    for url in ("https://a:b@pds.example.jp/", "http://pds.example.jp/"):
        with pytest.raises(OutboundRefused):
            client.get(url)
    assert log["connect"] == []


def test_guard_with_fake_resolver_dns_failure_at_connect_time_is_a_network_error() -> None:
    log, connect = fake_network([OK])
    client = httpx.Client(transport=OutboundGuard(resolver=FakeResolver({})).transport(connect=connect))
    with pytest.raises(httpx.ConnectError):  # worth a retry, unlike a refused address
        client.get("https://pds.example.jp/")


# -- the Bluesky connector sends every request through the guard ----------------------------------


class RecordingGuard(OutboundGuard):
    def __init__(self, answers: dict[str, Any], network: Any, allow: tuple[str, ...] = ()) -> None:
        super().__init__(allow=allow, resolver=FakeResolver(answers))
        self.network = network

    def transport(self, **kwargs: Any) -> Any:
        return super().transport(connect=self.network, **kwargs)


def test_bluesky_connector_by_default_refuses_a_private_pds_before_sending_the_password() -> None:
    from koshiki.connectors.base import OutgoingPost
    from koshiki.connectors.bluesky import BlueskyConnector

    for url in ("https://10.0.0.1", "http://127.0.0.1.evil.example", "https://[::1]"):
        connector = BlueskyConnector(url, "koho.example.jp", "app-pass-word-1234")
        with pytest.raises(OutboundRefused) as raised:
            connector.publish(OutgoingPost("出ません", "k-1"))
        assert "app-pass-word-1234" not in str(raised.value)


def test_bluesky_connector_with_fake_resolver_logs_in_through_the_pinned_transport() -> None:
    from koshiki.connectors.base import AuthenticationError, OutgoingPost
    from koshiki.connectors.bluesky import BlueskyConnector

    refused = (
        b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 70\r\n\r\n"
        b'{"error":"AuthenticationRequired","message":"Invalid identifier or pw"}'
    )
    log, connect = fake_network([refused])
    guard_ = RecordingGuard({"pds.example.jp": [[PUBLIC], ["10.0.0.1"]]}, connect)
    connector = BlueskyConnector("https://pds.example.jp", "koho.example.jp", "app-pass", guard=guard_)
    with pytest.raises(AuthenticationError):
        connector.publish(OutgoingPost("本文", "k-2"))
    sent = b"".join(log["sent"])
    assert log["connect"] == [(PUBLIC, 443)] and log["tls"] == ["pds.example.jp"]
    assert b"POST /xrpc/com.atproto.server.createSession" in sent and b"Host: pds.example.jp" in sent


def test_bluesky_connector_with_fake_resolver_refuses_a_pds_that_now_resolves_private() -> None:
    from koshiki.connectors.base import OutgoingPost
    from koshiki.connectors.bluesky import BlueskyConnector

    log, connect = fake_network([OK])
    guard_ = RecordingGuard({"pds.example.jp": ["192.168.0.9"]}, connect)
    with pytest.raises(OutboundRefused, match="192.168.0.9"):
        BlueskyConnector("https://pds.example.jp", "koho.example.jp", "app-pass", guard=guard_).publish(
            OutgoingPost("本文", "k-3")
        )
    assert log["connect"] == []


def test_an_allowed_local_origin_is_reached_over_a_real_socket_and_others_are_not() -> None:
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            body = self.headers.get("Host", "").encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        origin = f"http://127.0.0.1:{server.server_port}"
        with OutboundGuard(allow=[origin]).client() as client:
            assert client.get(f"{origin}/xrpc/_health").text == f"127.0.0.1:{server.server_port}"
        with OutboundGuard().client() as client, pytest.raises(OutboundRefused):
            client.get(f"{origin}/xrpc/_health")
    finally:
        server.shutdown()
        server.server_close()


def _jwt() -> str:
    import base64
    import json
    import time

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    now = int(time.time())
    return (
        f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}."
        f"{part({'sub': 'did:plc:abc', 'iat': now, 'exp': now + 3600})}.AAAA"
    )


def _json_response(data: dict[str, Any]) -> bytes:
    import json

    body = json.dumps(data).encode()
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def test_bluesky_connector_with_fake_resolver_stays_on_its_server_whatever_the_did_document_says() -> None:
    from koshiki.connectors.base import OutgoingPost
    from koshiki.connectors.bluesky import BlueskyConnector
    from koshiki.connectors.tid import tid_for_key

    did_doc = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": "did:plc:abc",
        "alsoKnownAs": ["at://koho.example.jp"],
        "verificationMethod": [],
        "service": [
            {
                "id": "#atproto_pds",
                "type": "AtprotoPersonalDataServer",
                "serviceEndpoint": "https://elsewhere.example.jp",
            }
        ],
    }
    session = {
        "accessJwt": _jwt(),
        "refreshJwt": _jwt(),
        "handle": "koho.example.jp",
        "did": "did:plc:abc",
        "didDoc": did_doc,
    }
    created = {
        "uri": f"at://did:plc:abc/app.bsky.feed.post/{tid_for_key('k-4')}",
        "cid": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm",
    }
    log, connect = fake_network([_json_response(session), _json_response(created)])
    guard_ = RecordingGuard({"pds.example.jp": [PUBLIC], "elsewhere.example.jp": ["93.184.215.99"]}, connect)
    ref = BlueskyConnector("https://pds.example.jp", "koho.example.jp", "app-pass", guard=guard_).publish(
        OutgoingPost("本文", "k-4")
    )
    assert ref.remote_id == created["uri"]
    assert log["connect"] == [(PUBLIC, 443), (PUBLIC, 443)]
    assert b"elsewhere" not in b"".join(log["sent"])
