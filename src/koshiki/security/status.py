"""Where each account and device stands against the guideline: due dates, holders, 2FA, device hygiene.

One pass over an organization's rows (a handful of queries, not one per account), shared by the
security board, the dashboard and the daily reminder job.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.orgs.models import Organization
from koshiki.orgs.profiles import profile_for
from koshiki.registry.lifecycle import LIVE_STATES, AccountState
from koshiki.registry.models import OfficialAccount

from .models import AccountSecurity, CredentialHolder, Device, DeviceAccess, Rotation, RotationTask
from .rules import CredentialRules, credential_rules

TRACKED_STATES = frozenset({*LIVE_STATES, AccountState.APPROVED})


def next_due(
    last_rotated_on: dt.date | None, since: dt.date, max_age_days: int | None, open_task_dues: list[dt.date]
) -> dt.date | None:
    """The strictest applicable rule wins: the periodic limit or an open 'rotate
    now' task, whichever is first."""
    candidates = list(open_task_dues)
    if max_age_days is not None:
        candidates.append((last_rotated_on or since) + dt.timedelta(days=max_age_days))
    return min(candidates) if candidates else None


@dataclass
class AccountStatus:
    account: OfficialAccount
    holders: list[CredentialHolder]
    last_rotated_on: dt.date | None
    due_on: dt.date | None
    open_tasks: list[RotationTask]
    security: AccountSecurity | None
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < self.today

    @property
    def two_step_missing(self) -> bool:
        return self.security is None or self.security.two_step_method == "none"


@dataclass(frozen=True)
class BoardLine:
    kind: (
        str  # overdue_rotation, rotate_now, too_many_holders, missing_two_step, personal_device, stale_device
    )
    title: str
    detail: str
    clause: str
    level: str = "warn"
    account_id: int | None = None
    device_id: int | None = None
    due: dt.date | None = None

    @property
    def url(self) -> str:
        """The page that fixes it: the account's security page, else the device's. Worked out when shown,
        not for every line of the body (issue #12: one reverse() per account on each dashboard)."""
        if self.account_id is not None:
            return reverse("account-security", args=[self.account_id])
        return reverse("device-detail", args=[self.device_id])


@dataclass
class OrganizationSecurity:
    organization: Organization
    rules: CredentialRules
    accounts: list[AccountStatus] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    pending_accesses: list[DeviceAccess] = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)
    organization_manager_role: str = ""  # the profile's account.manager_role (set by organization_security)
    _by_account: dict[int, AccountStatus] = field(default_factory=dict, repr=False, compare=False)
    _by_device: dict[int, Device] = field(default_factory=dict, repr=False, compare=False)

    def status_of(self, account_id: int | None) -> AccountStatus | None:
        """One account's status by id: a dict built once, not a walk over every account per board line
        (issue #12: O(lines × accounts) on the dashboard of a body with hundreds of accounts)."""
        if len(self._by_account) != len(self.accounts):
            self._by_account = {s.account.pk: s for s in self.accounts}
        return self._by_account.get(account_id) if account_id is not None else None

    def device_of(self, device_id: int | None) -> Device | None:
        if len(self._by_device) != len(self.devices):
            self._by_device = {d.pk: d for d in self.devices}
        return self._by_device.get(device_id) if device_id is not None else None

    def device_stale(self, device: Device) -> bool:
        return device.attested_on < self.today - dt.timedelta(days=self.rules.attestation_max_age_days)

    def device_unhealthy(self, device: Device) -> bool:
        old_patch = device.os_patched_on < self.today - dt.timedelta(days=self.rules.patch_max_age_days)
        return old_patch or device.antivirus != Device.Antivirus.ACTIVE


def organization_security(
    organization: Organization, *, today: dt.date | None = None, account_ids: list[int] | None = None
) -> OrganizationSecurity:
    day = today or timezone.localdate()
    rules = credential_rules(profile_for(organization))
    accounts = OfficialAccount.objects.filter(
        organization=organization, state__in=TRACKED_STATES
    ).select_related("department", "manager")
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    accounts_list = list(accounts)
    ids = [a.pk for a in accounts_list]
    holders: dict[int, list[CredentialHolder]] = defaultdict(list)
    for holder in CredentialHolder.objects.filter(account_id__in=ids, removed_at__isnull=True).select_related(
        "staff"
    ):
        holders[holder.account_id].append(holder)
    last = dict(
        Rotation.objects.filter(account_id__in=ids)
        .values("account_id")
        .annotate(last=Max("rotated_on"))
        .values_list("account_id", "last")
    )
    tasks: dict[int, list[RotationTask]] = defaultdict(list)
    for task in RotationTask.objects.filter(account_id__in=ids, state=RotationTask.State.OPEN):
        tasks[task.account_id].append(task)
    securities = {s.account_id: s for s in AccountSecurity.objects.filter(account_id__in=ids)}
    result = OrganizationSecurity(
        organization=organization,
        rules=rules,
        today=day,
        organization_manager_role=profile_for(organization).account.manager_role,
    )
    for account in accounts_list:
        since = (
            timezone.localdate(account.state_changed_at)
            if account.state_changed_at
            else timezone.localdate(account.created_at)
        )
        due = next_due(last.get(account.pk), since, rules.max_age_days, [t.due_on for t in tasks[account.pk]])
        result.accounts.append(
            AccountStatus(
                account,
                holders[account.pk],
                last.get(account.pk),
                due,
                tasks[account.pk],
                securities.get(account.pk),
                day,
            )
        )
    result.devices = list(
        Device.objects.filter(organization=organization, state=Device.State.IN_USE).select_related("owner")
    )
    result.pending_accesses = list(
        DeviceAccess.objects.filter(
            device__organization=organization,
            device__kind=Device.Kind.PERSONAL,
            state=DeviceAccess.State.PENDING,
        ).select_related("device", "device__owner", "account")
    )
    return result


def board_lines(state: OrganizationSecurity) -> list[BoardLine]:
    """Every problem, with the page that fixes it and the clause it comes from."""
    rules = state.rules
    lines: list[BoardLine] = []
    for status in state.accounts:
        account = status.account
        for task in status.open_tasks:
            lines.append(
                BoardLine(
                    "rotate_now",
                    _("Change the password of %(account)s now") % {"account": account},
                    task.detail,
                    rules.staff_change_citation if task.cause != "lost_device" else rules.hygiene_citation,
                    "danger" if task.due_on < state.today else "warn",
                    account.pk,
                    due=task.due_on,
                )
            )
        if status.overdue and not status.open_tasks:
            lines.append(
                BoardLine(
                    "overdue_rotation",
                    _("Password change overdue: %(account)s") % {"account": account},
                    _("Last changed on %(date)s; due by %(due)s.")
                    % {
                        "date": status.last_rotated_on.isoformat()
                        if status.last_rotated_on
                        else _("never recorded"),
                        "due": status.due_on.isoformat() if status.due_on else "—",
                    },
                    rules.max_age_citation,
                    "danger",
                    account.pk,
                    due=status.due_on,
                )
            )
        if len(status.holders) > rules.max_holders:
            lines.append(
                BoardLine(
                    "too_many_holders",
                    _("Too many people hold the login of %(account)s") % {"account": account},
                    _("%(count)d holders; the limit is %(limit)d.")
                    % {"count": len(status.holders), "limit": rules.max_holders},
                    rules.holders_citation,
                    "warn",
                    account.pk,
                )
            )
        if rules.two_step_required and status.two_step_missing:
            lines.append(
                BoardLine(
                    "missing_two_step",
                    _("Two-step login not confirmed: %(account)s") % {"account": account},
                    _("Turn it on at the platform, or record that the platform does not offer it."),
                    rules.two_step_citation,
                    "warn",
                    account.pk,
                )
            )
    for access in state.pending_accesses:
        lines.append(
            BoardLine(
                "personal_device",
                _("Personal device not approved: %(device)s") % {"device": access.device.label},
                _("%(owner)s asks to use it for %(account)s.")
                % {"owner": access.device.owner.display_name, "account": access.account},
                rules.devices_citation,
                "warn",
                access.account_id,
                access.device_id,
            )
        )
    for device in state.devices:
        if state.device_stale(device):
            lines.append(
                BoardLine(
                    "stale_device",
                    _("Device check out of date: %(device)s") % {"device": device.label},
                    _("%(owner)s last confirmed patches and anti-virus on %(date)s.")
                    % {"owner": device.owner.display_name, "date": device.attested_on.isoformat()},
                    rules.hygiene_citation,
                    "warn",
                    device_id=device.pk,
                )
            )
        elif state.device_unhealthy(device):
            lines.append(
                BoardLine(
                    "unhealthy_device",
                    _("Device needs updates: %(device)s") % {"device": device.label},
                    _("OS updated on %(date)s; anti-virus: %(av)s.")
                    % {"date": device.os_patched_on.isoformat(), "av": device.get_antivirus_display()},
                    rules.hygiene_citation,
                    "warn",
                    device_id=device.pk,
                )
            )
    return lines
