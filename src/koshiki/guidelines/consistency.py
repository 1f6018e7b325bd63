"""Checks across a profile that the schema alone cannot express.

Each problem names the path of the field at fault so that the loader can point at the
YAML line; the messages are plain words, Japanese first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .components import all_components, workflow_owner
from .permissions import role_capabilities, roles_with
from .posting import after_the_fact, hours_exceptions, self_approval_exceptions
from .rules import Path, iter_rules
from .schema import EXTERNAL_PARTIES, Profile
from .workflows import post_steps


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str


def _role_refs(profile: Profile) -> Iterator[tuple[Path, str]]:
    yield ("account", "manager_role"), profile.account.manager_role
    for name in ("open_account", "change_account", "close_account"):
        workflow = getattr(profile.approvals, name)
        base: Path = ("approvals", name)
        for index, step in enumerate(workflow.steps):
            yield (*base, "steps", index, "role"), step.role
        if workflow.escalate_to is not None:
            yield (*base, "escalate_to"), workflow.escalate_to
        for field in ("notify_before", "notify_after"):
            for index, role_id in enumerate(getattr(workflow, field)):
                yield (*base, field, index), role_id
    for index, role_id in enumerate(profile.operating_policy.report_to):
        yield ("operating_policy", "report_to", index), role_id
    optional = {
        ("posting", "approval", "approver_role"): profile.posting.approval.approver_role,
        ("posting", "approval", "escalate_to"): profile.posting.approval.escalate_to,
        ("credentials", "devices", "approver_role"): profile.credentials.devices.approver_role,
        ("credentials", "escalate_to"): profile.credentials.escalate_to,
        ("reviews", "guideline_review", "owner_role"): profile.reviews.guideline_review.owner_role,
        ("operating_policy", "review", "owner_role"): profile.operating_policy.review.owner_role,
    }
    for path, role_id in optional.items():
        if role_id is not None:
            yield path, role_id


def _duplicates(values: list[str]) -> set[str]:
    return {value for value, count in Counter(values).items() if count > 1}


def find_problems(profile: Profile) -> list[Problem]:
    """Unknown roles, duplicate ids, and citations of clauses the index does not list."""
    problems: list[Problem] = []
    role_ids = {role.id for role in profile.roles}
    for dup in _duplicates([role.id for role in profile.roles]):
        problems.append(Problem(("roles",), f"役割 id '{dup}' が重複しています / duplicate role id"))

    for path, role_id in _role_refs(profile):
        if role_id not in role_ids:
            problems.append(
                Problem(
                    path,
                    f"未定義の役割 '{role_id}' です。roles に定義されているのは "
                    f"{', '.join(sorted(role_ids))} です / unknown role",
                )
            )

    for p_index, playbook in enumerate(profile.incidents):
        for s_index, step in enumerate(playbook.steps):
            for r_index, target in enumerate(step.report_to):
                if target not in role_ids and target not in EXTERNAL_PARTIES:
                    problems.append(
                        Problem(
                            ("incidents", p_index, "steps", s_index, "report_to", r_index),
                            f"報告先 '{target}' は役割にも外部機関 "
                            f"({', '.join(EXTERNAL_PARTIES)}) にもありません / unknown report target",
                        )
                    )

    clause_ids = [entry.clause for entry in profile.clauses]
    for dup in _duplicates(clause_ids):
        problems.append(Problem(("clauses",), f"条項 '{dup}' が索引に重複しています / duplicate clause"))
    known = set(clause_ids)
    for ref in iter_rules(profile):
        cited = [("clause", ref.rule.clause)] if ref.rule.clause else []
        cited += [("also", clause) for clause in ref.rule.also]
        for field, clause in cited:
            if clause not in known:
                problems.append(
                    Problem(
                        (*ref.path, field),
                        f"条項 '{clause}' が clauses の索引にありません / clause not in index",
                    )
                )

    problems.extend(_dangling_handlers(profile))

    exemption_ids = {e.id for e in after_the_fact(profile)}
    for index, exemption_id in enumerate(self_approval_exceptions(profile)):
        if exemption_id not in exemption_ids:
            problems.append(
                Problem(
                    ("posting", "self_approval", "exceptions", index),
                    f"事後報告の例外 '{exemption_id}' は after_the_fact にありません。あるのは "
                    f"{', '.join(sorted(exemption_ids))} です / unknown after-the-fact exemption",
                )
            )

    problems += _capability_problems(profile)
    correction = profile.posting.operating_hours.correction_exception
    if correction not in {e.id for e in hours_exceptions(profile)}:
        problems.append(
            Problem(
                ("posting", "operating_hours", "correction_exception"),
                f"訂正の例外 '{correction}' は operating_hours.exceptions にありません"
                " / unknown correction exception",
            )
        )

    keyed: tuple[tuple[str, list[str]], ...] = (
        ("items", [i.id for i in profile.operating_policy.items]),
        ("rules", [str(r.category) for r in profile.content.rules]),
    )
    for field, items in keyed:
        for dup in _duplicates(items):
            section = "operating_policy" if field == "items" else "content"
            problems.append(Problem((section, field), f"'{dup}' が重複しています / duplicate"))
    return problems


def _dangling_handlers(profile: Profile) -> Iterator[Problem]:
    """A clause handled by a workflow step or reminder that no component
    carries out would be counted as done."""
    components = all_components()
    known = sorted(ref for c in components for ref in c.workflows)
    for c_index, entry in enumerate(profile.clauses):
        for h_index, handling in enumerate(entry.handled_by):
            if handling.kind == "human" or workflow_owner(handling.ref or "", components) is not None:
                continue
            yield Problem(
                ("clauses", c_index, "handled_by", h_index, "ref"),
                f"{handling.kind} '{handling.ref}' を実施する機能がありません。あるのは "
                f"{', '.join(known) or '(なし)'} です / unknown {handling.kind} ref",
            )


#: Capabilities some built component needs somebody to hold.
NEEDED: dict[str, str] = {
    "write_posts": "投稿を作成できる役割がありません / nobody may write posts",
    "approve_posts": "投稿を承認できる役割がありません / nobody may approve posts",
    "manage_accounts": "アカウントを管理できる役割がありません / nobody may manage accounts",
    "manage_credentials": "認証情報を管理できる役割がありません / nobody may manage credentials",
}


def _capability_problems(profile: Profile) -> list[Problem]:
    """Every role says what it may do (kind or may); the roles the profile names
    for a duty hold its capability."""
    problems: list[Problem] = []
    by_id = {role.id: role for role in profile.roles}
    for index, role in enumerate(profile.roles):
        if role.kind is None and role.may is None:
            problems.append(
                Problem(
                    ("roles", index),
                    f"役割 '{role.id}' に kind も may もありません。何ができる役割か"
                    " kind (既定の権限) か may (条項つき) で示してください / role needs kind or may",
                )
            )
    duties: list[tuple[Path, str, str]] = [
        (("account", "manager_role"), profile.account.manager_role, "manage_accounts")
    ]
    approval = profile.posting.approval
    if approval.steps:
        duties += [
            (("posting", "approval", "steps", i, "role"), s.role, "approve_posts")
            for i, s in enumerate(approval.steps)
        ]
    else:
        duties += [
            (("posting", "approval", "approver_role"), s.role, "approve_posts") for s in post_steps(profile)
        ]
    device_role = profile.credentials.devices.approver_role or profile.account.manager_role
    duties.append((("credentials", "devices", "approver_role"), device_role, "approve_devices"))
    for path, role_id, capability in duties:
        named = by_id.get(role_id)
        if named is not None and capability not in role_capabilities(named):
            problems.append(
                Problem(
                    path,
                    f"役割 '{role_id}' は {capability} を持っていません。kind か may を"
                    f"見直してください / role lacks capability {capability}",
                )
            )
    for capability, message in NEEDED.items():
        if capability == "approve_posts" and not approval.required:
            continue
        if not roles_with(profile, capability):
            problems.append(Problem(("roles",), message))
    return problems
