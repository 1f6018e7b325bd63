"""notify.tell: the holders of a role hear of it once the change commits, each in
their own language, once each."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils.translation import gettext_lazy

from koshiki.notify import messages
from koshiki.notify.service import deliver, holders, send_now, tell
from koshiki.orgs import services as org_services

KEY = messages.define(
    "tests.hello",
    gettext_lazy("Official account approved: %(account)s"),
    gettext_lazy("The change of %(account)s on %(date)s has been announced."),
)


def _queued() -> list[dict[str, Any]]:
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(task_path="koshiki.notify.tasks.deliver_task").values_list(
            "args_kwargs", flat=True
        )
    )


def test_tell_queues_the_delivery_by_name_only_after_commit(
    iwaki: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tell(
            message=KEY,
            context={"account": "公式", "date": "2026-01-01"},
            role="pr_division",
            organization=iwaki.organization,
        )
    assert len(callbacks) == 1
    (queued,) = _queued()
    assert queued["args"] == [KEY, {"account": "公式", "date": "2026-01-01"}]
    assert (
        queued["kwargs"]["roles"] == ["pr_division"]
        and queued["kwargs"]["organization_id"] == iwaki.organization.pk
    )


def test_a_rolled_back_change_tells_nobody(iwaki: Any, django_capture_on_commit_callbacks: Any) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell(message=KEY, context={}, role="pr_division", organization=iwaki.organization)
        raise RuntimeError("the service failed after telling")
    assert callbacks == [] and _queued() == []


def test_an_unknown_message_is_refused_at_once(iwaki: Any) -> None:
    with pytest.raises(KeyError, match="no notification message"):
        tell(message="tests.nope", context={}, role="pr_division", organization=iwaki.organization)


def test_each_holder_reads_it_in_their_language_and_once_for_two_roles(iwaki: Any, mailoutbox: Any) -> None:
    org_services.assign_role(actor=iwaki.kacho.user, staff=iwaki.shozokucho, role_id="ciso")
    iwaki.shozokucho.language = "en"
    iwaki.shozokucho.save(update_fields=["language"])
    people = {s.pk for s in holders(iwaki.organization, "ciso")} | {
        s.pk for s in holders(iwaki.organization, "account_manager")
    }
    assert people == {iwaki.shozokucho.pk, iwaki.ciso.pk}
    sent = deliver(
        KEY,
        {"account": "公式", "date": "2026-01-01"},
        roles=["ciso", "account_manager", "ciso"],
        organization_id=iwaki.organization.pk,
    )
    assert sent == len(mailoutbox) == len(people)
    assert [m.to for m in mailoutbox].count([iwaki.shozokucho.email]) == 1
    english = next(m for m in mailoutbox if m.to == [iwaki.shozokucho.email])
    assert english.subject == "Official account approved: 公式"
    japanese = next(m for m in mailoutbox if m.to == [iwaki.ciso.email])
    assert japanese.subject.startswith("公式アカウントが承認されました")


def test_send_now_skips_people_without_an_address(iwaki: Any, mailoutbox: Any) -> None:
    iwaki.tanto.email = ""
    iwaki.tanto.save(update_fields=["email"])
    sent = send_now(
        message=KEY,
        personal={iwaki.tanto: {"account": "a", "date": "d"}, iwaki.kacho: {"account": "b", "date": "d"}},
        event="test-day",
    )
    assert sent == 1 and [m.to for m in mailoutbox] == [[iwaki.kacho.email]]
