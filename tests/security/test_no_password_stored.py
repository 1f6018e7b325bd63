"""After rotations with a password, the database holds neither the password nor any unkeyed hash of it."""

from __future__ import annotations

import base64
import hashlib

from django.db import connection
from django.utils import timezone

from koshiki.security import services
from koshiki.security.models import Rotation

from .conftest import SeedBody

PASSWORD = "Kawa-Sakura-Tonbo-8372!"


def _every_value_in_the_database() -> str:
    """All rows of all tables as text (bytes as hex too), the way someone with a dump would see them."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        raw = bytes(value)
                        parts += [raw.hex(), raw.decode("latin-1")]
                    else:
                        parts.append(str(value))
    return "\n".join(parts)


def test_the_database_holds_no_password_and_no_unkeyed_hash(seed_body: SeedBody) -> None:
    services.add_holder(
        actor=seed_body.manager.user, account=seed_body.account, staff=seed_body.operator, reason="主担当"
    )
    services.record_rotation(
        actor=seed_body.operator.user,
        account=seed_body.account,
        rotated_on=timezone.localdate(),
        reason="scheduled",
        new_password=PASSWORD,
    )
    dump = _every_value_in_the_database()
    raw = PASSWORD.encode()
    forbidden = {PASSWORD, base64.b64encode(raw).decode(), raw.hex()}
    for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "blake2b"):
        digest = hashlib.new(name, raw)
        forbidden |= {digest.hexdigest(), base64.b64encode(digest.digest()).decode()}
    leaked = [value for value in forbidden if value in dump]
    assert leaked == []
    fingerprint = Rotation.objects.get(account=seed_body.account, reason="scheduled").fingerprint
    assert len(fingerprint) == 64 and fingerprint in dump  # the keyed HMAC is there, and only that


def test_the_fingerprint_key_is_sealed_not_stored_plain(iwaki_body: SeedBody) -> None:
    import hmac

    from koshiki.core.crypto import unseal
    from koshiki.security.models import OrganizationKey

    services.add_holder(
        actor=iwaki_body.manager.user, account=iwaki_body.account, staff=iwaki_body.operator, reason="主担当"
    )
    services.record_rotation(
        actor=iwaki_body.operator.user,
        account=iwaki_body.account,
        rotated_on=timezone.localdate(),
        reason="scheduled",
        new_password=PASSWORD,
    )
    row = OrganizationKey.objects.get(organization=iwaki_body.organization)
    key = unseal(row.sealed_key)
    assert key.hex() not in _every_value_in_the_database()
    expected = hmac.new(key, PASSWORD.encode(), hashlib.sha256).hexdigest()
    assert Rotation.objects.get(account=iwaki_body.account).fingerprint == expected
