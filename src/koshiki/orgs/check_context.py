"""The checker's context for an organization: its profile, own domains and public entries."""

from __future__ import annotations

from collections.abc import Iterable

from koshiki.checks import CheckContext

from .models import Organization
from .profiles import profile_for


def context_for(
    organization: Organization, *, extra_domains: Iterable[str] = (), extra_public: Iterable[str] = ()
) -> CheckContext:
    return CheckContext.from_profile(
        profile_for(organization),
        own_domains=[*organization.web_domains, *extra_domains],
        public=[*organization.public_entries, *extra_public],
    )


def context_for_code(code: str, **kwargs: Iterable[str]) -> CheckContext:
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise LookupError(f"団体コード {code} の団体は登録されていません / no organization {code}")
    return context_for(organization, **kwargs)
