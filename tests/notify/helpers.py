"""Run what a service told (after commit) through the real delivery, as the worker would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TASK = "koshiki.notify.tasks.deliver_task"


class Told:
    """``told(lambda: service(...))`` commits the call's on-commit work, then delivers every queued
    notification once (``again()`` re-runs the deliveries already done, as a retried job would)."""

    def __init__(self, capture: Any) -> None:
        self.capture = capture
        self.done: list[dict[str, Any]] = []

    def __call__(self, action: Callable[[], Any]) -> Any:
        with self.capture(execute=True):
            result = action()
        self.deliver()
        return result

    def deliver(self) -> None:
        from django_tasks_db.models import DBTaskResult

        from koshiki.notify.service import deliver

        seen = len(self.done)
        rows = list(DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at", "id"))
        for row in rows[seen:]:
            self.done.append(row.args_kwargs)
            deliver(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])

    def again(self) -> None:
        from koshiki.notify.service import deliver

        for queued in self.done:
            deliver(*queued["args"], **queued["kwargs"])


def recipients(key: str) -> set[int]:
    """Who has an in-app notification with this message key."""
    from koshiki.notify.models import Notification

    return set(Notification.objects.filter(key=key).values_list("recipient_id", flat=True))
