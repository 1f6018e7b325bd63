"""Password fingerprints for reuse detection: HMAC-SHA256 under a random per-organization key.

The key is sealed with the environment's key (koshiki.core.crypto), so the database alone holds
nothing that can be tested against a guessed password; the password itself lives only in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from django.db import IntegrityError, transaction

from koshiki.core.crypto import seal, unseal
from koshiki.orgs.models import Organization

from .models import OrganizationKey

PURPOSE = "password-fingerprint"


def _organization_key(organization: Organization) -> bytes:
    row = OrganizationKey.objects.filter(organization=organization, purpose=PURPOSE).first()
    if row is None:
        try:
            with transaction.atomic():
                row = OrganizationKey.objects.create(
                    organization=organization, purpose=PURPOSE, sealed_key=seal(secrets.token_bytes(32))
                )
        except IntegrityError:  # created at the same moment by another request
            row = OrganizationKey.objects.get(organization=organization, purpose=PURPOSE)
    return unseal(row.sealed_key)


def fingerprint(organization: Organization, password: str) -> str:
    normalized = unicodedata.normalize("NFC", password).encode("utf-8")
    return hmac.new(_organization_key(organization), normalized, hashlib.sha256).hexdigest()
