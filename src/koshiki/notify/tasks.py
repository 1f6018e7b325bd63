"""Background job: deliver a notification (queued after commit by notify.tell, by name)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from koshiki.core import jobs
from koshiki.core.request_id import set_request_id

from .service import DELIVER, deliver


@task()
def deliver_task(
    message: str,
    context: dict[str, Any],
    *,
    roles: list[str],
    organization_id: int | None,
    department_id: int | None,
    staff_ids: list[int],
    link: str = "",
    event: str = "",
) -> int:
    set_request_id(f"job-notify-{message}")
    return deliver(
        message,
        context,
        roles=roles,
        organization_id=organization_id,
        department_id=department_id,
        staff_ids=staff_ids,
        link=link,
        event=event,
    )


jobs.register_job(DELIVER, deliver_task)


@task()
def notify_roles_task(account_id: int, role_ids: list[str], event: str, params: dict[str, str]) -> int:
    """Kept for runs queued before notify.tell took over: an account event to the holders of these roles."""
    from koshiki.registry.models import OfficialAccount

    account = OfficialAccount.objects.select_related("organization", "department").get(pk=account_id)
    return deliver(
        f"registry.{event}",
        params,
        roles=role_ids,
        organization_id=account.organization_id,
        department_id=account.department_id,
    )
