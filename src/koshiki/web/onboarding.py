"""First-run checklist of a new organization (issue #13): each step read from row state, never a flag.

A step is done when the rows say so (own domains and public names on the Organization, a holder for every
role an approval chain of the guideline needs, an account in operation, a published post), so the checklist
cannot drift from what is true. The body's administrators see it on their dashboard until every step is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from koshiki.guidelines.workflows import chain
from koshiki.orgs.models import Organization, RoleAssignment, Staff
from koshiki.orgs.profiles import profile_for
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post
from koshiki.registry.lifecycle import LIVE_STATES
from koshiki.registry.models import OfficialAccount

CHAINS = ("open_account", "change_account", "close_account", "post")


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    detail: str  # what is missing, or what was found
    done: bool
    link: str
    link_text: str


def required_roles(organization: Organization) -> list[str]:
    """The roles the guideline's approval chains name a step for (with Koshiki's documented defaults: the
    account manager approves where a chain names no step), in profile order: without a holder, a request or
    a post would wait on a step no one can take."""
    profile = profile_for(organization)
    needed = {step.role for name in CHAINS for step in chain(profile, name).steps}  # type: ignore[arg-type]
    return [role.id for role in profile.roles if role.id in needed]


def steps(organization: Organization) -> list[Step]:
    """The five steps in order; three queries whatever the size of the body."""
    profile = profile_for(organization)
    required = required_roles(organization)
    held = set(
        RoleAssignment.objects.current()
        .filter(organization=organization, role_id__in=required, staff__status=Staff.Status.ACTIVE)
        .values_list("role_id", flat=True)
    )
    missing = [profile.role(r).name for r in required if r not in held]
    accounts = OfficialAccount.objects.filter(organization=organization)
    live = accounts.filter(state__in=LIVE_STATES).exists()
    published = Post.objects.filter(organization=organization, state=PostState.PUBLISHED).exists()
    settings_url = reverse("org-settings")
    return [
        Step(
            "domains",
            _("Set the body's own web domains"),
            ", ".join(organization.web_domains) if organization.web_domains else _("No domain set yet."),
            bool(organization.web_domains),
            settings_url,
            _("Settings"),
        ),
        Step(
            "public_names",
            _("List the names the body publishes (public names)"),
            _("%(count)d names listed.") % {"count": len(organization.public_entries)}
            if organization.public_entries
            else _("No public name listed yet."),
            bool(organization.public_entries),
            settings_url,
            _("Settings"),
        ),
        Step(
            "roles",
            _("Give every role the approval chains need a holder"),
            _("Nobody holds: %(roles)s") % {"roles": "、".join(missing)}
            if missing
            else _("Every role the chains need has a holder."),
            not missing,
            reverse("staff-list"),
            _("People and roles"),
        ),
        Step(
            "account",
            _("Open the first official account"),
            _("An account is in operation.") if live else _("No account in operation yet."),
            live,
            reverse("registry") if live else reverse("account-request"),
            _("台帳") if live else _("Request an account"),
        ),
        Step(
            "post",
            _("Publish the first post"),
            _("A post is published.") if published else _("No post published yet."),
            published,
            reverse("post-compose"),
            _("Write a post"),
        ),
    ]


def checklist_for(staff: Staff | None) -> list[Step] | None:
    """The checklist for the body's administrators while a step is left; None otherwise (nothing shown)."""
    if staff is None or not staff.is_org_admin:
        return None
    todo = steps(staff.organization)
    return todo if not all(step.done for step in todo) else None
