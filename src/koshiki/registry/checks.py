"""Account-level warnings from the profile (not state changes): login e-mail on the body's own domain."""

from __future__ import annotations

from django.utils.translation import gettext as _

from koshiki.guidelines import cite
from koshiki.orgs.profiles import profile_for

from .models import OfficialAccount


def login_email_warning(account: OfficialAccount) -> str:
    """新城市 3(5): register with the body's own domain (lg.jp preferred)."""
    if not account.login_email or "@" not in account.login_email:
        return ""
    domain = account.login_email.rsplit("@", 1)[1].lower()
    own = account.organization.web_domains
    if any(domain == d or domain.endswith("." + d) for d in own) or domain.endswith(".lg.jp"):
        return ""
    profile = profile_for(account.organization)
    rule = profile.account.login_email_own_domain
    where = f" {cite(profile, rule)}" if cite(profile, rule) else ""
    return _("The login e-mail %(domain)s is not on the body's own domain.") % {"domain": domain} + where
