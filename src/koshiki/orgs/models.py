"""Bodies, departments (所属), staff, role assignments and personnel changes (異動).

Models hold data only; every change goes through koshiki.orgs.services.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    scope_path: ClassVar[str] = "pk"  # orgs.scoping: the way to Organization

    class Kind(models.TextChoices):
        EXECUTIVE = "executive", _("Executive (the body itself)")
        COUNCIL = "council", _("Council (議会)")

    code = models.CharField(_("code"), max_length=40, unique=True, help_text="lgcode, or lgcode-council")
    lgcode = models.CharField(_("local government code"), max_length=6)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EXECUTIVE)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    profile_id = models.CharField(_("guideline profile"), max_length=60)
    profile_version = models.CharField(_("profile version"), max_length=60)
    web_domains = models.JSONField(_("own web domains"), default=list, blank=True)
    public_entries = models.JSONField(
        _("public names and contacts"),
        default=list,
        blank=True,
        help_text="Officials' names in their public role, public facilities' addresses and numbers:"
        " fine to publish.",
    )
    require_two_step = models.BooleanField(
        _("require two-step login"),
        default=True,
        help_text="Staff who approve or hold account credentials must sign in to Koshiki"
        " with a one-time code.",
    )
    records_retention_years = models.PositiveSmallIntegerField(
        _("retention period of post records (years)"),
        default=5,
        help_text="The body's 文書管理規程: how many years after the end of a fiscal year its posts'"
        " texts are kept before they may be archived.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lgcode", "kind"], name="orgs_unique_lgcode_kind"),
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="departments")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="部 above a 課: a 部等の長 approves for the 課 below it.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="orgs_unique_department_code"),
        ]
        ordering = ["organization", "code"]

    def __str__(self) -> str:
        return self.name

    def lineage_ids(self) -> list[int]:
        """This department and the ones above it, nearest first."""
        ids: list[int] = []
        node: Department | None = self
        while node is not None and node.pk not in ids:
            ids.append(node.pk)
            node = node.parent
        return ids


class Staff(models.Model):
    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="staff")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    display_name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True, help_text="職名, e.g. 広報広聴課長")
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="ja")
    is_org_admin = models.BooleanField(
        _("organization administrator"), default=False, help_text="Manages departments, staff and roles."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["organization", "department", "display_name"]

    def __str__(self) -> str:
        return self.display_name


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, on: dt.date | None = None) -> RoleAssignmentQuerySet:
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(state=RoleAssignment.State.CONFIRMED, start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gt=day)
        )


class RoleAssignment(models.Model):
    """A staff member holding one of the profile's roles, from start_date until end_date.

    A role an administrator grants to themselves is ``pending`` until a second administrator confirms it
    (four-eyes); only ``confirmed`` assignments count (``current()``).
    """

    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a second administrator")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="role_assignments")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="roles")
    role_id = models.CharField(_("role"), max_length=60)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True, help_text="Exclusive.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.CONFIRMED)
    granted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.CharField(max_length=300, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "role_id", "start_date"]
        # issue #12: the current holders of one body (HolderIndex, on every page that checks a role)
        indexes = [models.Index(fields=["organization", "state", "role_id"], name="role_current_by_org")]

    def __str__(self) -> str:
        return f"{self.staff} {self.role_id}"


class PersonnelChange(models.Model):
    """異動: a join, a move or a leave, applied on its effective date (by the worker if later)."""

    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization

    class Kind(models.TextChoices):
        JOIN = "join", _("Join")
        MOVE = "move", _("Move")
        LEAVE = "leave", _("Leave")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        APPLIED = "applied", _("Applied")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="personnel_changes")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="personnel_changes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    from_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    request_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="The confirmation form's one-time key: a double-click records once.",
    )

    class Meta:
        ordering = ["-effective_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "request_key"],
                condition=~models.Q(request_key=""),
                name="orgs_unique_personnel_request_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.kind} {self.effective_date}"
