"""Posts in the browser: composer with live check, post page with its actions, approval queue,
after-the-fact list, calendar and history; an account's publishing channel and standing approvals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.audit.queries import history_for
from koshiki.checks.detectors.platform import LIMITS
from koshiki.core.errors import ServiceError
from koshiki.guidelines import cite
from koshiki.orgs.models import Staff
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import scoped
from koshiki.posts import services
from koshiki.posts.channels import channel_kind, set_channel
from koshiki.posts.lifecycle import EDITABLE, PostState
from koshiki.posts.models import AfterReport, ChannelCredential, Post, StandingApproval
from koshiki.posts.roles import ApproverIndex, can_approve, can_write, is_own
from koshiki.posts.rules import check_platform, posting_rules
from koshiki.posts.search import search_posts
from koshiki.posts.services.bulk import MAX_BATCH
from koshiki.posts.services.common import finding_key, unacknowledged_warnings
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import HolderIndex, is_account_manager, is_manager

from ..post_forms import (
    ChannelForm,
    ComposeForm,
    DecisionForm,
    EditForm,
    ReasonForm,
    StandingForm,
    SubmitForm,
    UrlCorrectionForm,
    UrlForm,
    WithdrawForm,
)
from ..search_forms import PostFilterForm
from .common import attempt, current_staff, get_scoped, report_error, require_staff, submit_form
from .templates import template_choices

QUEUE_PAGE_SIZE = 50  # approval queue rows per page
AFTER_REPORT_PAGE_SIZE = 50  # after-the-fact reports per page (unacknowledged first)
POST_PAGE_SIZE = 50  # post list rows per page (the pager keeps the account filter)

IMAGE_MAGIC = {
    b"\x89PNG": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF8": "image/gif",
    b"RIFF": "image/webp",
}


def _image(upload: Any, alt: str) -> list[tuple[bytes, str, str]]:
    if not upload:
        return []
    data = upload.read(1_000_001)
    mime = next((m for magic, m in IMAGE_MAGIC.items() if data.startswith(magic)), "application/octet-stream")
    return [(data, mime, alt)]


def _accounts(request: HttpRequest) -> Any:
    return scoped(OfficialAccount.objects.select_related("organization", "department"), request.user)


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    accounts = _accounts(request)
    corrects = None
    if request.GET.get("corrects") or request.POST.get("corrects"):
        corrects = get_scoped(
            Post.objects.select_related("account"),
            request.user,
            int(request.GET.get("corrects") or request.POST.get("corrects") or 0),
        )
    initial: dict[str, Any] = {"account": request.GET.get("account")}
    if corrects is not None:
        initial = {
            "account": corrects.account_id,
            "category": corrects.category,
            "text": services.correction_template(corrects),
        }
    form = ComposeForm(request.POST or None, request.FILES or None, accounts=accounts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.create_post(
                actor=request.user,
                account=data["account"],
                text=data["text"],
                category=data["category"],
                images=_image(data["image"], data["alt"]),
                corrects=corrects,
                correction_action=request.POST.get("correction_action", "") if corrects else "",
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            messages.success(request, _("Saved and checked."))
            return redirect("post-detail", post_id=post.pk)
    return render(
        request,
        "koshiki/post_compose.html",
        {
            "form": form,
            "corrects": corrects,
            "limits": LIMITS,
            "platforms": {a.pk: check_platform(a) for a in accounts},
            "post_templates": template_choices(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _context(request: HttpRequest, post: Post, **forms: Any) -> dict[str, Any]:
    profile = profile_for(post.organization)
    rules = posting_rules(profile)
    step = services.pending_step(post)
    staff = current_staff(request)
    acknowledged = set(post.acknowledged)
    findings = [
        {**f, "key": finding_key(f), "acknowledged": finding_key(f) in acknowledged} for f in post.findings
    ]
    history, history_complete = history_for(request.user, post)
    return {
        "post": post,
        "findings": findings,
        "rules": rules,
        "step": step,
        "can_decide": step is not None and staff in step.waiting_for,
        "can_write": can_write(request.user, post.account),
        "can_approve": can_approve(request.user, post.account),
        "is_own": is_own(request.user, post),
        "can_override": can_approve(request.user, post.account) and not is_own(request.user, post),
        "editable": post.state in EDITABLE,
        "states": PostState,
        "history": history,
        "history_complete": history_complete,
        "pending_warnings": unacknowledged_warnings(post),
        "channel": channel_kind(post.account),
        "approvals": post.approvals.select_related("approver"),
        "corrections": post.corrections.all(),
        "attempts": post.publish_attempts.all(),
        "edit_form": forms.get("edit_form")
        or EditForm(initial={"text": post.text, "category": post.category, "version": post.version}),
        "submit_form": forms.get("submit_form")
        or SubmitForm(profile=profile, initial={"version": post.version}),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "override_form": forms.get("override_form") or ReasonForm(),
        "url_form": forms.get("url_form") or UrlForm(),
        "can_correct_url": post.state == PostState.PUBLISHED
        and services.can_correct_published_url(request.user, post),
        "url_correction_form": forms.get("url_correction_form")
        or UrlCorrectionForm(initial={"url": post.remote_url}),
        "limit": LIMITS[check_platform(post.account)].maximum,
    }


def _post(request: HttpRequest, post_id: int) -> Post:
    require_staff(request)
    return get_scoped(
        Post.objects.select_related("account", "author", "organization", "corrects"), request.user, post_id
    )


@login_required
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    return render(request, "koshiki/post_detail.html", _context(request, post))


def _act(
    request: HttpRequest,
    post_id: int,
    form_class: Any,
    key: str,
    action: Callable[[Post, dict[str, Any]], object],
    success: str,
    **form_kwargs: Any,
) -> HttpResponse:
    post = _post(request, post_id)
    if form_class is SubmitForm:
        form_kwargs["profile"] = profile_for(post.organization)

    def again(form: Any) -> HttpResponse:
        post.refresh_from_db()
        return render(request, "koshiki/post_detail.html", _context(request, post, **{key: form}))

    return submit_form(
        request,
        form_class(request.POST, **form_kwargs),
        lambda data: action(post, data),
        success,
        reverse("post-detail", args=[post.pk]),
        again,
    )


@login_required
@require_POST
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    return _act(
        request,
        post_id,
        EditForm,
        "edit_form",
        lambda p, d: services.edit_post(
            actor=request.user, post=p, text=d["text"], category=d["category"], expected_version=d["version"]
        ),
        _("Saved and checked."),
    )


@login_required
@require_POST
def post_submit(request: HttpRequest, post_id: int) -> HttpResponse:
    return _act(
        request,
        post_id,
        SubmitForm,
        "submit_form",
        lambda p, d: services.submit(
            actor=request.user,
            post=p,
            scheduled_at=d["scheduled_at"],
            exemption=d["exemption"] or "",
            hours_exception=d["hours_exception"] or "",
            expected_version=d["version"],
        ),
        _("Submitted."),
    )


@login_required
@require_POST
def post_decide(request: HttpRequest, post_id: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        post_id,
        DecisionForm,
        "decision_form",
        lambda p, d: services.decide(
            actor=request.user, post=p, approve=approve, comment=d["comment"], expected_version=d["version"]
        ),
        _("Your decision has been recorded."),
    )


@login_required
@require_POST
def post_override(request: HttpRequest, post_id: int) -> HttpResponse:
    return _act(
        request,
        post_id,
        ReasonForm,
        "override_form",
        lambda p, d: services.override_blocks(actor=request.user, post=p, reason=d["reason"]),
        _("The override has been recorded."),
    )


@login_required
@require_POST
def post_acknowledge(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    attempt(
        request,
        lambda: services.acknowledge_warning(actor=request.user, post=post, key=request.POST.get("key", "")),
    )
    return redirect("post-detail", post_id=post.pk)


@login_required
def post_withdraw(request: HttpRequest, post_id: int) -> HttpResponse:
    """A confirmation page (GET), then the withdrawal (POST); someone else's post needs the reason."""
    post = _post(request, post_id)
    staff = current_staff(request)
    others = staff is None or staff.pk != post.author_id
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and attempt(
            request,
            lambda: services.withdraw(actor=request.user, post=post, reason=form.cleaned_data["reason"]),
            _("Withdrawn."),
            form,
        ):
            return redirect("post-detail", post_id=post.pk)
        status = 400
    response = render(request, "koshiki/post_withdraw.html", {"post": post, "form": form, "others": others})
    response.status_code = status
    return response


@login_required
@require_POST
def post_manual(request: HttpRequest, post_id: int) -> HttpResponse:
    return _act(
        request,
        post_id,
        UrlForm,
        "url_form",
        lambda p, d: services.record_manual_publication(actor=request.user, post=p, url=d["url"]),
        _("Recorded as published."),
    )


@login_required
@require_POST
def post_retry(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    attempt(request, lambda: services.retry_failed(actor=request.user, post=post), _("Queued again."))
    return redirect("post-detail", post_id=post.pk)


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    """Posts waiting for approval, soonest first, a bounded page at a time (issue #12: 454 queries and
    321 ms for 横浜市 when every submitted post was listed at once)."""
    staff = require_staff(request)
    submitted = (
        scoped(Post.objects, request.user)
        .filter(state=PostState.SUBMITTED)
        .select_related(
            "account__organization", "account__department", "account__manager", "author", "organization"
        )
        .order_by(F("scheduled_at").asc(nulls_last=True), "pk")
    )
    page = Paginator(submitted, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    posts = list(page.object_list)
    steps = services.pending_steps(posts, index=HolderIndex(staff.organization))
    waiting = [
        {"post": post, "step": steps[post.pk], "mine": staff in steps[post.pk].waiting_for}  # type: ignore[union-attr]
        for post in posts
        if steps[post.pk] is not None
    ]
    return render(
        request, "koshiki/post_queue.html", {"waiting": waiting, "page": page, "max_batch": MAX_BATCH}
    )


@login_required
def after_reports(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    reports = scoped(AfterReport.objects, request.user).select_related(
        "post__organization",
        "post__account__organization",
        "post__account__department",
        "post__account__manager",
        "post__author",
        "acknowledged_by",
    )
    index = HolderIndex(staff.organization)
    profile = profile_for(staff.organization)
    rules = posting_rules(profile)

    def reason_label(reason: str) -> str:
        if reason == "standing":
            return _("Standing approval") + (f" {rules.standing_citation}" if rules.standing_citation else "")
        item = rules.exemption(reason)
        if item is None:
            return reason
        label = item.label_en if (request.LANGUAGE_CODE or "ja").startswith("en") else item.label
        where = cite(profile, item)
        return f"{label} {where}" if where else label

    ordered = reports.order_by(F("acknowledged_at").asc(nulls_first=True), "-due_on", "-pk")
    page = Paginator(ordered, AFTER_REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    reviewers = ApproverIndex(index)  # the approvers of each 課 worked out once, not once per report
    rows = [
        {"report": r, "mine": staff in reviewers.report_reviewers(r.post), "reason": reason_label(r.reason)}
        for r in page.object_list
    ]
    return render(request, "koshiki/after_reports.html", {"rows": rows, "page": page})


@login_required
@require_POST
def after_report_ack(request: HttpRequest, report_id: int) -> HttpResponse:
    require_staff(request)
    report = get_scoped(AfterReport.objects.select_related("post"), request.user, report_id)
    attempt(
        request,
        lambda: services.acknowledge_after_report(
            actor=request.user, report=report, comment=request.POST.get("comment", "")
        ),
        _("Acknowledged."),
    )
    return redirect("after-reports")


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    """Posts of the body, newest first, narrowed by the filter form (text, account, state, author, category,
    JST date range); the pager keeps the filter, an invalid filter is shown and not applied (#13)."""
    require_staff(request)
    mine = scoped(Post.objects, request.user)
    form = PostFilterForm(
        request.GET,
        accounts=_accounts(request).order_by("account_name", "pk"),
        authors=scoped(Staff.objects, request.user)
        .filter(pk__in=mine.values("author_id"))
        .order_by("display_name", "pk"),
    )
    criteria = form.criteria()
    posts = search_posts(mine.select_related("account", "author"), criteria)
    page = Paginator(posts.order_by("-created_at", "-pk"), POST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "koshiki/post_list.html",
        {"page": page, "form": form, "filtered": criteria.any},
    )


@login_required
def account_posting(request: HttpRequest, account_id: int) -> HttpResponse:
    """An account's publishing channel and standing approvals."""
    require_staff(request)
    account = get_scoped(_accounts(request), request.user, account_id)
    channel = ChannelCredential.objects.filter(account=account).first()
    channel_form = ChannelForm(
        initial={
            "kind": channel.kind if channel else "manual",
            "service_url": channel.service_url if channel else "",
            "identifier": channel.identifier if channel else "",
        }
    )
    standing_form = StandingForm()
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "channel":
                channel_form = ChannelForm(request.POST)
                if channel_form.is_valid():
                    set_channel(actor=request.user, account=account, **channel_form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return redirect("account-posting", account_id=account.pk)
            elif request.POST.get("form") == "standing":
                standing_form = StandingForm(request.POST)
                if standing_form.is_valid():
                    services.grant_standing_approval(
                        actor=request.user, account=account, **standing_form.cleaned_data
                    )
                    messages.success(request, _("The standing approval has been granted."))
                    return redirect("account-posting", account_id=account.pk)
            elif request.POST.get("form") == "revoke":
                standing = get_scoped(
                    StandingApproval.objects.all(), request.user, int(request.POST.get("standing", 0))
                )
                services.revoke_standing_approval(actor=request.user, standing=standing)
                return redirect("account-posting", account_id=account.pk)
        except ServiceError as error:
            report_error(
                request, error, channel_form if request.POST.get("form") == "channel" else standing_form
            )
        status = 400
    rules = posting_rules(profile_for(account.organization))
    return render(
        request,
        "koshiki/account_posting.html",
        {
            "account": account,
            "channel": channel,
            "channel_form": channel_form,
            "standing_form": standing_form,
            "standings": account.standing_approvals.select_related("granted_by"),
            "rules": rules,
            "is_manager": is_manager(request.user, account),
            "can_approve": can_approve(request.user, account),
            "can_manage_channel": is_account_manager(request.user, account),
            "posts": account.posts.order_by("-created_at")[:20],
        },
        status=status,
    )


@login_required
@require_POST
def post_correct_url(request: HttpRequest, post_id: int) -> HttpResponse:
    """Correct a published post's URL (its recorder or the public relations division; the service checks)."""
    return _act(
        request,
        post_id,
        UrlCorrectionForm,
        "url_correction_form",
        lambda p, d: services.correct_published_url(
            actor=request.user, post=p, url=d["url"], reason=d["reason"]
        ),
        _("The post's URL has been corrected."),
    )
