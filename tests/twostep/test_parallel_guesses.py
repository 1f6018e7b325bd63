"""Parallel wrong codes cannot slip past the per-person limit: each attempt is counted before the
next one is checked."""

from __future__ import annotations

import threading
from typing import Any

import pyotp
import pytest
from django.db import connection, connections

from koshiki.audit.models import AuditEntry
from koshiki.twostep import services

ATTEMPTS = 12


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel sessions need PostgreSQL's row locks")
def test_parallel_wrong_codes_check_at_most_the_limit(transactional_db: Any, iwaki: Any) -> None:
    user = iwaki.shozokucho.user
    secret, _uri = services.start_enrolment(user=user)
    services.confirm_enrolment(user=user, code=pyotp.TOTP(secret).now())
    start = threading.Barrier(ATTEMPTS)
    errors: list[BaseException] = []

    def guess() -> None:
        try:
            start.wait()
            services.verify(user=user, code="000000")
        except BaseException as error:  # asserted on by the test thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    failed = AuditEntry.objects.filter(action="twostep.failed", actor_id=user.pk)
    checked = [e for e in failed if not (e.after or {}).get("locked")]
    assert failed.count() == ATTEMPTS
    assert len(checked) <= services.MAX_FAILURES
    assert services.is_locked(user)
