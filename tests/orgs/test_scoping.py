"""An outsider from another body sees nothing of this body's data."""

from __future__ import annotations

from typing import Any

from koshiki.audit.queries import entries_visible_to
from koshiki.orgs.models import PersonnelChange, Staff
from koshiki.orgs.scoping import scoped


def test_staff_see_their_own_body_only(iwaki: Any, outsider: Any) -> None:
    seen = set(scoped(Staff.objects, iwaki.tanto.user).values_list("organization__code", flat=True))
    assert seen == {"072044"}


def test_outsider_sees_none_of_iwaki(iwaki: Any, outsider: Any) -> None:
    assert not scoped(Staff.objects, outsider.user).filter(organization=iwaki.organization).exists()
    assert not scoped(PersonnelChange.objects, outsider.user).filter(organization=iwaki.organization).exists()


def test_a_user_with_no_staff_record_sees_nothing(iwaki: Any, django_user_model: Any) -> None:
    stranger = django_user_model.objects.create_user("stranger", password="x-very-long-password")
    assert not scoped(Staff.objects, stranger).exists()


def test_audit_log_is_for_administrators_and_ciso(iwaki: Any) -> None:
    assert entries_visible_to(iwaki.kacho.user).exists()
    assert entries_visible_to(iwaki.ciso.user).exists()
    assert not entries_visible_to(iwaki.tanto.user).exists()


def test_outsider_administrator_reads_only_their_own_audit(iwaki: Any, outsider: Any) -> None:
    assert set(entries_visible_to(outsider.user).values_list("organization_code", flat=True)) == {"232211"}


def test_staff_who_left_see_nothing(iwaki: Any) -> None:
    from django.utils import timezone

    from koshiki.orgs import services

    services.record_personnel_change(
        actor=iwaki.kacho.user, staff=iwaki.tanto, kind="leave", effective_date=timezone.localdate()
    )
    assert not scoped(Staff.objects, iwaki.tanto.user).exists()


def test_a_superuser_given_a_manager_gets_a_queryset(iwaki: Any, system_admin: Any) -> None:
    """``scoped`` takes ``Model.objects`` as the views pass it, and always hands back a QuerySet."""
    from django.db.models import QuerySet

    assert isinstance(scoped(Staff.objects, system_admin), QuerySet)


def test_acting_staff_is_the_staff_record_or_a_clear_refusal(iwaki: Any, system_admin: Any) -> None:
    import pytest

    from koshiki.core.errors import NotPermitted
    from koshiki.orgs.scoping import acting_staff

    assert acting_staff(iwaki.tanto.user) == iwaki.tanto
    with pytest.raises(NotPermitted, match="職員"):
        acting_staff(system_admin)
