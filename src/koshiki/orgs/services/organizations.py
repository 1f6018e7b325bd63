"""Creating bodies and their departments."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action, snapshot
from koshiki.core.errors import InvalidInput, NotPermitted

from ..lgcode import is_valid_lgcode
from ..models import Department, Organization
from ..permissions import require_manage_org
from ..profiles import load_profile_or_error, profile_for

ORG_FIELDS = ("code", "lgcode", "kind", "name", "name_en", "profile_id", "profile_version", "web_domains")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _clean_domains(domains: list[str]) -> list[str]:
    cleaned = []
    for domain in domains:
        value = domain.strip().lower().rstrip(".")
        if value.startswith(("http://", "https://")) or not _DOMAIN.match(value):
            raise InvalidInput(
                _("“%(domain)s” is not a domain name (write it like city.example.lg.jp).")
                % {"domain": domain},
                field="web_domains",
            )
        cleaned.append(value)
    return sorted(set(cleaned))


@transaction.atomic
def create_organization(
    *,
    actor: Any,
    lgcode: str,
    name: str,
    profile_id: str,
    kind: str = Organization.Kind.EXECUTIVE,
    name_en: str = "",
    web_domains: list[str] | None = None,
) -> Organization:
    """Register a body under its guideline profile. Only system administrators may."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotPermitted(_("Only system administrators can register an organization."))
    lgcode = lgcode.strip()
    if not is_valid_lgcode(lgcode):
        raise InvalidInput(
            _("“%(code)s” is not a valid local government code (6 digits with check digit).")
            % {"code": lgcode},
            field="lgcode",
        )
    if kind not in Organization.Kind.values:
        raise InvalidInput(_("Unknown organization kind."), field="kind")
    if not name.strip():
        raise InvalidInput(_("Enter the organization's name."), field="name")
    profile = load_profile_or_error(profile_id)
    code = lgcode if kind == Organization.Kind.EXECUTIVE else f"{lgcode}-{kind}"
    if Organization.objects.filter(code=code).exists():
        raise InvalidInput(
            _("Local government code %(code)s is already registered.") % {"code": code}, field="lgcode"
        )
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                code=code,
                lgcode=lgcode,
                kind=kind,
                name=name.strip(),
                name_en=name_en.strip(),
                profile_id=profile.id,
                profile_version=profile.version,
                web_domains=_clean_domains(web_domains or []),
            )
    except IntegrityError as exc:  # a concurrent registration of the same code
        raise InvalidInput(
            _("Local government code %(code)s is already registered.") % {"code": code}, field="lgcode"
        ) from exc
    log_action(
        "orgs.organization.created",
        actor=actor,
        obj=organization,
        organization=organization,
        after=snapshot(organization, ORG_FIELDS),
    )
    return organization


def _save_list(
    organization: Organization, field: str, values: list[str], *, actor: Any, action: str
) -> Organization:
    """Replace one of the organization's list settings and audit before/after."""
    before = snapshot(organization, (field,))
    if list(getattr(organization, field) or []) == values:
        return organization  # the same list again: nothing changes, nothing to audit
    setattr(organization, field, values)
    organization.save(update_fields=[field])
    log_action(action, actor=actor, obj=organization, before=before, after=snapshot(organization, (field,)))
    return organization


@transaction.atomic
def set_web_domains(*, actor: Any, organization: Organization, domains: list[str]) -> Organization:
    require_manage_org(actor, organization)
    return _save_list(
        organization,
        "web_domains",
        _clean_domains(domains),
        actor=actor,
        action="orgs.organization.domains_changed",
    )


@transaction.atomic
def adopt_profile_version(*, actor: Any, organization: Organization) -> Organization:
    """Record that the organization has reviewed and adopted its profile's current
    version (clears the drift item)."""
    require_manage_org(actor, organization)
    organization = Organization.objects.select_for_update(of=("self",), no_key=True).get(pk=organization.pk)
    current = profile_for(organization).version
    if organization.profile_version == current:
        raise InvalidInput(_("The organization already uses the profile's current version."))
    before = snapshot(organization, ("profile_version",))
    organization.profile_version = current
    organization.save(update_fields=["profile_version"])
    log_action(
        "orgs.organization.profile_adopted",
        actor=actor,
        obj=organization,
        before=before,
        after=snapshot(organization, ("profile_version",)),
    )
    return organization


MAX_PUBLIC_ENTRIES = 2000


@transaction.atomic
def set_public_entries(*, actor: Any, organization: Organization, entries: list[str]) -> Organization:
    """Names and contacts that the checker must not flag (市長 in office, 市役所's number...)."""
    require_manage_org(actor, organization)
    cleaned = list(dict.fromkeys(e.strip() for e in entries if e.strip()))
    if len(cleaned) > MAX_PUBLIC_ENTRIES:
        raise InvalidInput(_("At most %(n)d entries.") % {"n": MAX_PUBLIC_ENTRIES}, field="public_entries")
    if any(len(e) > 200 for e in cleaned):
        raise InvalidInput(_("Each entry must be at most 200 characters."), field="public_entries")
    return _save_list(
        organization,
        "public_entries",
        cleaned,
        actor=actor,
        action="orgs.organization.public_entries_changed",
    )


@transaction.atomic
def create_department(
    *, actor: Any, organization: Organization, code: str, name: str, parent: Department | None = None
) -> Department:
    require_manage_org(actor, organization)
    if parent is not None and parent.organization_id != organization.pk:
        raise InvalidInput(_("That department belongs to another organization."), field="parent")
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InvalidInput(_("Enter both the department's code and name."), field="name")
    if Department.objects.filter(organization=organization, code=code).exists():
        raise InvalidInput(_("Department code %(code)s is already used.") % {"code": code}, field="code")
    department = Department.objects.create(organization=organization, code=code, name=name, parent=parent)
    log_action(
        "orgs.department.created",
        actor=actor,
        obj=department,
        after=snapshot(department, ("organization", "code", "name", "parent")),
    )
    return department


@transaction.atomic
def set_require_two_step(*, actor: Any, organization: Organization, required: bool) -> Organization:
    """Whether approvers and credential holders must sign in with a one-time code (on by default)."""
    require_manage_org(actor, organization)
    before = snapshot(organization, ("require_two_step",))
    if organization.require_two_step == bool(required):
        return organization  # already so: nothing changes, nothing to audit
    organization.require_two_step = bool(required)
    organization.save(update_fields=["require_two_step"])
    log_action(
        "orgs.organization.two_step_changed",
        actor=actor,
        obj=organization,
        before=before,
        after=snapshot(organization, ("require_two_step",)),
    )
    return organization


RETENTION_YEARS = range(1, 31)


@transaction.atomic
def set_records_retention_years(*, actor: Any, organization: Organization, years: int) -> Organization:
    """The body's retention period for post records (文書管理規程): when a 年度 may be archived."""
    require_manage_org(actor, organization)
    if years not in RETENTION_YEARS:
        raise InvalidInput(
            _("The retention period must be between 1 and 30 years."), field="records_retention_years"
        )
    if organization.records_retention_years == years:
        return organization
    before = snapshot(organization, ("records_retention_years",))
    organization.records_retention_years = years
    organization.save(update_fields=["records_retention_years"])
    log_action(
        "orgs.organization.retention_changed",
        actor=actor,
        obj=organization,
        before=before,
        after=snapshot(organization, ("records_retention_years",)),
    )
    return organization
