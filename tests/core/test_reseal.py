"""Encryption-key rotation: `koshiki keys reseal` re-seals every sealed column with the first key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.apps import apps

from koshiki.audit.models import AuditEntry
from koshiki.cli import main
from koshiki.core.crypto import seal_text
from koshiki.core.sealed_fields import SEALED_FIELDS
from koshiki.posts.models import ChannelCredential
from koshiki.security.fingerprint import fingerprint
from koshiki.security.models import OrganizationKey
from koshiki.twostep import services as twostep
from koshiki.twostep.models import TOTPDevice

SRC = Path(__file__).resolve().parents[2] / "src" / "koshiki"


def test_the_registry_lists_every_sealed_field_of_every_model() -> None:
    found = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.fields
        if field.name.startswith("sealed_")
    }
    assert found == set(SEALED_FIELDS)


def test_the_registry_lists_every_sealed_field_declared_in_source() -> None:
    """The same by grep, so a model outside INSTALLED_APPS is not missed either."""
    declared = set()
    for path in SRC.glob("*/models.py"):
        for name in re.findall(r"^\s+(sealed_\w+)\s*=\s*models\.", path.read_text(), re.M):
            declared.add(name)
    assert declared == {name for _model, name in SEALED_FIELDS}


@pytest.fixture
def sealed_rows(iwaki: Any) -> dict[str, Any]:
    """One row in every sealed column, sealed with the old key."""
    twostep.start_enrolment(user=iwaki.shozokucho.user)
    fingerprint(iwaki.organization, "a password")
    from koshiki.registry.io import import_rows
    from koshiki.registry.models import OfficialAccount

    report = import_rows(
        actor=None,
        organization=iwaki.organization,
        source="test",
        rows=[
            {
                "所属コード": "kiki",
                "サービス": "bluesky",
                "アカウント名": "防災",
                "ID": "bousai.test",
                "URL": "https://bsky.app/profile/bousai.test",
                "目的": "防災情報",
                "状態": "運用中",
            }
        ],
    )
    assert not report.errors, report.errors
    account = OfficialAccount.objects.get(handle="bousai.test")
    ChannelCredential.objects.create(
        account=account,
        kind="bluesky",
        service_url="https://pds.example",
        identifier="bousai.test",
        sealed_secret=seal_text("app-pass"),
        sealed_session=seal_text("session"),
    )
    return {"user": iwaki.shozokucho.user, "organization": iwaki.organization}


def _opens_with_only(key: str) -> bool:
    fernet = Fernet(key.encode())
    tokens = [
        TOTPDevice.objects.get().sealed_secret,
        OrganizationKey.objects.get().sealed_key,
        ChannelCredential.objects.get().sealed_secret,
        ChannelCredential.objects.get().sealed_session,
    ]
    try:
        for token in tokens:
            fernet.decrypt(token.encode())
    except Exception:
        return False
    return True


def test_reseal_moves_every_sealed_value_to_the_first_key_and_audits_counts(
    sealed_rows: dict[str, Any], settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    old = settings.KOSHIKI_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.KOSHIKI_ENCRYPTION_KEYS = [new, old]
    assert not _opens_with_only(new)
    assert main(["keys", "reseal", "--batch-size", "1"]) == 0
    assert _opens_with_only(new)
    assert "4" in capsys.readouterr().out
    entry = AuditEntry.objects.filter(action="core.keys.resealed").get()
    assert entry.after["resealed"] == 4 and entry.after["unreadable"] == 0
    assert "app-pass" not in str(entry.after) and "session" not in str(entry.after).replace(
        "sealed_session", ""
    )
    settings.KOSHIKI_ENCRYPTION_KEYS = [new]  # the old key can now be dropped
    assert twostep.pending_secret(sealed_rows["user"]) is not None


def test_reseal_twice_changes_nothing_the_second_time(sealed_rows: dict[str, Any], settings: Any) -> None:
    settings.KOSHIKI_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.KOSHIKI_ENCRYPTION_KEYS]
    assert main(["keys", "reseal"]) == 0
    before = TOTPDevice.objects.get().sealed_secret
    assert main(["keys", "reseal"]) == 0
    assert TOTPDevice.objects.get().sealed_secret == before
    second = AuditEntry.objects.filter(action="core.keys.resealed").order_by("-pk").first()
    assert second is not None and second.after["resealed"] == 0 and second.after["current"] == 4


def test_values_no_configured_key_opens_are_reported_and_left_alone(
    sealed_rows: dict[str, Any], settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    before = TOTPDevice.objects.get().sealed_secret
    settings.KOSHIKI_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the old key forgotten
    assert main(["keys", "reseal"]) == 1
    assert "KOSHIKI_ENCRYPTION_KEY" in capsys.readouterr().err
    assert TOTPDevice.objects.get().sealed_secret == before
    assert AuditEntry.objects.filter(action="core.keys.resealed").get().after["unreadable"] == 4


def test_keys_generate_prints_a_usable_fernet_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "generate"]) == 0
    Fernet(capsys.readouterr().out.strip().encode())


def test_keys_generate_secret_prints_a_long_django_secret(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "generate", "--kind", "secret"]) == 0
    assert len(capsys.readouterr().out.strip()) >= 50
