"""The password-reuse refusal names the other account only to people who manage that account's credentials."""

from __future__ import annotations

import pytest
from django.utils import timezone

from koshiki.core.errors import InvalidInput
from koshiki.security import services
from koshiki.security.models import Rotation
from koshiki.security.rules import credential_rules

from .conftest import SeedBody

STRONG = "Kawa-Sakura-Tonbo-8372!"


def _used_on_other_account(body: SeedBody) -> None:
    services.add_holder(actor=body.manager.user, account=body.account, staff=body.operator, reason="主担当")
    services.record_rotation(
        actor=body.manager.user,
        account=body.other_account,
        rotated_on=timezone.localdate(),
        reason="scheduled",
        new_password=STRONG,
    )


def test_a_holder_of_this_account_only_gets_a_generic_refusal_with_the_clause(iwaki_body: SeedBody) -> None:
    _used_on_other_account(iwaki_body)
    with pytest.raises(InvalidInput) as refused:
        services.record_rotation(
            actor=iwaki_body.operator.user,
            account=iwaki_body.account,
            rotated_on=timezone.localdate(),
            reason="scheduled",
            new_password=STRONG,
        )
    message = refused.value.message
    assert iwaki_body.other_account.account_name not in message
    assert timezone.localdate().isoformat() not in message
    assert "以前に使われています" in message
    assert credential_rules(iwaki_body.profile).no_reuse_citation in message
    assert not Rotation.objects.filter(account=iwaki_body.account, fingerprint__gt="").exists()


def test_the_manager_of_both_accounts_is_told_which_one(iwaki_body: SeedBody) -> None:
    _used_on_other_account(iwaki_body)
    with pytest.raises(InvalidInput) as refused:
        services.record_rotation(
            actor=iwaki_body.manager.user,
            account=iwaki_body.account,
            rotated_on=timezone.localdate(),
            reason="scheduled",
            new_password=STRONG,
        )
    assert iwaki_body.other_account.account_name in refused.value.message
