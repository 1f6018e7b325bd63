"""The audit page's verify button (issue #12): it shows the last result for the viewer's own organization
and asks the worker for a run; nothing is verified while the viewer waits, and a double click queues one."""

from __future__ import annotations

from typing import Any

from django.db import connection

from koshiki.audit.chain import chain_key
from koshiki.audit.migrations import _triggers
from koshiki.audit.models import AuditEntry, ChainVerification
from koshiki.audit.verification import verify_incremental

from ..conftest import signed_in_client

VERIFY_TASK = "koshiki.audit.verification.verify_chain_task"


def _queued() -> list[Any]:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path=VERIFY_TASK).values_list("args_kwargs", flat=True))


def _post(client: Any, callbacks: Any) -> str:
    with callbacks(execute=True):
        response = client.post("/audit/verify/", follow=True)
    assert response.status_code == 200
    return " ".join(str(m) for m in response.context["messages"])


def test_the_button_queues_a_run_for_the_own_chain_and_verifies_nothing_now(
    iwaki: Any, django_capture_on_commit_callbacks: Any
) -> None:
    message = _post(signed_in_client(iwaki.ciso.user), django_capture_on_commit_callbacks)
    assert "受け付けました" in message
    assert [q["args"] for q in _queued()] == [[chain_key(iwaki.organization.pk)]]
    state = ChainVerification.objects.get(chain=chain_key(iwaki.organization.pk))
    assert state.requested_at is not None and state.verified_at is None
    assert AuditEntry.objects.filter(
        action="audit.verification.requested", organization_id=iwaki.organization.pk
    ).exists()


def test_a_double_click_queues_one_run_and_writes_one_entry(
    iwaki: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in_client(iwaki.ciso.user)
    _post(client, django_capture_on_commit_callbacks)
    second = _post(client, django_capture_on_commit_callbacks)
    assert "実行待ち" in second
    assert len(_queued()) == 1
    assert AuditEntry.objects.filter(action="audit.verification.requested").count() == 1


def test_the_page_shows_the_last_result_of_the_own_organization_only(iwaki: Any, shinshiro: Any) -> None:
    verify_incremental(chain_key(iwaki.organization.pk))
    own = AuditEntry.objects.filter(chain=chain_key(iwaki.organization.pk)).count()
    page = signed_in_client(iwaki.ciso.user).get("/audit/").content.decode()
    assert f"{own} 件の記録に改ざんはありません" in page
    other = signed_in_client(shinshiro.kacho.user).get("/audit/").content.decode()
    assert "まだ検証されていません" in other


def test_a_break_found_by_the_worker_is_shown_on_the_page(iwaki: Any) -> None:
    target = AuditEntry.objects.filter(organization_id=iwaki.organization.pk).order_by("seq")[3]
    with connection.cursor() as cursor:
        for statement in _triggers.statements(connection.vendor, False):
            cursor.execute(statement)
        cursor.execute("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["forged", target.pk])
    verify_incremental(chain_key(iwaki.organization.pk))
    page = signed_in_client(iwaki.ciso.user).get("/audit/").content.decode()
    assert f"#{target.seq}" in page and "不一致" in page


def test_staff_who_may_not_read_the_log_cannot_queue_a_run(iwaki: Any) -> None:
    response = signed_in_client(iwaki.tanto.user).post("/audit/verify/")
    assert response.status_code == 404
    assert not ChainVerification.objects.exists()
