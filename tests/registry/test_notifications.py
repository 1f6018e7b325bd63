"""Account requests: approvers hear of a request only once its 運用方針 is complete and they can act; the
requester hears that it was approved and should now be marked 運用中 (issue #13, item 5)."""

from __future__ import annotations

from typing import Any

from koshiki.notify.models import Notification
from koshiki.registry import services

from ..notify.helpers import Told, recipients
from .conftest import full_policy


def _request(body: Any) -> Any:
    return services.request_account(
        actor=body.tanto.user,
        department=body.departments["kiki"],
        platform="x",
        account_name="いわき市危機管理課",
        handle="iwaki_bousai",
        purpose="防災情報の発信",
    )


def test_approvers_are_not_told_before_the_policy_is_complete(
    iwaki: Any, iwaki_officers: Any, told: Told
) -> None:
    account = told(lambda: _request(iwaki))
    told(lambda: services.save_policy(actor=iwaki.tanto.user, account=account, items={"purpose": "防災"}))
    assert recipients("registry.approval_requested") == set()


def test_completing_the_policy_tells_those_who_may_take_the_first_step(
    iwaki: Any, iwaki_officers: Any, told: Told, mailoutbox: Any
) -> None:
    account = told(lambda: _request(iwaki))
    told(lambda: services.save_policy(actor=iwaki.tanto.user, account=account, items=full_policy(account)))
    step = services.pending_step(account)
    assert step is not None
    assert recipients("registry.approval_requested") == {s.pk for s in step.waiting_for}
    assert iwaki_officers["bucho"].pk in recipients("registry.approval_requested")
    assert iwaki_officers["seisaku"].pk not in recipients("registry.approval_requested")
    assert iwaki.tanto.pk not in recipients("registry.approval_requested")
    (mail,) = [m for m in mailoutbox if m.to == [iwaki_officers["bucho"].email]]
    assert "承認" in mail.subject


def test_saving_a_complete_policy_again_tells_nobody_twice(
    iwaki: Any, iwaki_officers: Any, told: Told
) -> None:
    account = told(lambda: _request(iwaki))
    items = full_policy(account)
    told(lambda: services.save_policy(actor=iwaki.tanto.user, account=account, items=items))
    told(
        lambda: services.save_policy(
            actor=iwaki.tanto.user, account=account, items={**items, "purpose": "改訂"}
        )
    )
    assert Notification.objects.filter(key="registry.approval_requested").count() == 1


def test_the_next_step_is_told_in_its_language_after_the_first_is_approved(
    iwaki: Any, iwaki_officers: Any, told: Told, mailoutbox: Any
) -> None:
    account = told(lambda: _request(iwaki))
    told(lambda: services.save_policy(actor=iwaki.tanto.user, account=account, items=full_policy(account)))
    mailoutbox.clear()
    told(lambda: services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=True))
    assert iwaki_officers["seisaku"].pk in recipients("registry.approval_requested")
    (mail,) = [m for m in mailoutbox if m.to == [iwaki_officers["seisaku"].email]]
    assert mail.subject.startswith("Approval requested")  # 政策部長 reads English


def test_the_requester_is_told_to_mark_it_in_operation_once_approved(
    iwaki: Any, iwaki_officers: Any, told: Told, mailoutbox: Any
) -> None:
    account = told(lambda: _request(iwaki))
    told(lambda: services.save_policy(actor=iwaki.tanto.user, account=account, items=full_policy(account)))
    told(lambda: services.decide(actor=iwaki_officers["bucho"].user, account=account, approve=True))
    assert recipients("registry.approved_to_activate") == set()
    told(lambda: services.decide(actor=iwaki_officers["seisaku"].user, account=account, approve=True))
    assert recipients("registry.approved_to_activate") == {iwaki.tanto.pk}
    (mail,) = [m for m in mailoutbox if m.to == [iwaki.tanto.email] and "運用中" in m.body]
    assert "承認" in mail.subject
