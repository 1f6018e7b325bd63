"""Post templates (防災, イベント ...): reusable texts for one account or the whole organization.

Each save is checked like a post: a 禁止 (block) finding refuses the save, citing the clause, because a
template is copied into many posts; warnings are kept on the template and shown. Who may manage: for one
account, whoever may write its posts; for the whole organization, its administrators and the holders of a
public-relations role (広報主管課; by the role's kind in the profile, never by a role id).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koshiki.audit.models import AuditEntry
from koshiki.audit.services import log_action
from koshiki.checks import CheckInputError, Finding, check
from koshiki.checks.learned import default_model
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.orgs.check_context import context_for
from koshiki.orgs.models import Organization, RoleAssignment
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import acting_staff, scoped, staff_of
from koshiki.registry.models import OfficialAccount

from ..models import Category, PostTemplate
from ..roles import can_write
from ..rules import check_platform

MAX_NAME = 100
ORG_WIDE_PLATFORM = (
    "facebook"  # an organization-wide template is checked for content, not one platform's length
)


def manages_org_templates(user: Any, organization: Organization) -> bool:
    """Administrators, and holders of a role of kind public_relations (広報主管課) in the body's profile."""
    if can_manage_org(user, organization):
        return True
    staff = staff_of(user)
    if staff is None or staff.organization_id != organization.pk:
        return False
    pr_roles = [r.id for r in profile_for(organization).roles if r.kind == "public_relations"]
    return (
        bool(pr_roles) and RoleAssignment.objects.current().filter(staff=staff, role_id__in=pr_roles).exists()
    )


def can_manage(user: Any, organization: Organization, account: OfficialAccount | None) -> bool:
    if account is None:
        return manages_org_templates(user, organization)
    return can_write(user, account)


def visible_templates(user: Any) -> QuerySet[PostTemplate]:
    """The user's organization's templates that are in use (an outsider sees none: orgs.scoping)."""
    return scoped(PostTemplate.objects.select_related("account"), user).filter(archived=False)


def _require(user: Any, organization: Organization, account: OfficialAccount | None) -> None:
    staff = staff_of(user)
    if staff is None or staff.organization_id != organization.pk:
        raise NotPermitted(_("Only staff of this organization can manage its templates."))
    if not can_manage(user, organization, account):
        if account is None:
            raise NotPermitted(
                _(
                    "Only administrators and the public relations division can manage"
                    " organization-wide templates."
                )
            )
        raise NotPermitted(_("Only those who may write this account's posts can manage its templates."))


def _clean(name: str, category: str, text: str) -> tuple[str, str]:
    name, text = name.strip(), text.strip()
    if not name:
        raise InvalidInput(_("Give the template a name."), field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(
            _("A template name may be at most %(n)d characters.") % {"n": MAX_NAME}, field="name"
        )
    if not text:
        raise InvalidInput(_("Write the template's text."), field="text")
    if category not in Category.values:
        raise InvalidInput(_("Choose a category."), field="category")
    return name, text


def _checked(organization: Organization, account: OfficialAccount | None, text: str) -> list[dict[str, Any]]:
    """The checker's findings; a block refuses the save with its clause (nothing is written)."""
    platform = check_platform(account) if account is not None else ORG_WIDE_PLATFORM
    try:
        found = check(text, context=context_for(organization), platform=platform, learned=default_model())
    except CheckInputError as exc:
        raise InvalidInput(str(exc), field="text") from exc
    japanese = (get_language() or "ja").startswith("ja")
    blocks = [f for f in found if f.severity == "block"]
    if blocks:
        raise InvalidInput(
            _("The template cannot be saved: %(findings)s. Change the text.")
            % {"findings": "; ".join(_describe(f, text, japanese) for f in blocks)},
            field="text",
        )
    return [
        {
            "category": f.category,
            "severity": f.severity,
            "message": f.message_ja if japanese else f.message_en,
            "clauses": list(f.clauses),
            "excerpt": text[f.start : f.end][:60],
        }
        for f in found
    ]


def _describe(finding: Finding, text: str, japanese: bool) -> str:
    message = finding.message_ja if japanese else finding.message_en
    clauses = " ".join(finding.clauses)
    return f"「{text[finding.start : finding.end][:40]}」 {message}" + (f"（{clauses}）" if clauses else "")


@transaction.atomic
def create_template(
    *,
    actor: Any,
    organization: Organization,
    name: str,
    text: str,
    category: str = Category.NOTICE,
    account: OfficialAccount | None = None,
    request_key: str = "",
) -> PostTemplate:
    """A new template for ``account``, or for the whole organization when ``account`` is None.

    ``request_key``: the create form's one-time key; a second request with it (a double click on Save)
    returns the first template and writes nothing.
    """
    key = request_key[:64]
    if key:
        done = PostTemplate.objects.filter(organization=organization, request_key=key).first()
        if done is not None:
            return done
    if account is not None and account.organization_id != organization.pk:
        raise InvalidInput(_("Choose an account of this organization."), field="account")
    _require(actor, organization, account)
    name, text = _clean(name, category, text)
    findings = _checked(organization, account, text)
    try:
        with transaction.atomic():
            template = PostTemplate.objects.create(
                organization=organization,
                account=account,
                name=name,
                category=category,
                text=text,
                findings=findings,
                created_by=acting_staff(actor),
                request_key=key,
            )
    except IntegrityError:
        if not key:
            raise
        # the same form, sent twice at once: the other request saved it
        return PostTemplate.objects.get(organization=organization, request_key=key)
    log_action(
        "posts.template.created",
        actor=actor,
        obj=template,
        organization=organization,
        after={
            "name": name,
            "category": category,
            "scope": "account" if account is not None else "organization",
            "account": account.pk if account is not None else None,
            "text": text,
            "findings": [f"{f['severity']}:{f['category']}" for f in findings],
        },
    )
    return template


def _locked(template: PostTemplate, expected_version: int | None) -> PostTemplate:
    """The row, locked; refused when someone changed it since the editor's page was drawn."""
    current = PostTemplate.objects.select_for_update(of=("self",), no_key=True).get(pk=template.pk)
    if expected_version is not None and current.version != expected_version:
        last = (
            AuditEntry.objects.filter(
                object_type="posts.posttemplate",
                object_id=str(current.pk),
                action__startswith="posts.template.",
            )
            .order_by("-seq")
            .values_list("actor_name", flat=True)
            .first()
        )
        raise InvalidTransition(
            _(
                "Someone changed this template after you opened it (now 「%(name)s」, version %(version)d"
                "%(by)s). Reload the page, then make your change again."
            )
            % {
                "name": current.name,
                "version": current.version,
                "by": _(", by %(who)s") % {"who": last} if last else "",
            }
        )
    return current


@transaction.atomic
def update_template(
    *,
    actor: Any,
    template: PostTemplate,
    name: str,
    text: str,
    category: str,
    expected_version: int | None = None,
) -> PostTemplate:
    """Save new text; ``expected_version`` is the editor's page's: a stale page overwrites nothing."""
    template = _locked(template, expected_version)
    _require(actor, template.organization, template.account)
    if template.archived:
        raise InvalidTransition(_("This template is archived."))
    name, text = _clean(name, category, text)
    findings = _checked(template.organization, template.account, text)
    before = {"name": template.name, "category": template.category, "text": template.text}
    template.name, template.category, template.text, template.findings = name, category, text, findings
    template.version += 1
    template.save(update_fields=["name", "category", "text", "findings", "version", "updated_at"])
    log_action(
        "posts.template.updated",
        actor=actor,
        obj=template,
        organization=template.organization,
        before=before,
        after={
            "name": name,
            "category": category,
            "text": text,
            "findings": [f"{f['severity']}:{f['category']}" for f in findings],
        },
    )
    return template


@transaction.atomic
def archive_template(
    *, actor: Any, template: PostTemplate, expected_version: int | None = None
) -> PostTemplate:
    template = _locked(template, expected_version)
    _require(actor, template.organization, template.account)
    if template.archived:
        raise InvalidTransition(_("This template is archived."))
    template.archived = True
    template.version += 1
    template.save(update_fields=["archived", "version", "updated_at"])
    log_action(
        "posts.template.archived",
        actor=actor,
        obj=template,
        organization=template.organization,
        after={"name": template.name},
    )
    return template
