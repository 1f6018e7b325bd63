"""Disclosure texts: the homepage page that lists the body's official accounts (clean HTML to paste into
the CMS) and each account's profile text, both checked against the link rules (own domain, no shortener).

いわき市 第4 4, 守谷市議会 3(4), 新城市 3(6), 芦別市 第3章 2 ask for both, with links both ways.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _

from koshiki.checks import PLATFORMS, Finding, check
from koshiki.orgs.check_context import context_for
from koshiki.orgs.models import Organization

from .links import mismatch
from .models import OfficialAccount
from .services.policy import current_policies

LINK_CATEGORIES = frozenset({"url_shortener", "third_party_link"})


@dataclass(frozen=True)
class Disclosure:
    text: str
    findings: list[Finding]
    # Accounts whose URL does not fit their platform: left out of the HTML until corrected (issue #13).
    wrong_urls: list[OfficialAccount] = field(default_factory=list)


def default_homepage(organization: Organization) -> str:
    return f"https://{organization.web_domains[0]}/" if organization.web_domains else ""


def _link_findings(text: str, organization: Organization) -> list[Finding]:
    return [
        f
        for f in check(text, context=context_for(organization), platform="facebook")
        if f.category in LINK_CATEGORIES
    ]


def website_html(organization: Organization, accounts: Iterable[OfficialAccount]) -> Disclosure:
    """A plain table (no scripts, no styles) of the live accounts, with their policies."""
    accounts = list(accounts)  # read twice: the rows, then the links to check
    head = [_("Service"), _("Account name"), _("URL"), _("Purpose"), _("Run by"), _("Operating policy")]
    rows = []
    policies = current_policies(accounts)  # one query for every account's latest version
    wrong = [a for a in accounts if mismatch(a.platform, a.url)]
    for account in accounts:
        policy = policies.get(account.pk)
        policy_text = "<br>".join(escape(v) for v in (policy.items.values() if policy else []))
        cells = [
            escape(account.get_platform_display()),
            escape(account.account_name) + (f"（@{escape(account.handle)}）" if account.handle else ""),
            f'<a href="{escape(account.url)}">{escape(account.url)}</a>'
            if account.url and account not in wrong
            else "",
            escape(account.purpose),
            escape(account.department.name),
            policy_text,
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    title = _("Official social media accounts of %(body)s") % {"body": organization.name}
    html = (
        f"<h2>{escape(title)}</h2>\n<table>\n<thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + "</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n"
    )
    # An account in the body's own 台帳 whose URL fits its platform is the body's own link, not a third
    # party's (issue #13): only the URLs that do not fit (left out above) go through the link rules.
    urls = " ".join(a.url for a in wrong)
    return Disclosure(html, _link_findings(urls, organization) if urls else [], wrong)


def profile_text(account: OfficialAccount, homepage_url: str) -> Disclosure:
    """The account's self-description: official, what it posts, who runs it, replies, the homepage in full."""
    parts = [
        _("%(body)s official account.") % {"body": account.organization.name},
        account.purpose,
        _("Run by %(dept)s.") % {"dept": account.department.name},
    ]
    if account.reply_policy:
        parts.append(account.reply_policy)
    if homepage_url:
        parts.append(_("Policy and details: %(url)s") % {"url": homepage_url})
    text = " ".join(p.strip() for p in parts if p.strip())
    # Platforms the checker knows get their length limit checked too; others only the links.
    platform = account.platform if account.platform in PLATFORMS else "facebook"
    wanted = LINK_CATEGORIES | ({"platform_limit"} if platform == account.platform else set())
    findings = check(text, context=context_for(account.organization), platform=platform)
    return Disclosure(text, [f for f in findings if f.category in wanted])
