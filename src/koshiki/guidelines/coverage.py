"""How much of a guideline Koshiki carries out, clause by clause, never more than the code does.

A clause is *enforced* only when a built component reads a rule that cites it (components.py
declares what each component reads; tests/guidelines/test_component_reads.py proves it by running
them), or when its ``handled_by`` names a workflow step a built component carries out. A clause
cited only by a role is *human*: people assign roles and act in them. A clause cited only by
fields no component reads is *recorded*: the profile keeps it, nothing acts on it yet. Rules of
components not built yet are *planned*.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Literal

from .components import Component, all_components, readers, workflow_owner
from .rules import iter_rules
from .schema import Profile

Status = Literal["enforced", "planned", "human", "recorded", "informative", "uncovered"]
CarrierKind = Literal["rule", "role", "recorded", "workflow", "reminder", "human"]

_ACTING: frozenset[str] = frozenset({"rule", "workflow", "reminder"})


@dataclass(frozen=True)
class Carrier:
    kind: CarrierKind
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
    acting = [c for c in carriers if c.kind in _ACTING and c.component]
    if any(c.available for c in acting):
        return "enforced"
    if acting:
        return "planned"
    if any(c.kind in ("role", "human") for c in carriers):
        return "human"
    if any(c.kind == "recorded" for c in carriers):
        return "recorded"
    return "informative" if informative else "uncovered"


def _rule_carrier(rule_id: str, path0: str, found: list[Component]) -> Carrier:
    if path0 == "roles":
        return Carrier("role", rule_id, "staff", True)
    if not found:
        return Carrier("recorded", rule_id, "", False)
    return Carrier("rule", rule_id, found[0].id, found[0].available)


def build_coverage(profile: Profile) -> CoverageReport:
    components = all_components()
    by_clause: dict[str, list[Carrier]] = {entry.clause: [] for entry in profile.clauses}
    for ref in iter_rules(profile):
        carrier = _rule_carrier(ref.rule_id, str(ref.path[0]), readers(ref, components))
        for clause in filter(None, [ref.rule.clause, *ref.rule.also]):
            by_clause.setdefault(clause, []).append(carrier)
    entries = []
    for entry in profile.clauses:
        carriers = list(by_clause[entry.clause])
        for handling in entry.handled_by:
            if handling.kind == "human":
                carriers.append(Carrier("human", "human judgment", "staff", True, handling.guidance))
                continue
            owner = workflow_owner(handling.ref or "", components)
            carriers.append(
                Carrier(
                    handling.kind,
                    handling.ref or "",
                    owner.id if owner else "",
                    bool(owner and owner.available),
                )
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


_REPORTS: dict[int, tuple[Profile, tuple[Component, ...], CoverageReport]] = {}


def coverage_of(profile: Profile) -> CoverageReport:
    """``build_coverage`` kept per loaded profile (and the components known then): the dashboard shows the
    counts on every request, and the report depends on nothing else (issue #12: a fixed cost per request).
    A reloaded profile file is a new Profile object, so it gets a new report."""
    components = all_components()
    hit = _REPORTS.get(id(profile))
    if hit is not None and hit[0] is profile and hit[1] == components:
        return hit[2]
    report = build_coverage(profile)
    if len(_REPORTS) >= 64:
        _REPORTS.clear()
    _REPORTS[id(profile)] = (profile, components, report)
    return report
