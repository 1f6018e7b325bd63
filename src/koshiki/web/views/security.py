"""Account security in the browser: the board, each account's credential page, and the device register."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.core.errors import ServiceError
from koshiki.orgs.permissions import can_manage_org
from koshiki.orgs.scoping import scoped
from koshiki.registry.models import OfficialAccount
from koshiki.registry.roles import is_manager
from koshiki.security import services
from koshiki.security.models import Device, DeviceAccess
from koshiki.security.permissions import can_approve_devices, is_holder
from koshiki.security.status import board_lines, organization_security

from ..security_forms import (
    AccessDecisionForm,
    AccessForm,
    AttestForm,
    DeviceForm,
    HolderAddForm,
    HolderForm,
    LossForm,
    RotationForm,
    TwoStepForm,
)
from .common import attempt, current_staff, get_scoped, report_error, require_staff, submit_form

BOARD_PAGE_SIZE = 50  # problems, and accounts, per page of the security board


@login_required
def security_board(request: HttpRequest) -> HttpResponse:
    """Problems (``?page=``) and accounts (``?accounts=``) a page at a time: 横浜市's 428 accounts made one
    935 ms page (issue #12). The problems are still found over every account, so the count is the body's."""
    staff = require_staff(request)
    state = organization_security(staff.organization)
    lines = Paginator(board_lines(state), BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    accounts = Paginator(state.accounts, BOARD_PAGE_SIZE).get_page(request.GET.get("accounts"))
    return render(
        request,
        "koshiki/security_board.html",
        {
            "lines": lines,
            "page": lines,
            "accounts_page": accounts,
            "state": state,
            "rules": state.rules,
        },
    )


def _account_context(request: HttpRequest, account: OfficialAccount, **forms: Any) -> dict[str, Any]:
    state = organization_security(account.organization, account_ids=[account.pk])
    status = state.accounts[0] if state.accounts else None
    organization = account.organization
    return {
        "account": account,
        "status": status,
        "rules": state.rules,
        "lines": board_lines(state) if status else [],
        "is_manager": is_manager(request.user, account),
        "can_rotate": is_manager(request.user, account) or is_holder(request.user, account),
        "can_approve_devices": can_approve_devices(request.user, account),
        "rotations": account.rotations.select_related("recorded_by")[:20],
        "past_holders": account.credential_holders.filter(removed_at__isnull=False).select_related("staff")[
            :20
        ],
        "tasks": account.rotation_tasks.order_by("-created_at")[:20],
        "accesses": account.device_accesses.select_related("device", "device__owner", "decided_by"),
        "holder_form": forms.get("holder_form") or HolderAddForm(organization=organization, auto_id="add_%s"),
        "remove_form": forms.get("remove_form") or HolderForm(organization=organization, auto_id="remove_%s"),
        "rotation_form": forms.get("rotation_form") or RotationForm(),
        "two_step_form": forms.get("two_step_form")
        or TwoStepForm(
            initial={
                "two_step_method": getattr(status.security, "two_step_method", "none") if status else "none",
                "recovery_contact": getattr(status.security, "recovery_contact", "") if status else "",
            }
        ),
        "decision_form": AccessDecisionForm(),
    }


def _account(request: HttpRequest, account_id: int) -> OfficialAccount:
    require_staff(request)
    return get_scoped(
        OfficialAccount.objects.select_related("organization", "department", "manager"),
        request.user,
        account_id,
    )


@login_required
def account_security(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    return render(request, "koshiki/account_security.html", _account_context(request, account))


def _account_act(
    request: HttpRequest,
    account_id: int,
    form_class: Any,
    form_key: str,
    action: Callable[[OfficialAccount, dict[str, Any]], object],
    success: str,
    **form_kwargs: Any,
) -> HttpResponse:
    account = _account(request, account_id)
    if issubclass(form_class, HolderForm):
        form_kwargs["organization"] = account.organization
        form_kwargs["auto_id"] = "add_%s" if form_key == "holder_form" else "remove_%s"
    return submit_form(
        request,
        form_class(request.POST, **form_kwargs),
        lambda data: action(account, data),
        success,
        reverse("account-security", args=[account.pk]),
        lambda form: render(
            request, "koshiki/account_security.html", _account_context(request, account, **{form_key: form})
        ),
    )


@login_required
@require_POST
def holder_add(request: HttpRequest, account_id: int) -> HttpResponse:
    return _account_act(
        request,
        account_id,
        HolderAddForm,
        "holder_form",
        lambda a, d: services.add_holder(
            actor=request.user,
            account=a,
            staff=d["staff"],
            reason=d["reason"],
            confirm_moved=d["confirm_moved"],
        ),
        _("The holder has been added."),
    )


@login_required
@require_POST
def holder_remove(request: HttpRequest, account_id: int) -> HttpResponse:
    return _account_act(
        request,
        account_id,
        HolderForm,
        "remove_form",
        lambda a, d: services.remove_holder(
            actor=request.user, account=a, staff=d["staff"], reason=d["reason"]
        ),
        _("The holder has been removed. Change the password now."),
    )


@login_required
@require_POST
def rotation_record(request: HttpRequest, account_id: int) -> HttpResponse:
    return _account_act(
        request,
        account_id,
        RotationForm,
        "rotation_form",
        lambda a, d: services.record_rotation(actor=request.user, account=a, **d),
        _("The password change has been recorded."),
    )


@login_required
@require_POST
def two_step_set(request: HttpRequest, account_id: int) -> HttpResponse:
    return _account_act(
        request,
        account_id,
        TwoStepForm,
        "two_step_form",
        lambda a, d: services.set_two_step(
            actor=request.user,
            account=a,
            method=d["two_step_method"],
            recovery_contact=d["recovery_contact"] or "",
        ),
        _("Saved."),
    )


@login_required
@require_POST
def access_decide(request: HttpRequest, access_id: int) -> HttpResponse:
    require_staff(request)
    access = get_scoped(DeviceAccess.objects.select_related("account"), request.user, access_id)
    form = AccessDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        attempt(
            request,
            lambda: services.decide_device_access(
                actor=request.user,
                access=access,
                approve=data["decision"] == "approve",
                comment=data["comment"],
            ),
            _("Your decision has been recorded."),
        )
    return redirect("account-security", account_id=access.account_id)


# --- devices ----------------------------------------------------------------------------------


def _devices(request: HttpRequest) -> Any:
    staff = require_staff(request)
    devices = scoped(Device.objects.select_related("owner"), request.user)
    return devices if can_manage_org(request.user, staff.organization) else devices.filter(owner=staff)


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    form = DeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.register_device(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            report_error(request, error, form)
        else:
            messages.success(request, _("The device has been registered."))
            return redirect("device-detail", device_id=device.pk)
    state = organization_security(staff.organization)
    return render(
        request,
        "koshiki/device_list.html",
        {"devices": _devices(request), "form": form, "state": state, "rules": state.rules},
        status=400 if request.method == "POST" else 200,
    )


def _device_context(request: HttpRequest, device: Device, **forms: Any) -> dict[str, Any]:
    state = organization_security(device.organization)
    return {
        "device": device,
        "rules": state.rules,
        "stale": state.device_stale(device),
        "unhealthy": state.device_unhealthy(device),
        "accesses": device.accesses.select_related("account", "decided_by"),
        "attest_form": forms.get("attest_form")
        or AttestForm(initial={"os_patched_on": device.os_patched_on, "antivirus": device.antivirus}),
        "access_form": forms.get("access_form") or AccessForm(organization=device.organization),
        "loss_form": forms.get("loss_form") or LossForm(),
        "is_owner": current_staff(request) == device.owner,
    }


@login_required
def device_detail(request: HttpRequest, device_id: int) -> HttpResponse:
    device = get_scoped(_devices(request), request.user, device_id)
    return render(request, "koshiki/device_detail.html", _device_context(request, device))


def _device_act(
    request: HttpRequest,
    device_id: int,
    form_class: Any,
    form_key: str,
    action: Callable[[Device, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    device = get_scoped(_devices(request), request.user, device_id)
    kwargs = {"organization": device.organization} if form_class is AccessForm else {}
    return submit_form(
        request,
        form_class(request.POST, **kwargs),
        lambda data: action(device, data),
        success,
        reverse("device-detail", args=[device.pk]),
        lambda form: render(
            request, "koshiki/device_detail.html", _device_context(request, device, **{form_key: form})
        ),
    )


@login_required
@require_POST
def device_attest(request: HttpRequest, device_id: int) -> HttpResponse:
    return _device_act(
        request,
        device_id,
        AttestForm,
        "attest_form",
        lambda dev, d: services.attest_device(actor=request.user, device=dev, **d),
        _("Confirmed."),
    )


@login_required
@require_POST
def device_access(request: HttpRequest, device_id: int) -> HttpResponse:
    return _device_act(
        request,
        device_id,
        AccessForm,
        "access_form",
        lambda dev, d: services.request_device_access(actor=request.user, device=dev, **d),
        _("Registered for the account."),
    )


@login_required
@require_POST
def device_lost(request: HttpRequest, device_id: int) -> HttpResponse:
    return _device_act(
        request,
        device_id,
        LossForm,
        "loss_form",
        lambda dev, d: services.report_lost_device(actor=request.user, device=dev, **d),
        _("The loss has been reported. Every account it logged into must change its password now."),
    )
