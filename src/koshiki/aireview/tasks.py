"""The background job that fetches one AI review (services.fetch: claim, ask, store)."""

from __future__ import annotations

from django_tasks import task

from koshiki.core.request_id import set_request_id


@task()
def fetch_ai_review_task(review_id: int) -> str:
    from .services import fetch

    set_request_id(f"job-aireview-{review_id}")
    return fetch(review_id)
