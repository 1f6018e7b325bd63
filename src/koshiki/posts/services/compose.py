"""Writing a post: every save runs the checker; warnings are acknowledged one
by one; blocks need an approver."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.checks import CheckInputError, check
from koshiki.checks.learned import default_model
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.orgs.check_context import context_for
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import acting_staff, staff_of
from koshiki.registry.lifecycle import LIVE_STATES
from koshiki.registry.models import OfficialAccount

from ..lifecycle import EDITABLE, PostState
from ..models import Category, Post, PostImage
from ..roles import can_approve, can_write, is_own, write_refusal
from ..rules import posting_rules
from .common import finding_key, move

MAX_IMAGES = 4
MAX_IMAGE_BYTES = 1_000_000


def _findings(post: Post) -> list[dict[str, Any]]:
    alt_texts = [image.alt for image in post.images.all()]
    try:
        found = check(
            post.text,
            context=context_for(post.organization),
            platform=_platform(post.account),
            alt_texts=alt_texts,
            is_correction=post.corrects_id is not None,
            learned=default_model(),
        )
    except CheckInputError as exc:
        raise InvalidInput(str(exc), field="text") from exc
    return [
        {
            "category": f.category,
            "severity": f.severity,
            "start": f.start,
            "end": f.end,
            "message_ja": f.message_ja,
            "message_en": f.message_en,
            "clauses": list(f.clauses),
            "excerpt": post.text[f.start : f.end][:60],
            "detector": f.detector,  # rule detectors or "learned"; feedback records which one was wrong
        }
        for f in found
    ]


def _platform(account: OfficialAccount) -> str:
    from ..rules import check_platform

    return check_platform(account)


def _validate(account: OfficialAccount, actor: Any, text: str, category: str) -> None:
    if not can_write(actor, account):
        raise NotPermitted(write_refusal(actor, account))
    if account.state not in LIVE_STATES:
        raise InvalidInput(_("Posts go out only from a live account."), field="account")
    if not text.strip():
        raise InvalidInput(_("Write the post."), field="text")
    if category not in Category.values:
        raise InvalidInput(_("Choose a category."), field="category")


def _check_and_store(post: Post, actor: Any) -> None:
    post.findings = _findings(post)
    post.acknowledged = []
    post.override_reason, post.override_by = "", None
    post.save(update_fields=["findings", "acknowledged", "override_reason", "override_by"])
    log_action(
        "posts.post.checked",
        actor=actor,
        obj=post,
        organization=post.organization,
        after={
            "version": post.version,
            "findings": [f"{f['severity']}:{f['category']}" for f in post.findings],
            "learned": [f["category"] for f in post.findings if f.get("detector") == "learned"],
            "learned_model": default_model().digest,
        },
    )


def _add_images(post: Post, images: list[tuple[bytes, str, str]]) -> None:
    if len(images) > MAX_IMAGES:
        raise InvalidInput(_("At most %(n)d images.") % {"n": MAX_IMAGES}, field="image")
    for data, mime, alt in images:
        if mime not in ("image/png", "image/jpeg", "image/webp", "image/gif"):
            raise InvalidInput(_("Attach a PNG, JPEG, WebP or GIF image."), field="image")
        if len(data) > MAX_IMAGE_BYTES:
            raise InvalidInput(_("An image may be at most 1 MB."), field="image")
        PostImage.objects.create(post=post, data=data, mime_type=mime, alt=alt.strip())


@transaction.atomic
def create_post(
    *,
    actor: Any,
    account: OfficialAccount,
    text: str,
    category: str = Category.NOTICE,
    images: list[tuple[bytes, str, str]] | None = None,
    corrects: Post | None = None,
    correction_action: str = "",
) -> Post:
    """A new draft, checked at once (draft → checked)."""
    _validate(account, actor, text, category)
    if corrects is not None and (corrects.account_id != account.pk or corrects.state != PostState.PUBLISHED):
        raise InvalidInput(_("A correction follows a published post of the same account."), field="corrects")
    if correction_action not in ("", "delete", "annotate"):
        raise InvalidInput(_("Choose what happens to the original."), field="correction_action")
    writer = acting_staff(actor)
    post = Post.objects.create(
        organization=account.organization,
        account=account,
        author=writer,
        edited_by=writer,
        text=text.strip(),
        category=category,
        corrects=corrects,
        correction_action=correction_action if corrects else "",
    )
    _add_images(post, images or [])
    log_action(
        "posts.post.created",
        actor=actor,
        obj=post,
        organization=post.organization,
        after={
            "account": account.pk,
            "category": category,
            "corrects": corrects.pk if corrects else None,
            "text": post.text,
        },
    )
    _check_and_store(post, actor)
    move(post, PostState.CHECKED, actor=actor, action="posts.post.state")
    return post


@transaction.atomic
def edit_post(*, actor: Any, post: Post, text: str, category: str, expected_version: int) -> Post:
    """A new version of the text: checked again, acknowledgements and overrides start over."""
    post = Post.objects.select_for_update(of=("self",), no_key=True).get(pk=post.pk)
    _validate(post.account, actor, text, category)
    if post.state not in EDITABLE:
        raise InvalidTransition(_("Only a draft can be edited; withdraw it or wait for the decision."))
    if post.version != expected_version:
        raise InvalidTransition(_("Someone else changed this at the same time. Reload and try again."))
    before = {"text": post.text, "category": post.category, "version": post.version}
    post.text, post.category, post.version = text.strip(), category, post.version + 1
    post.edited_by = staff_of(actor)
    post.save(update_fields=["text", "category", "version", "edited_by"])
    log_action(
        "posts.post.edited",
        actor=actor,
        obj=post,
        organization=post.organization,
        before=before,
        after={"text": post.text, "category": category, "version": post.version},
    )
    _check_and_store(post, actor)
    if post.state == PostState.DRAFT:
        move(post, PostState.CHECKED, actor=actor, action="posts.post.state")
    return post


@transaction.atomic
def acknowledge_warning(*, actor: Any, post: Post, key: str) -> Post:
    """The author has read one warning and keeps the text as it is."""
    post = Post.objects.select_for_update(of=("self",), no_key=True).get(pk=post.pk)
    if not can_write(actor, post.account):
        raise NotPermitted(write_refusal(actor, post.account))
    warning = next((f for f in post.findings if f["severity"] == "warn" and finding_key(f) == key), None)
    if warning is None:
        raise InvalidInput(_("That warning is not on this version of the post."))
    if key not in post.acknowledged:
        post.acknowledged = [*post.acknowledged, key]
        post.save(update_fields=["acknowledged"])
    log_action(
        "posts.post.warning_acknowledged",
        actor=actor,
        obj=post,
        organization=post.organization,
        after={"warning": key, "category": warning["category"], "clauses": warning["clauses"]},
        clause=(warning["clauses"] or [""])[0],
    )
    return post


@transaction.atomic
def override_blocks(*, actor: Any, post: Post, reason: str) -> Post:
    """An approver lets a post with block findings go forward, in writing (e.g.
    the number is the city's own)."""
    post = Post.objects.select_for_update(of=("self",), no_key=True).get(pk=post.pk)
    if not can_approve(actor, post.account):
        raise NotPermitted(_("Only an approver of this account can override a block."))
    if is_own(actor, post):
        rules = posting_rules(profile_for(post.organization))
        raise NotPermitted(
            _(
                "You wrote or last edited this post, so another approver must decide whether its blocks"
                " may be overridden (%(rule)s)."
            )
            % {"rule": rules.four_eyes_citation}
        )
    if not reason.strip():
        raise InvalidInput(_("Write why the post may go out as it is."), field="reason")
    if post.state not in EDITABLE and post.state != PostState.SUBMITTED:
        raise InvalidTransition(_("This post can no longer be overridden."))
    post.override_reason, post.override_by = reason.strip(), staff_of(actor)
    post.save(update_fields=["override_reason", "override_by"])
    blocks = [f for f in post.findings if f["severity"] == "block"]
    log_action(
        "posts.post.block_overridden",
        actor=actor,
        obj=post,
        organization=post.organization,
        after={
            "reason": post.override_reason,
            "findings": [f"{f['category']}:{f['excerpt']}" for f in blocks],
        },
        clause=(blocks[0]["clauses"] or [""])[0] if blocks else "",
    )
    return post


CORRECTION_MARK = "【訂正】"


def correction_template(original: Post) -> str:
    """Post text is in the body's language (Japanese), whatever the UI language: say that it corrects."""
    published = (
        timezone.localtime(original.published_at).strftime("%-m月%-d日") if original.published_at else ""
    )
    return f"{CORRECTION_MARK}{published}の投稿に誤りがありました。正しくは次のとおりです。\n"
