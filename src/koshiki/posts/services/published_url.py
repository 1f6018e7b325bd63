"""Correcting a published post's URL (issue #13): a post recorded by hand at a wrong address.

The URL shows on the post's page and in reports, so the one who recorded it (they know where they posted)
or the public relations division (広報主管課, who oversee every account) may correct it; audited, checked
against the account's platform like the first recording.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.orgs.permissions import can_manage_org, holds_role
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of
from koshiki.registry.links import post_url

from ..lifecycle import PostState
from ..models import Post


def can_correct_published_url(user: Any, post: Post) -> bool:
    """Who recorded the publication, the organization's administrators, and holders of a public relations
    role (by the role's kind in the profile, never its id)."""
    staff = staff_of(user)
    if staff is None or staff.organization_id != post.organization_id:
        return False
    if post.published_by_id is not None and post.published_by_id == staff.pk:
        return True
    if can_manage_org(user, post.organization):
        return True
    pr_roles = {role.id for role in profile_for(post.organization).roles if role.kind == "public_relations"}
    return bool(pr_roles) and holds_role(user, post.organization, pr_roles)


@transaction.atomic
def correct_published_url(*, actor: Any, post: Post, url: str, reason: str) -> Post:
    """Replace the published post's URL; the same URL again changes nothing and writes nothing."""
    post = (
        Post.objects.select_for_update(of=("self",), no_key=True)
        .select_related("account", "organization")
        .get(pk=post.pk)
    )
    if not can_correct_published_url(actor, post):
        raise NotPermitted(
            _("Only the person who recorded the publication or the public relations division can correct it.")
        )
    if post.state != PostState.PUBLISHED:
        raise InvalidTransition(_("Only a published post has a URL to correct."))
    if not reason.strip():
        raise InvalidInput(_("Write why the URL is corrected."), field="reason")
    url = post_url(post.account, url)
    if url == post.remote_url:
        return post
    before = {"url": post.remote_url}
    fields = ["remote_url"]
    if post.remote_id == post.remote_url:  # a manual recording keeps the URL as its id too
        post.remote_id = url
        fields.append("remote_id")
    post.remote_url = url
    post.save(update_fields=fields)
    log_action(
        "posts.post.url_corrected",
        actor=actor,
        obj=post,
        organization=post.organization,
        before=before,
        after={"url": url, "reason": reason.strip()},
    )
    return post
