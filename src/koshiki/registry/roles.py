"""Who holds a profile role for an account: department roles count for the 課 and the 部 above it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from koshiki.core.attention import Viewer
from koshiki.guidelines.permissions import roles_with
from koshiki.orgs.models import Department, Organization, PersonnelChange, RoleAssignment, Staff
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of

from .models import OfficialAccount


def _current(organization: Organization) -> Any:
    return (
        RoleAssignment.objects.current()
        .filter(organization=organization, staff__status=Staff.Status.ACTIVE)
        .select_related("staff")
        .order_by("role_id", "start_date", "pk")
    )


def holders(account: OfficialAccount, role_id: str, index: HolderIndex | None = None) -> list[Staff]:
    """Current holders of ``role_id`` who act for this account's department (from ``index`` when given)."""
    if index is not None:
        return index.holders(account, role_id)
    profile = profile_for(account.organization)
    try:
        role = profile.role(role_id)
    except KeyError:
        return []
    current = _current(account.organization).filter(role_id=role_id)
    if role.scope == "department":
        current = current.filter(department_id__in=account.department.lineage_ids())
    return list(dict.fromkeys(a.staff for a in current))


def capability_holders(
    account: OfficialAccount, capability: str, index: HolderIndex | None = None
) -> list[Staff]:
    """Current holders of any role the profile lets do ``capability`` for this
    account (kind or may, never an id);
    from ``index`` when given."""
    if index is not None:
        return index.capability_holders(account, capability)
    profile = profile_for(account.organization)
    role_ids = roles_with(profile, capability)
    if not role_ids:
        return []
    body_wide = [r for r in role_ids if profile.role(r).scope != "department"]
    per_department = [r for r in role_ids if profile.role(r).scope == "department"]
    current = (
        RoleAssignment.objects.current()
        .filter(
            Q(role_id__in=body_wide)
            | Q(role_id__in=per_department, department_id__in=account.department.lineage_ids()),
            organization=account.organization,
            staff__status=Staff.Status.ACTIVE,
        )
        .select_related("staff")
        .order_by("pk")
    )
    return list(dict.fromkeys(a.staff for a in current))


class HolderIndex:
    """Every current role assignment of one organization, read once (two queries), so a list page can ask
    ``holders`` / ``capability_holders`` for many accounts without a query per row (issue #11). Same answers
    as the module functions."""

    def __init__(self, organization: Organization) -> None:
        self.organization = organization
        self.profile = profile_for(organization)
        self._by_role: dict[str, list[RoleAssignment]] = {}
        for assignment in _current(organization):
            self._by_role.setdefault(assignment.role_id, []).append(assignment)
        self._parent = dict(
            Department.objects.filter(organization=organization).values_list("pk", "parent_id")
        )
        self._admins: list[Staff] | None = None
        self._staff: dict[int, Staff] | None = None

    def staff(self, pk: int) -> Staff | None:
        """A member of the organization by id, all read once (named managers on list pages, issue #11)."""
        if self._staff is None:
            self._staff = {s.pk: s for s in Staff.objects.filter(organization=self.organization)}
        return self._staff.get(pk)

    def lineage_ids(self, department_id: int) -> list[int]:
        ids: list[int] = []
        node: int | None = department_id
        while node is not None and node not in ids:
            ids.append(node)
            node = self._parent.get(node)
        return ids

    def _acting(self, account: OfficialAccount, role_id: str) -> list[RoleAssignment]:
        """Assignments of ``role_id`` that act for the account's department
        (all of them for body-wide roles)."""
        try:
            role = self.profile.role(role_id)
        except KeyError:
            return []
        found = self._by_role.get(role_id, [])
        if role.scope == "department":
            lineage = set(self.lineage_ids(account.department_id))
            found = [a for a in found if a.department_id in lineage]
        return found

    def holders(self, account: OfficialAccount, role_id: str) -> list[Staff]:
        return list(dict.fromkeys(a.staff for a in self._acting(account, role_id)))

    def capability_holders(self, account: OfficialAccount, capability: str) -> list[Staff]:
        found = [
            a for role_id in roles_with(self.profile, capability) for a in self._acting(account, role_id)
        ]
        return list(dict.fromkeys(a.staff for a in sorted(found, key=lambda a: a.pk)))

    def administrators(self) -> list[Staff]:
        """Active organization administrators (report reviewers of last resort), read once."""
        if self._admins is None:
            self._admins = list(
                Staff.objects.filter(
                    organization=self.organization, is_org_admin=True, status=Staff.Status.ACTIVE
                )
            )
        return self._admins


def shared_index(viewer: Viewer) -> HolderIndex:
    """The viewer's organization's HolderIndex, read once per dashboard for every provider."""
    return viewer.shared("registry.holder_index", lambda: HolderIndex(viewer.staff.organization))  # type: ignore[no-any-return]


def current_manager(account: OfficialAccount, index: HolderIndex | None = None) -> Staff | None:
    """The named manager (``account.manager``) while they are active staff of the account's department or a
    department above it, as department roles count; None after a 異動 or leaving (issue #10), so the name
    alone grants nothing."""
    if account.manager_id is None:
        return None
    if index is None or OfficialAccount.manager.is_cached(account):
        manager = account.manager  # read with the account (select_related): no body-wide staff read
    else:
        manager = index.staff(account.manager_id)
    if manager is None or manager.status != Staff.Status.ACTIVE or manager.department_id is None:
        return None
    if manager.organization_id != account.organization_id:
        return None
    lineage = (
        index.lineage_ids(account.department_id) if index is not None else account.department.lineage_ids()
    )
    return manager if manager.department_id in lineage else None


def is_current_manager(
    staff: Staff | None, account: OfficialAccount, index: HolderIndex | None = None
) -> bool:
    if staff is None or account.manager_id is None or account.manager_id != staff.pk:
        return False
    return current_manager(account, index) is not None


def has_capability(
    user: Any, capability: str, *, account: OfficialAccount, index: HolderIndex | None = None
) -> bool:
    """Whether the user holds, for this account, a role the profile lets do ``capability``."""
    staff = staff_of(user)
    if staff is None or staff.organization_id != account.organization_id:
        return False
    return staff in capability_holders(account, capability, index)


def holds(user: Any, account: OfficialAccount, role_id: str, index: HolderIndex | None = None) -> bool:
    staff = staff_of(user)
    return staff is not None and staff in holders(account, role_id, index)


def is_manager(user: Any, account: OfficialAccount, index: HolderIndex | None = None) -> bool:
    """The account's manager, a holder of the manager role for its department, or an administrator."""
    staff = staff_of(user)
    if staff is None or staff.organization_id != account.organization_id:
        return bool(getattr(user, "is_superuser", False))
    if staff.is_org_admin or is_current_manager(staff, account, index):
        return True
    return has_capability(user, "manage_accounts", account=account, index=index)


def is_account_manager(user: Any, account: OfficialAccount) -> bool:
    """The account's manager or a holder of a role that may manage credentials for it: no administrator bypass
    (for what only the responsible person should touch, such as the platform credentials)."""
    staff = staff_of(user)
    if staff is None or staff.organization_id != account.organization_id:
        return False
    return is_current_manager(staff, account) or has_capability(user, "manage_credentials", account=account)


def can_edit(user: Any, account: OfficialAccount, index: HolderIndex | None = None) -> bool:
    """Managers and the account's operators (``.all()`` so a list page's prefetch_related is used)."""
    staff = staff_of(user)
    return is_manager(user, account, index) or (
        staff is not None and any(o.pk == staff.pk for o in account.operators.all())
    )


def moved_out_of(staff: Staff | None, account: OfficialAccount) -> PersonnelChange | None:
    """The applied 異動 that took ``staff`` out of the account's department (or a 部 above it), while they
    work outside it now; None otherwise. Refusals and warnings name it (issue #13 item 3)."""
    if staff is None or staff.organization_id != account.organization_id:
        return None
    lineage = account.department.lineage_ids()
    now = Staff.objects.filter(pk=staff.pk).values("department_id", "status").first()  # not a stale copy
    if now is None or (now["department_id"] in lineage and now["status"] == Staff.Status.ACTIVE):
        return None
    return (
        PersonnelChange.objects.filter(
            staff=staff,
            state=PersonnelChange.State.APPLIED,
            kind__in=(PersonnelChange.Kind.MOVE, PersonnelChange.Kind.LEAVE),
            from_department_id__in=lineage,
        )
        .select_related("from_department")
        .order_by("-effective_date", "-pk")
        .first()
    )
