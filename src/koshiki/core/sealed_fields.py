"""Every column that holds a value sealed with KOSHIKI_ENCRYPTION_KEY (core/crypto.py).

Key rotation (`koshiki keys reseal`) walks this list, so a new sealed column must be added here;
tests/core/test_reseal.py compares it with every model field named ``sealed_*``.
"""

from __future__ import annotations

SEALED_FIELDS: tuple[tuple[str, str], ...] = (
    ("twostep.TOTPDevice", "sealed_secret"),  # authenticator seeds
    ("security.OrganizationKey", "sealed_key"),  # per-organization HMAC keys for password fingerprints
    ("posts.ChannelCredential", "sealed_secret"),  # platform app passwords
    ("posts.ChannelCredential", "sealed_session"),  # platform sessions
    ("aireview.AIReviewSettings", "sealed_api_key"),  # AI reviewer endpoint keys (issue #14 A)
)
