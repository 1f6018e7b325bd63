"""Verify in the browser shows the viewer's organization's figures only; the national check is the CLI's."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection

from koshiki.audit.migrations import _triggers
from koshiki.audit.models import AuditEntry

from ..conftest import signed_in_client


def _verify_message(client: Any) -> str:
    response = client.post("/audit/verify/", follow=True)
    assert response.status_code == 200
    return " ".join(str(m) for m in response.context["messages"])


def test_verify_reports_this_bodys_count_and_latest_seq_not_the_national_total(
    iwaki: Any, shinshiro: Any
) -> None:
    own = AuditEntry.objects.filter(organization_id=iwaki.organization.pk)
    national = AuditEntry.objects.count()
    latest = own.order_by("-seq").first()
    assert latest is not None and own.count() != national
    message = _verify_message(signed_in_client(iwaki.ciso.user))
    numbers = set(re.findall(r"\d+", message))
    assert str(own.count()) in numbers and str(latest.seq) in numbers
    assert str(national) not in numbers


def test_a_break_in_another_bodys_entries_is_not_reported_to_this_body(iwaki: Any, shinshiro: Any) -> None:
    other = AuditEntry.objects.filter(organization_id=shinshiro.organization.pk).order_by("seq")[2]
    with connection.cursor() as cursor:
        for statement in _triggers.statements(connection.vendor, False):
            cursor.execute(statement)
        cursor.execute("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["forged", other.pk])
    message = _verify_message(signed_in_client(iwaki.ciso.user))
    assert str(other.seq) not in set(re.findall(r"\d+", message))
    assert "一致しません" not in message and "does not match" not in message


def test_a_rewritten_entry_of_this_body_is_reported(iwaki: Any) -> None:
    target = AuditEntry.objects.filter(organization_id=iwaki.organization.pk).order_by("seq")[3]
    with connection.cursor() as cursor:
        for statement in _triggers.statements(connection.vendor, False):
            cursor.execute(statement)
        cursor.execute("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["forged", target.pk])
    message = _verify_message(signed_in_client(iwaki.ciso.user))
    assert f"#{target.seq}" in message
