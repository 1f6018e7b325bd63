"""A FAKE OpenAI-compatible endpoint: a real local HTTP server in a thread (127.0.0.1, random port) that
answers POST /v1/chat/completions with canned JSON and records every request it got."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeAI:
    """``reply``: the assistant message content to send (a str), or ``raw`` bytes for the whole body;
    ``status`` the HTTP status; ``delay`` seconds to wait before answering (timeouts); ``drip`` seconds
    between the answer's bytes (a slow sender: every read is quick, the whole answer is not);
    ``headers`` extra response headers (e.g. a Content-Encoding)."""

    reply: str = '{"suggestions": []}'
    raw: bytes | None = None
    status: int = 200
    delay: float = 0.0
    drip: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @property
    def origin(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, suggestions: list[dict[str, Any]]) -> None:
        self.reply = json.dumps({"suggestions": suggestions}, ensure_ascii=False)


def _handler(fake: FakeAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            fake.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
            if fake.delay:
                time.sleep(fake.delay)
            payload = (
                fake.raw
                if fake.raw is not None
                else json.dumps(
                    {"choices": [{"index": 0, "message": {"role": "assistant", "content": fake.reply}}]}
                ).encode()
            )
            try:
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in fake.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if fake.drip:
                    for byte in payload:
                        self.wfile.write(bytes([byte]))
                        time.sleep(fake.drip)
                else:
                    self.wfile.write(payload)
            except OSError:  # the client gave up (timeout tests)
                pass

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


def start() -> FakeAI:
    fake = FakeAI()
    fake.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.server.daemon_threads = True
    threading.Thread(target=fake.server.serve_forever, daemon=True).start()
    return fake


def stop(fake: FakeAI) -> None:
    assert fake.server is not None
    fake.server.shutdown()
    fake.server.server_close()
