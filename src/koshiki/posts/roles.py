"""Who may write, approve and oversee posts for an account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from koshiki.orgs.models import Staff
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import (
    HolderIndex,
    can_edit,
    capability_holders,
    current_manager,
    holders,
    moved_out_of,
)

from .rules import posting_rules


def can_write(user: Any, account: OfficialAccount, index: HolderIndex | None = None) -> bool:
    """The account's manager and operators, and holders of a role that may write posts (the profile's kind or
    may list) for its department."""
    staff = staff_of(user)
    if staff is None or staff.organization_id != account.organization_id:
        return False
    return can_edit(user, account, index) or staff in capability_holders(account, "write_posts", index)


def write_refusal(user: Any, account: OfficialAccount) -> str:
    """Why ``user`` may not write this account's posts: after a 異動 out of its department, say so (their
    roles there ended on that date); otherwise who may."""
    change = moved_out_of(staff_of(user), account)
    if change is not None and change.from_department is not None:
        return _(
            "Your roles in %(dept)s ended with your personnel change (異動) on %(date)s: only the account's"
            " manager and operators can write its posts."
        ) % {"dept": change.from_department.name, "date": change.effective_date.isoformat()}
    return _("Only the account's manager and operators can write its posts.")


def approvers(account: OfficialAccount, index: HolderIndex | None = None) -> list[Staff]:
    """Everyone who holds a role of the post approval chain for this account."""
    rules = posting_rules(profile_for(account.organization))
    people: dict[int, Staff] = {}
    for step in rules.steps:
        for staff in step_holders(account, step.role, index):
            people[staff.pk] = staff
    return list(people.values())


def step_holders(account: OfficialAccount, role_id: str, index: HolderIndex | None = None) -> list[Staff]:
    found = holders(account, role_id, index)
    manager_role = profile_for(account.organization).account.manager_role
    manager = current_manager(account, index) if role_id == manager_role else None
    if manager is not None and manager not in found:
        found.append(manager)
    return found


def own_ids(post: Any) -> set[int]:
    """Who wrote or last edited the text: they may not approve it, override
    its blocks or review its report."""
    return {pk for pk in (post.author_id, post.edited_by_id) if pk is not None}


def is_own(user: Any, post: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.pk in own_ids(post)


def report_reviewers(
    post: Any,
    index: HolderIndex | None = None,
    approvers_of: Callable[[OfficialAccount], list[Staff]] | None = None,
) -> list[Staff]:
    """Who acknowledges an after-the-fact report: the account's approvers other than the post's writers and
    whoever published it; when there is nobody else, the organization's administrators (never the writers).
    ``approvers_of`` when a list page memoizes the approvers (ApproverIndex)."""
    excluded = own_ids(post) | ({post.submitted_by_id} if post.submitted_by_id else set())
    found = approvers_of(post.account) if approvers_of is not None else approvers(post.account, index)
    people = [s for s in found if s.pk not in excluded]
    if people:
        return people
    if index is not None:
        return [s for s in index.administrators() if s.pk not in excluded]
    return list(
        Staff.objects.filter(
            organization_id=post.organization_id, is_org_admin=True, status=Staff.Status.ACTIVE
        ).exclude(pk__in=excluded)
    )


class ApproverIndex:
    """``approvers`` and ``report_reviewers`` over one HolderIndex, the approvers worked out once per
    (課, named manager) rather than once per post: the answer depends on nothing else (issue #12)."""

    def __init__(self, index: HolderIndex) -> None:
        self.index = index
        self._approvers: dict[tuple[int, int | None], list[Staff]] = {}

    def approvers(self, account: OfficialAccount) -> list[Staff]:
        key = (account.department_id, account.manager_id)
        if key not in self._approvers:
            self._approvers[key] = approvers(account, self.index)
        return self._approvers[key]

    def report_reviewers(self, post: Any) -> list[Staff]:
        return report_reviewers(post, self.index, approvers_of=self.approvers)


def can_approve(user: Any, account: OfficialAccount) -> bool:
    staff = staff_of(user)
    return staff is not None and staff in approvers(account)
