"""Fault injection: kill the publishing worker between the platform call and the commit, many times.

Run by ``test_fault_injection.py`` in a subprocess, so that real processes die against a real,
committed database of their own:

    python tests/posts/fault_worker.py --pds-url http://127.0.0.1:2583 [--posts 100] [--workdir DIR]

The database is a fresh SQLite file under the work folder or, when ``DATABASE_URL`` is set (the
PostgreSQL pass of scripts/run-tests.sh), a throwaway database created on that server and dropped
at the end. The script builds a body (いわき市's profile) with a live account on the local AT
Protocol network and approves and schedules the posts through the services. Then, for each post,
it forks a worker process that runs ``publish_due`` and SIGKILLs itself at the seam between the
platform's acceptance and the commit (``after_platform_call``): the post is on the PDS, the
database still says 'publishing'. Variants: some workers are killed *before* the platform call
(intent committed, nothing sent), and some posts are killed a second time during their
reconciliation. Finally ``reconcile_stuck`` runs as the sweeper would, two minutes later, and the
database and the PDS are compared. One JSON line on stdout gives the counts.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import logging
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
TEXT = "本日15時から市役所本庁舎で防災訓練を行います。ご協力をお願いします。（お知らせ {n:03d}）"


def _throwaway_postgres(url: str) -> tuple[str, str]:
    """A fresh database on the server of ``url``: (its URL, its name)."""
    import psycopg

    parsed = urlparse(url)
    name = f"koshiki_fault_{os.getpid()}_{secrets.token_hex(3)}"
    admin = parsed._replace(path="/postgres")
    with psycopg.connect(urlunparse(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}")), name


def _drop_postgres(url: str, name: str) -> None:
    import psycopg

    admin = urlparse(url)._replace(path="/postgres")
    with psycopg.connect(urlunparse(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _setup_django(workdir: Path) -> None:
    os.environ["KOSHIKI_VAR_DIR"] = str(workdir)
    os.environ.setdefault("KOSHIKI_ENV", "local")
    os.environ["KOSHIKI_SQLITE_PATH"] = str(workdir / "fault.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "koshiki.project.settings"
    sys.path.insert(0, str(ROOT))  # the tests package (the body builders)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    call_command("migrate", verbosity=0)


def _build(pds_url: str, count: int) -> tuple[Any, Any, list[int]]:
    """A body with a live Bluesky account and ``count`` posts, approved and scheduled for now."""
    from django.contrib.auth import get_user_model

    from koshiki.connectors.devnet import create_test_account
    from koshiki.posts import services
    from koshiki.posts.channels import connector_for, set_channel
    from koshiki.posts.lifecycle import PostState
    from koshiki.posts.services import approval
    from tests.conftest import PASSWORD
    from tests.posts.conftest import build_posting_body
    from tests.security.conftest import SEEDS

    approval.outside_hours = lambda *args: None  # type: ignore[assignment]  # as the within_hours fixture
    admin = get_user_model().objects.create_superuser("sysadmin", "sysadmin@example.jp", PASSWORD)
    body = build_posting_body(admin, *SEEDS[0])
    dev = create_test_account(pds_url, "fault")
    set_channel(
        actor=body.manager.user,
        account=body.account,
        kind="bluesky",
        service_url=dev.pds_url,
        identifier=dev.handle,
        secret=dev.app_password,
    )
    connector = connector_for(body.account)  # log in once: the session is stored, sealed, for the workers
    assert connector is not None and connector.did == dev.did  # type: ignore[attr-defined]
    connector.close()  # type: ignore[attr-defined]
    ids = []
    for n in range(1, count + 1):
        post = services.create_post(actor=body.operator.user, account=body.account, text=TEXT.format(n=n))
        post = services.submit(actor=body.operator.user, post=post)
        while (step := services.pending_step(post)) is not None:
            post = services.decide(actor=step.waiting_for[0].user, post=post, approve=True)
        post.refresh_from_db()
        assert post.state == PostState.SCHEDULED, (post.state, post.findings)
        ids.append(post.pk)
    return body, dev, ids


def _worker(post_id: int, kill_at: str, report_fd: int) -> None:
    """The forked worker: publish one post and SIGKILL itself at ``kill_at``; never returns."""
    code = 3
    try:
        from koshiki.posts.services import publishing

        connectors: list[Any] = []

        def die(where: str) -> None:
            # A connector that logged in (it knows its DID) either reused the stored session or made a
            # password login (createSession): the workers should never need one.
            logins = sum(1 for c in connectors if c._did and not c._from_stored_session)
            os.write(
                report_fd,
                (json.dumps({"post": post_id, "at": where, "password_logins": logins}) + "\n").encode(),
            )
            os.kill(os.getpid(), signal.SIGKILL)

        real_connector_for = publishing.connector_for

        def connector_for(account: Any) -> Any:
            connector = real_connector_for(account)
            connectors.append(connector)
            if kill_at == "before_call":  # the intent is committed; die as the request would go out
                connector.publish = lambda post: die("before_call")
            return connector

        publishing.connector_for = connector_for  # type: ignore[assignment]
        publishing.after_platform_call = lambda: die(kill_at)
        outcome = publishing.publish_due(post_id)
        os.write(
            report_fd, (json.dumps({"post": post_id, "at": "survived", "outcome": outcome}) + "\n").encode()
        )
    except BaseException:
        traceback.print_exc()
        code = 4
    finally:
        os._exit(code)


def _kill_once(post_id: int, kill_at: str, report_fd: int) -> bool:
    """Fork a worker for the post; True when it died of SIGKILL."""
    from django.db import connections

    connections.close_all()  # the child opens its own connection; never share a socket across fork
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _worker(post_id, kill_at, report_fd)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def _pds_texts(pds_url: str, did: str) -> list[tuple[str, str]]:
    """(uri, text) of every post record in the repository, following the cursor."""
    from atproto import Client

    client = Client(base_url=pds_url)
    records: list[tuple[str, str]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"repo": did, "collection": "app.bsky.feed.post", "limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = client.com.atproto.repo.list_records(params)
        records += [(str(r.uri), str(r.value.text)) for r in page.records]
        cursor = page.cursor
        if not page.records or not cursor:
            break
    client.request.close()
    return records


def run(pds_url: str, posts: int, before: int, twice: int, workdir: Path) -> dict[str, Any]:
    started = time.monotonic()
    from koshiki.connectors.outbound import origin_of

    os.environ["KOSHIKI_OUTBOUND_ALLOW"] = origin_of(pds_url)  # the local network's PDS and nothing else
    _setup_django(workdir)
    from django.db import connection
    from django.utils import timezone

    from koshiki.connectors.tid import tid_for_key
    from koshiki.posts.lifecycle import PostState
    from koshiki.posts.models import Post, PublishAttempt
    from koshiki.posts.services import reconcile_stuck

    _, dev, ids = _build(pds_url, posts + before)
    built = time.monotonic()
    at_seam = set(ids[:posts])  # the rest die before the platform call
    report_path = workdir / "workers.jsonl"
    report_fd = os.open(report_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    kills = collections.Counter()
    survivors = 0
    for index, post_id in enumerate(ids):
        kill_at = "after_call" if post_id in at_seam else "before_call"
        if _kill_once(post_id, kill_at, report_fd):
            kills[kill_at] += 1
        else:
            survivors += 1
        if kill_at == "after_call" and index < twice:
            # The sweeper's worker is killed too, at the same seam, while it reconciles the post.
            if _kill_once(post_id, "in_reconcile", report_fd):
                kills["in_reconcile"] += 1
            else:
                survivors += 1
    os.close(report_fd)
    killed = time.monotonic()
    states_after_kills = collections.Counter(Post.objects.filter(pk__in=ids).values_list("state", flat=True))
    records_before = len(_pds_texts(pds_url, dev.did))

    outcomes = collections.Counter(reconcile_stuck(now=timezone.now() + dt.timedelta(minutes=2)))
    reconciled = time.monotonic()

    records = _pds_texts(pds_url, dev.did)
    on_pds = collections.Counter(text for _, text in records)
    uris = {text: uri for uri, text in records}
    ours = {post.text: post for post in Post.objects.filter(pk__in=ids)}
    duplicates = sum(n - 1 for n in on_pds.values() if n > 1) + sum(
        n for t, n in on_pds.items() if t not in ours
    )
    lost = sum(
        1
        for text, post in ours.items()
        if on_pds[text] == 0 or post.state != PostState.PUBLISHED or not post.remote_id
    )
    mismatched = sum(
        1
        for text, post in ours.items()
        if post.remote_id != uris.get(text)
        or not post.remote_id.endswith("/" + tid_for_key(post.idempotency_key))
    )
    workers = [json.loads(line) for line in report_path.read_text().splitlines()]
    vendor = connection.vendor
    summary = {
        "database": vendor,
        "posts": len(ids),
        "kills": kills["after_call"],
        "kills_before_call": kills["before_call"],
        "kills_in_reconcile": kills["in_reconcile"],
        "survivors": survivors,
        "states_after_kills": dict(states_after_kills),
        "records_before_reconcile": records_before,
        "reconcile": dict(outcomes),
        "records": len(records),
        "duplicates": duplicates,
        "lost": lost,
        "mismatched": mismatched,
        "states": dict(collections.Counter(p.state for p in ours.values())),
        "attempts": dict(
            collections.Counter(
                PublishAttempt.objects.filter(post_id__in=ids).values_list("outcome", flat=True)
            )
        ),
        "password_logins_in_workers": sum(w.get("password_logins", 0) for w in workers),
        "seconds": {
            "build": round(built - started, 1),
            "kills": round(killed - built, 1),
            "reconcile": round(reconciled - killed, 1),
            "total": round(time.monotonic() - started, 1),
        },
    }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pds-url", required=True)
    parser.add_argument(
        "--posts", type=int, default=100, help="workers killed between platform call and commit"
    )
    parser.add_argument(
        "--before", type=int, default=10, help="further posts whose worker dies before the call"
    )
    parser.add_argument(
        "--twice", type=int, default=10, help="of the first, how many are killed again while reconciled"
    )
    parser.add_argument(
        "--workdir", type=Path, help="for the SQLite file and the secrets (default: a temporary one)"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="koshiki-fault."))
    workdir.mkdir(parents=True, exist_ok=True)
    server_url = os.environ.get("DATABASE_URL")
    database = None
    if server_url:
        os.environ["DATABASE_URL"], database = _throwaway_postgres(server_url)
    try:
        summary = run(args.pds_url.rstrip("/"), args.posts, args.before, args.twice, workdir)
    finally:
        if database and server_url:
            from django.db import connections

            connections.close_all()
            _drop_postgres(server_url, database)
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
