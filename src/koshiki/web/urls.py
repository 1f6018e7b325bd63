from django.contrib.auth import views as auth_views
from django.urls import path

from .views import audit, checking, dashboard, disclosure, people, profile, registry, registry_io, settings

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="koshiki/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", audit.audit_log, name="audit-log"),
    path("audit/verify/", audit.audit_verify, name="audit-verify"),
    path("people/", people.staff_list, name="staff-list"),
    path("people/add/", people.staff_add, name="staff-add"),
    path("people/departments/add/", people.department_add, name="department-add"),
    path("people/<int:staff_id>/", people.staff_detail, name="staff-detail"),
    path("people/<int:staff_id>/personnel/", people.personnel_change_create, name="personnel-create"),
    path("people/<int:staff_id>/roles/", people.role_assign, name="role-assign"),
    path("personnel/<int:change_id>/cancel/", people.personnel_change_cancel, name="personnel-cancel"),
    path("guideline/", profile.guideline_overview, name="guideline"),
    path("accounts/", registry.registry_list, name="registry"),
    path("accounts/request/", registry.account_request, name="account-request"),
    path("accounts/disclosure/", disclosure.disclosure_page, name="disclosure"),
    path("accounts/export/", registry_io.registry_export, name="registry-export"),
    path("accounts/import/", registry_io.registry_import, name="registry-import"),
    path("accounts/<int:account_id>/profile-text/", disclosure.account_profile_text, name="account-profile-text"),
    path("accounts/<int:account_id>/", registry.account_detail, name="account-detail"),
    path("accounts/<int:account_id>/policy/", registry.account_policy, name="account-policy"),
    path("accounts/<int:account_id>/decide/", registry.account_decide, name="account-decide"),
    path("accounts/<int:account_id>/activate/", registry.account_activate, name="account-activate"),
    path("accounts/<int:account_id>/announce/", registry.account_announce, name="account-announce"),
    path("accounts/<int:account_id>/complete/", registry.account_complete, name="account-complete"),
    path("accounts/<int:account_id>/stop/", registry.account_stop, name="account-stop"),
    path("accounts/<int:account_id>/review/", registry.account_review, name="account-review"),
    path("check/", checking.check_page, name="check"),
    path("check/api/", checking.check_api, name="check-api"),
    path("settings/", settings.organization_settings, name="org-settings"),
]
