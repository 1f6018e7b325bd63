"""A fake platform connector that counts publications, for crash tests without the Bluesky network.

Stricter than the real one: it does *not* de-duplicate by idempotency key (Bluesky does, through the
record key), so publishing one post twice shows up as two records. ``find_published`` finds a post by
its key, as the real connector does. With a ``path`` the records live in a JSON-lines file, so forked
workers that are killed leave their publications behind for the parent to count.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from koshiki.connectors import PublishedRef


class FakePlatform:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.memory: list[dict[str, str]] = []

    def records(self) -> list[dict[str, str]]:
        if self.path is None:
            return list(self.memory)
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def per_key(self) -> Counter[str]:
        return Counter(r["key"] for r in self.records())

    def find_published(self, key: str) -> PublishedRef | None:
        for record in self.records():
            if record["key"] == key:
                return PublishedRef(record["id"], f"https://fake.example/{record['id']}")
        return None

    def publish(self, post: Any) -> PublishedRef:
        remote_id = f"fake-{len(self.records()) + 1}-{post.idempotency_key[-8:]}"
        record = {"key": post.idempotency_key, "id": remote_id, "text": post.text}
        if self.path is None:
            self.memory.append(record)
        else:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, (json.dumps(record, ensure_ascii=False) + "\n").encode())
            finally:
                os.close(fd)
        return PublishedRef(remote_id, f"https://fake.example/{remote_id}")
