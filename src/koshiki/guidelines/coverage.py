"""How much of a guideline Koshiki carries out, clause by clause.

A clause is carried by the rules that cite it (rule ids, found automatically), by the
workflow steps and reminders the profile names, or by human judgment with guidance shown
to staff. Each rule section belongs to a Koshiki component; a component that is not built
yet is reported as planned, so the numbers never overstate what is enforced today.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Literal

from .rules import iter_rules
from .schema import Profile

Status = Literal["enforced", "planned", "human", "informative", "uncovered"]


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    available: bool


#: Which part of Koshiki carries out each top-level section of a profile.
COMPONENTS: dict[str, Component] = {
    "roles": Component("koshiki.orgs", "組織・役割", True),
    "account": Component("koshiki.registry", "アカウント台帳", True),
    "approvals": Component("koshiki.registry", "アカウント台帳", True),
    "operating_policy": Component("koshiki.registry", "アカウント台帳", True),
    "disclosure": Component("koshiki.registry", "アカウント台帳", True),
    "closure": Component("koshiki.registry", "アカウント台帳", True),
    "credentials": Component("koshiki.security", "アカウントの安全管理", True),
    "posting": Component("koshiki.posts", "投稿ワークフロー", True),
    "content": Component("koshiki.checks", "投稿前チェック", True),
    "moderation": Component("koshiki.moderation", "返信の管理", False),
    "incidents": Component("koshiki.incidents", "問題発生時の対応", False),
    "reviews": Component("koshiki.reminders", "見直しの通知", False),
    "workflow": Component("koshiki.registry", "手続き", True),
    "reminder": Component("koshiki.reminders", "通知", False),
}


@dataclass(frozen=True)
class Carrier:
    kind: Literal["rule", "workflow", "reminder", "human"]
    ref: str
    component: str
    available: bool
    guidance: str | None = None


@dataclass(frozen=True)
class ClauseCoverage:
    clause: str
    citation: str
    heading: str
    status: Status
    carriers: list[Carrier] = field(default_factory=list)


@dataclass(frozen=True)
class CoverageReport:
    profile_id: str
    body: str
    clauses: list[ClauseCoverage]

    def counts(self) -> dict[str, int]:
        counted = Counter(entry.status for entry in self.clauses)
        return {status: counted.get(status, 0) for status in Status.__args__}  # type: ignore[attr-defined]

    def as_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile_id,
            "body": self.body,
            "total": len(self.clauses),
            "counts": self.counts(),
            "clauses": [asdict(entry) for entry in self.clauses],
        }


def _status(carriers: list[Carrier], informative: bool) -> Status:
    if any(c.kind != "human" and c.available for c in carriers):
        return "enforced"
    if any(c.kind != "human" for c in carriers):
        return "planned"
    if carriers:
        return "human"
    return "informative" if informative else "uncovered"


def build_coverage(profile: Profile) -> CoverageReport:
    by_clause: dict[str, list[Carrier]] = {entry.clause: [] for entry in profile.clauses}
    for ref in iter_rules(profile):
        component = COMPONENTS[str(ref.path[0])]
        for clause in filter(None, [ref.rule.clause, *ref.rule.also]):
            by_clause.setdefault(clause, []).append(
                Carrier("rule", ref.rule_id, component.name, component.available)
            )
    entries = []
    for entry in profile.clauses:
        carriers = list(by_clause[entry.clause])
        for handling in entry.handled_by:
            if handling.kind == "human":
                carriers.append(Carrier("human", "human judgment", "staff", True, handling.guidance))
            else:
                component = COMPONENTS[handling.kind]
                carriers.append(
                    Carrier(handling.kind, handling.ref or "", component.name, component.available)
                )
        entries.append(
            ClauseCoverage(
                entry.clause,
                profile.cite(entry.clause),
                entry.heading,
                _status(carriers, entry.informative),
                carriers,
            )
        )
    return CoverageReport(profile.id, profile.body.name, entries)
