"""The registry in the browser: list, request, and each account's page with the actions its user may take."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.audit.queries import history_for
from koshiki.core.errors import ServiceError
from koshiki.guidelines import cite
from koshiki.guidelines.workflows import citation
from koshiki.orgs.models import Department
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import scoped
from koshiki.registry import services
from koshiki.registry.checks import login_email_warning
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import OfficialAccount
from koshiki.registry.policy_prefill import prefilled
from koshiki.registry.roles import can_edit, is_manager
from koshiki.registry.search import search_accounts
from koshiki.registry.services.policy import current_policy

from ..registry_forms import (
    AccountRequestForm,
    AccountUrlForm,
    ActivateForm,
    AnnounceForm,
    DecisionForm,
    EmergencyStopForm,
    ManagerForm,
    PolicyForm,
    ReviewForm,
)
from ..search_forms import AccountFilterForm
from .common import attempt, current_staff, get_scoped, report_error, require_staff, submit_form


@login_required
def registry_list(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    form = AccountFilterForm(
        request.GET, departments=scoped(Department.objects, request.user).order_by("code", "pk")
    )
    criteria = form.criteria()
    accounts = search_accounts(
        scoped(OfficialAccount.objects, request.user).select_related("department", "manager"), criteria
    )
    page = Paginator(accounts.order_by("department__code", "platform", "account_name", "pk"), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "koshiki/registry_list.html",
        {
            "accounts": page,
            "page": page,
            "form": form,
            "filtered": criteria.any,
            "organization": staff.organization,
        },
    )


@login_required
def account_request(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    form = AccountRequestForm(
        request.POST or None, organization=staff.organization, initial={"department": staff.department_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            account = services.request_account(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            report_error(request, error, form)
        else:
            messages.success(
                request, _("The account has been requested. Complete its operating policy next.")
            )
            return redirect("account-detail", account_id=account.pk)
    return render(
        request,
        "koshiki/account_request.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _chain(account: OfficialAccount) -> list[dict[str, Any]]:
    """The opening chain step by step, as the approval engine sees it (done, pending, waiting, rejected)."""
    profile = profile_for(account.organization)
    on_chain = services.subject(account)
    approvals = list(account.approvals.filter(workflow="open_account").select_related("approver"))
    return [
        {
            "role": profile.role(state.step.role),
            "mode": state.step.mode,
            "status": state.status,
            "decisions": [a for a in approvals if a.step == state.index],
        }
        for state in on_chain.progress().steps
    ]


def _context(request: HttpRequest, account: OfficialAccount, **forms: Any) -> dict[str, Any]:
    profile = profile_for(account.organization)
    staff = current_staff(request)
    pending = services.pending_step(account) if account.state == AccountState.REQUESTED else None
    policy = current_policy(account)
    history, history_complete = history_for(request.user, account)
    return {
        "account": account,
        "profile": profile,
        "chain": _chain(account),
        "chain_citation": citation(profile, "open_account"),
        "can_decide": pending is not None and staff in pending.waiting_for,
        "can_edit": can_edit(request.user, account),
        "is_manager": is_manager(request.user, account),
        "policy": policy,
        "completeness": services.policy_completeness(account),
        "notices": account.notices.all(),
        "today": timezone.localdate(),
        "history": history,
        "history_complete": history_complete,
        "notice_rule": profile.closure.notice_before,
        "policy_form": forms.get("policy_form")
        or PolicyForm(initial=prefilled(account, profile, policy.items if policy else {}), profile=profile),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "activate_form": forms.get("activate_form")
        or ActivateForm(initial={"url": account.url, "handle": account.handle}),
        "announce_form": forms.get("announce_form") or AnnounceForm(),
        "reason_form": forms.get("reason_form") or EmergencyStopForm(),
        "review_form": forms.get("review_form") or ReviewForm(profile=profile),
        "reviews": account.reviews.select_related("reviewer")[:5],
        "states": AccountState,
        "login_email_warning": login_email_warning(account),
        "can_reassign_manager": services.can_reassign_manager(request.user, account),
        "manager_form": forms.get("manager_form") or ManagerForm(account=account),
        "can_correct_url": services.can_correct_url(request.user, account),
        "url_form": forms.get("url_form")
        or AccountUrlForm(initial={"url": account.url, "handle": account.handle}),
        "earliest_change": services.earliest_change(account),
        "notice_citation": cite(profile, profile.closure.notice_before),
        "change_citation": citation(profile, "change_account"),
    }


@login_required
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    require_staff(request)
    account = get_scoped(
        OfficialAccount.objects.select_related("department", "manager", "organization"),
        request.user,
        account_id,
    )
    return render(request, "koshiki/account_detail.html", _context(request, account))


def _act(
    request: HttpRequest,
    account_id: int,
    form_class: Any,
    form_key: str,
    action: Callable[[OfficialAccount, dict[str, Any]], object],
    success: str,
    **form_kwargs: Any,
) -> HttpResponse:
    require_staff(request)
    account = get_scoped(
        OfficialAccount.objects.select_related("organization", "department"), request.user, account_id
    )

    def again(form: Any) -> HttpResponse:
        account.refresh_from_db()
        return render(request, "koshiki/account_detail.html", _context(request, account, **{form_key: form}))

    return submit_form(
        request,
        form_class(request.POST, **form_kwargs),
        lambda data: action(account, data),
        success,
        reverse("account-detail", args=[account.pk]),
        again,
    )


@login_required
@require_POST
def account_policy(request: HttpRequest, account_id: int) -> HttpResponse:
    require_staff(request)
    account = get_scoped(OfficialAccount.objects.select_related("organization"), request.user, account_id)
    return _act(
        request,
        account_id,
        PolicyForm,
        "policy_form",
        lambda a, data: services.save_policy(actor=request.user, account=a, items=data),
        _("The operating policy has been saved."),
        profile=profile_for(account.organization),
    )


@login_required
@require_POST
def account_decide(request: HttpRequest, account_id: int) -> HttpResponse:
    return _act(
        request,
        account_id,
        DecisionForm,
        "decision_form",
        lambda a, data: services.decide(
            actor=request.user, account=a, approve=data["decision"] == "approve", comment=data["comment"]
        ),
        _("Your decision has been recorded."),
    )


@login_required
@require_POST
def account_activate(request: HttpRequest, account_id: int) -> HttpResponse:
    return _act(
        request,
        account_id,
        ActivateForm,
        "activate_form",
        lambda a, data: services.activate(actor=request.user, account=a, **data),
        _("The account is now active."),
    )


@login_required
@require_POST
def account_announce(request: HttpRequest, account_id: int) -> HttpResponse:
    return _act(
        request,
        account_id,
        AnnounceForm,
        "announce_form",
        lambda a, data: services.announce(actor=request.user, account=a, **data),
        _("The notice has been scheduled."),
    )


@login_required
@require_POST
def account_complete(request: HttpRequest, account_id: int) -> HttpResponse:
    require_staff(request)
    account = get_scoped(OfficialAccount.objects.all(), request.user, account_id)
    attempt(request, lambda: services.complete_notice(actor=request.user, account=account), _("Done."))
    return redirect("account-detail", account_id=account.pk)


@login_required
@require_POST
def notice_taken_down(request: HttpRequest, account_id: int, notice_id: int) -> HttpResponse:
    require_staff(request)
    account = get_scoped(OfficialAccount.objects.all(), request.user, account_id)
    notice = get_object_or_404(account.notices.all(), pk=notice_id)
    attempt(
        request,
        lambda: services.take_down_notice(actor=request.user, notice=notice),
        _("Recorded: the notice has come down."),
    )
    return redirect("account-detail", account_id=account.pk)


@login_required
@require_POST
def account_stop(request: HttpRequest, account_id: int) -> HttpResponse:
    return _act(
        request,
        account_id,
        EmergencyStopForm,
        "reason_form",
        lambda a, data: services.emergency_stop(
            actor=request.user, account=a, reason=data["reason"], confirmed=data["confirm"]
        ),
        _("The account has been stopped."),
    )


@login_required
@require_POST
def account_review(request: HttpRequest, account_id: int) -> HttpResponse:
    require_staff(request)
    account = get_scoped(OfficialAccount.objects.select_related("organization"), request.user, account_id)

    def record(a: OfficialAccount, data: dict[str, Any]) -> object:
        answers = {key[2:]: bool(value) for key, value in data.items() if key.startswith("c_")}
        return services.record_review(
            actor=request.user, account=a, answers=answers, decision=data["decision"], note=data["note"]
        )

    return _act(
        request,
        account_id,
        ReviewForm,
        "review_form",
        record,
        _("The review has been recorded."),
        profile=profile_for(account.organization),
    )


@login_required
@require_POST
def account_manager(request: HttpRequest, account_id: int) -> HttpResponse:
    """Name a new manager (after a 異動): the organization's administrators or 広報主管課
    (the service checks)."""
    require_staff(request)
    account = get_scoped(
        OfficialAccount.objects.select_related("organization", "department"), request.user, account_id
    )
    return _act(
        request,
        account_id,
        ManagerForm,
        "manager_form",
        lambda a, data: services.reassign_manager(actor=request.user, account=a, manager=data["manager"]),
        _("The new manager has been named."),
        account=account,
    )


@login_required
@require_POST
def account_correct_url(request: HttpRequest, account_id: int) -> HttpResponse:
    """Correct the account's URL: an edit before it is active, a change with notice once it is (the service
    decides which)."""
    require_staff(request)
    account = get_scoped(OfficialAccount.objects.all(), request.user, account_id)
    return _act(
        request,
        account_id,
        AccountUrlForm,
        "url_form",
        lambda a, data: services.correct_account_url(actor=request.user, account=a, **data),
        _("The URL change has been announced; it takes effect when the change is carried out.")
        if account.state == AccountState.ACTIVE
        else _("The URL correction has been recorded."),
    )
