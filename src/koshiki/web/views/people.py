from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import ServiceError
from koshiki.core.four_eyes import default_rule
from koshiki.guidelines import cite
from koshiki.logins import services as login_services
from koshiki.orgs import services
from koshiki.orgs.models import PersonnelChange, RoleAssignment, Staff
from koshiki.orgs.permissions import can_manage_org, can_read_audit
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import scoped
from koshiki.orgs.services.personnel_effects import is_far
from koshiki.posts.models import CalendarFeed
from koshiki.twostep import services as two_step_services

from ..forms import DepartmentAddForm, PersonnelChangeForm, RoleAssignForm, StaffAddForm
from .common import attempt, get_scoped, report_error, require_staff

PEOPLE_PAGE_SIZE = 50  # people per page


@login_required
def staff_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """The body's staff, a page at a time (issue #12: 横浜市's 1,178 people took 850 ms in one page);
    roles are read for the page's people only."""
    me = require_staff(request)
    people = (
        scoped(Staff.objects, request.user)
        .select_related("department")
        .order_by("status", "department__code", "display_name", "pk")
    )
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    profile = profile_for(me.organization)
    role_names = {role.id: role.name for role in profile.roles}
    holders: dict[int, list[str]] = {}
    for assignment in scoped(RoleAssignment.objects.current(), request.user).filter(staff__in=shown):
        holders.setdefault(assignment.staff_id, []).append(
            role_names.get(assignment.role_id, assignment.role_id)
        )
    rows = [{"staff": s, "roles": holders.get(s.pk, [])} for s in shown]
    return render(
        request,
        "koshiki/staff_list.html",
        {
            "rows": rows,
            "page": page,
            **_pending_roles(request, scoped(RoleAssignment.objects.all(), request.user)),
            "can_manage": can_manage_org(request.user, me.organization),
            "staff_form": kwargs.get("staff_form") or StaffAddForm(organization=me.organization),
            "department_form": kwargs.get("department_form") or DepartmentAddForm(),
        },
        status=kwargs.get("status", 200),
    )


def _pending_roles(request: HttpRequest, assignments: Any) -> dict[str, object]:
    """Self-granted roles waiting for a second administrator (four-eyes), with who may decide."""
    me = require_staff(request)
    profile = profile_for(me.organization)
    names = {role.id: role.name for role in profile.roles}
    pending = assignments.filter(state=RoleAssignment.State.PENDING).select_related("staff", "department")
    return {
        "pending_roles": [
            {
                "assignment": a,
                "label": names.get(a.role_id, a.role_id),
                "own": me.pk in (a.staff_id, a.granted_by_id),
            }
            for a in pending
        ],
        "four_eyes_rule": default_rule(),
    }


def _require_manager(request: HttpRequest) -> Staff:
    me = require_staff(request)
    if not can_manage_org(request.user, me.organization):
        raise Http404
    return me


@login_required
@require_POST
def staff_add(request: HttpRequest) -> HttpResponse:
    me = _require_manager(request)
    form = StaffAddForm(request.POST, organization=me.organization)
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = services.add_staff(
                actor=request.user,
                organization=me.organization,
                username=data["username"],
                display_name=data["display_name"],
                password=data["password"] or None,
                department=data["department"],
                title=data["title"],
                email=data["email"],
                language=data["language"],
                is_org_admin=data["is_org_admin"],
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": person.display_name})
            return redirect("staff-detail", staff_id=person.pk)
    return staff_list(request, staff_form=form, status=400)


@login_required
@require_POST
def department_add(request: HttpRequest) -> HttpResponse:
    me = _require_manager(request)
    form = DepartmentAddForm(request.POST)
    if form.is_valid():
        try:
            department = services.create_department(
                actor=request.user,
                organization=me.organization,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            messages.success(request, _("Department %(name)s has been added.") % {"name": department.name})
            return redirect("staff-list")
    return staff_list(request, department_form=form, status=400)


def _detail_context(request: HttpRequest, person: Staff) -> dict[str, object]:
    profile = profile_for(person.organization)
    assignments = []
    for assignment in person.roles.select_related("department").order_by("-start_date"):
        try:
            role = profile.role(assignment.role_id)
            label, citation = role.name, cite(profile, role)
        except KeyError:
            label, citation = assignment.role_id, ""
        assignments.append({"assignment": assignment, "label": label, "citation": citation})
    return {
        **_pending_roles(request, person.roles.all()),
        "person": person,
        "assignments": assignments,
        "changes": person.personnel_changes.select_related("from_department", "to_department"),
        "can_manage": can_manage_org(request.user, person.organization),
        "change_form": PersonnelChangeForm(organization=person.organization),
        "role_form": RoleAssignForm(organization=person.organization, profile=profile),
        "has_two_step": two_step_services.has_device(person.user),
        "has_feed": CalendarFeed.objects.filter(staff=person).exists(),
        "sign_in_locked": login_services.sign_in_locked(person),
        "held_credentials": person.held_credentials.filter(removed_at__isnull=True).select_related("account"),
        "history": _history(request, person),
    }


def _history(request: HttpRequest, person: Staff) -> object:
    """What the trail says about this person (their staff row and sign-in), for those who may read it."""
    if not can_read_audit(request.user, person.organization):
        return None
    return (
        AuditEntry.objects.filter(organization_id=person.organization_id)
        .filter(
            Q(object_type="orgs.staff", object_id=str(person.pk))
            | Q(object_type="auth.user", object_id=str(person.user_id))
        )
        .order_by("-seq")[:50]
    )


@login_required
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    require_staff(request)
    person = get_scoped(Staff.objects.select_related("department", "organization"), request.user, staff_id)
    return render(request, "koshiki/staff_detail.html", _detail_context(request, person))


@login_required
def personnel_change_create(request: HttpRequest, staff_id: int) -> HttpResponse:
    """Record a 異動. One dated today or earlier (or a year away) first shows its effects, computed by the
    applying code itself, and applies only when confirmed (issue #13 item 4)."""
    require_staff(request)
    person = get_scoped(Staff.objects.select_related("organization"), request.user, staff_id)
    if not can_manage_org(request.user, person.organization):
        raise Http404
    form = PersonnelChangeForm(request.POST or None, organization=person.organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        args: dict[str, Any] = {
            "actor": request.user,
            "staff": person,
            "kind": data["kind"],
            "effective_date": data["effective_date"],
            "to_department": data["to_department"],
            "note": data["note"],
        }
        confirming = request.POST.get("confirm") == "1"
        try:
            if not confirming and (
                data["effective_date"] <= timezone.localdate() or is_far(data["effective_date"])
            ):
                return _confirm_page(request, person, form, services.preview_personnel_change(**args))
            if confirming:
                args.update(
                    date_confirmed=request.POST.get("date_confirmed") == "on",
                    expected_effects=request.POST.get("digest", ""),
                    request_key=request.POST.get("request_key", ""),
                )
            change = services.record_personnel_change(**args)
        except ServiceError as error:
            if confirming and error.field in ("effects", "effective_date"):
                return _reconfirm(request, person, form, args, error)
            report_error(request, error, form)
        else:
            if change.state == PersonnelChange.State.APPLIED:
                messages.success(request, _("The personnel change has been applied."))
            else:
                messages.success(
                    request,
                    _("The personnel change is scheduled for %(date)s.") % {"date": change.effective_date},
                )
            return redirect("staff-detail", staff_id=person.pk)
    context = _detail_context(request, person)
    context["change_form"] = form
    return render(
        request, "koshiki/staff_detail.html", context, status=400 if request.method == "POST" else 200
    )


def _confirm_page(
    request: HttpRequest, person: Staff, form: Any, preview: Any, error: str = "", status: int = 200
) -> HttpResponse:
    """The effects as the applying code wrote them (then rolled back), and one confirmation form with a
    one-time key so a double-click records once."""
    return render(
        request,
        "koshiki/personnel_confirm.html",
        {
            "person": person,
            "form": form,
            "preview": preview,
            "request_key": uuid.uuid4().hex,
            "error": error,
            "past": preview.effective_date < timezone.localdate(),
        },
        status=status,
    )


def _reconfirm(
    request: HttpRequest, person: Staff, form: Any, args: dict[str, Any], error: ServiceError
) -> HttpResponse:
    """The data changed since the preview, or a far date was not confirmed: show the effects afresh."""
    fresh = {k: v for k, v in args.items() if k not in ("date_confirmed", "expected_effects", "request_key")}
    try:
        preview = services.preview_personnel_change(**fresh)
    except ServiceError as again:
        report_error(request, again, form)
        context = _detail_context(request, person)
        context["change_form"] = form
        return render(request, "koshiki/staff_detail.html", context, status=400)
    return _confirm_page(request, person, form, preview, error=error.message, status=409)


@login_required
def role_assign(request: HttpRequest, staff_id: int) -> HttpResponse:
    require_staff(request)
    person = get_scoped(Staff.objects.select_related("organization"), request.user, staff_id)
    if not can_manage_org(request.user, person.organization):
        raise Http404
    profile = profile_for(person.organization)
    form = RoleAssignForm(request.POST or None, organization=person.organization, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assign_role(
                actor=request.user,
                staff=person,
                role_id=form.cleaned_data["role_id"],
                department=form.cleaned_data["department"],
                start_date=form.cleaned_data["start_date"],
            )
        except ServiceError as error:
            report_error(request, error, form)
        else:
            if assignment.state == RoleAssignment.State.PENDING:
                messages.success(
                    request,
                    _(
                        "You granted this role to yourself: it takes effect once another"
                        " administrator confirms it."
                    ),
                )
            else:
                messages.success(request, _("The role has been assigned."))
            return redirect("staff-detail", staff_id=person.pk)
    context = _detail_context(request, person)
    context["role_form"] = form
    return render(
        request, "koshiki/staff_detail.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def role_decide(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """A second administrator confirms or refuses a self-granted role (the service checks who may)."""
    require_staff(request)
    assignment = get_scoped(
        RoleAssignment.objects.select_related("organization"), request.user, assignment_id
    )
    confirm = request.POST.get("decision") == "confirm"
    attempt(
        request,
        lambda: services.decide_role(
            actor=request.user,
            assignment=assignment,
            confirm=confirm,
            comment=request.POST.get("comment", ""),
        ),
        _("The role has been confirmed.") if confirm else _("The role has been refused."),
    )
    return redirect("staff-detail", staff_id=assignment.staff_id)


@login_required
@require_POST
def personnel_change_cancel(request: HttpRequest, change_id: int) -> HttpResponse:
    require_staff(request)
    change = get_scoped(PersonnelChange.objects.select_related("organization"), request.user, change_id)
    try:
        services.cancel_personnel_change(actor=request.user, change=change)
    except ServiceError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The personnel change has been cancelled."))
    return redirect("staff-detail", staff_id=change.staff_id)


@login_required
@require_POST
def two_step_reset(request: HttpRequest, staff_id: int) -> HttpResponse:
    """An administrator clears a lost authenticator; the person sets up a new one at next sign-in."""
    require_staff(request)
    person = get_scoped(Staff.objects.select_related("organization", "user"), request.user, staff_id)
    try:
        two_step_services.reset(
            actor=request.user,
            staff=person,
            reason=request.POST.get("reason", ""),
            keep_session=request.session.session_key if person.user_id == request.user.pk else None,
        )
    except ServiceError as error:
        report_error(request, error)
    else:
        messages.success(
            request,
            _("Two-step login has been reset. %(name)s sets it up again at next sign-in.")
            % {"name": person.display_name},
        )
    return redirect("staff-detail", staff_id=person.pk)


@login_required
@require_POST
def sign_in_unlock(request: HttpRequest, staff_id: int) -> HttpResponse:
    """An administrator lifts a password or two-step lock for staff of their own organization."""
    require_staff(request)
    person = get_scoped(Staff.objects.select_related("organization", "user"), request.user, staff_id)
    try:
        login_services.unlock_sign_in(actor=request.user, staff=person, reason=request.POST.get("reason", ""))
    except ServiceError as error:
        report_error(request, error)
    else:
        messages.success(request, _("%(name)s can sign in again.") % {"name": person.display_name})
    return redirect("staff-detail", staff_id=person.pk)


@login_required
@require_POST
def password_set(request: HttpRequest, staff_id: int) -> HttpResponse:
    """An administrator sets a new password for a person of their organization;
    all the person's sessions end."""
    require_staff(request)
    person = get_scoped(Staff.objects.select_related("organization", "user"), request.user, staff_id)
    if person.user_id == request.user.pk:
        return redirect("password-change")
    try:
        login_services.change_password(
            actor=request.user, staff=person, new_password=request.POST.get("new_password", "")
        )
    except ServiceError as error:
        report_error(request, error)
    else:
        messages.success(
            request,
            _("A new password has been set for %(name)s. Their sessions have been signed out.")
            % {"name": person.display_name},
        )
    return redirect("staff-detail", staff_id=person.pk)
