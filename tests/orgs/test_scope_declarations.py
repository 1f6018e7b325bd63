"""Scoping is declared on each model: every koshiki model names its path to
Organization or says why it has none."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from koshiki.audit.models import AuditEntry
from koshiki.orgs.models import Organization
from koshiki.orgs.scoping import scope_path_of, scoped
from koshiki.posts.models import AfterReport
from koshiki.security.models import DeviceAccess, DeviceLossReport


def _koshiki_models() -> list[type[Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("koshiki.")]


def _leads_to_organization(model: type[Model], path: str) -> bool:
    if path == "pk":
        return model is Organization
    current: Any = model
    for part in path.split("__"):
        field = current._meta.get_field(part)
        if not field.is_relation:
            return False
        current = field.related_model
    return current is Organization


def test_every_koshiki_model_declares_its_scope() -> None:
    models = _koshiki_models()
    assert len(models) >= 30  # the walk really saw the apps
    for model in models:
        path = getattr(model, "scope_path", None)
        reason = getattr(model, "scope_unscoped", None)
        assert (path is None) != (reason is None), (
            f"{model.__name__}: declare exactly one of scope_path / scope_unscoped"
        )
        if path is not None:
            assert _leads_to_organization(model, path), (
                f"{model.__name__}.scope_path={path!r} does not lead to Organization"
            )
        else:
            assert isinstance(reason, str) and len(reason) >= 20, f"{model.__name__}: say why it is unscoped"


def test_paths_come_from_the_model() -> None:
    assert scope_path_of(AfterReport) == "post__organization"
    assert scope_path_of(DeviceAccess) == "account__organization"
    assert scope_path_of(DeviceLossReport) == "device__organization"


def test_an_unscoped_model_is_refused(iwaki: Any) -> None:
    with pytest.raises(ImproperlyConfigured, match="entries_visible_to"):
        scoped(AuditEntry.objects.all(), iwaki.kacho.user)


def test_a_model_without_a_declaration_is_refused(iwaki: Any) -> None:
    with pytest.raises(ImproperlyConfigured, match="declares no scope"):
        scoped(get_user_model().objects.all(), iwaki.kacho.user)


def test_superuser_is_refused_an_undeclared_model_too(system_admin: Any) -> None:
    with pytest.raises(ImproperlyConfigured):
        scoped(get_user_model().objects.all(), system_admin)


def test_scoped_follows_the_declared_path(iwaki: Any, outsider: Any) -> None:
    from koshiki.registry.models import OfficialAccount
    from koshiki.registry.services import request_account

    account = request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="いわき市危機管理課",
        purpose="防災情報",
    )
    assert list(scoped(OfficialAccount.objects.all(), iwaki.tanto.user)) == [account]
    assert not scoped(OfficialAccount.objects.all(), outsider.user).exists()
    assert list(scoped(Organization.objects.all(), iwaki.tanto.user)) == [iwaki.organization]


def test_of_organization_uses_the_declared_path(iwaki: Any, outsider: Any) -> None:
    from koshiki.orgs.models import Staff
    from koshiki.orgs.scoping import of_organization

    names = set(
        of_organization(Staff.objects.all(), iwaki.organization).values_list("organization_id", flat=True)
    )
    assert names == {iwaki.organization.pk}
    with pytest.raises(ImproperlyConfigured):
        of_organization(AuditEntry.objects.all(), iwaki.organization)
