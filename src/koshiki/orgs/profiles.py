"""The guideline profile an organization runs under."""

from __future__ import annotations

from django.utils.translation import gettext as _

from koshiki.core.errors import InvalidInput
from koshiki.guidelines import Profile, ProfileError, UnknownProfile, get_profile

from .models import Organization


def load_profile_or_error(profile_id: str) -> Profile:
    try:
        return get_profile(profile_id)
    except (UnknownProfile, ProfileError) as exc:
        raise InvalidInput(_("The guideline profile cannot be used: %(error)s") % {"error": exc}) from exc


def profile_for(organization: Organization) -> Profile:
    return load_profile_or_error(organization.profile_id)
