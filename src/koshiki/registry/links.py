"""Account and post URLs checked against their platform (connectors/urls.py), worded for the person.

Every service that stores an account's URL or a post's published URL calls these first (issue #13): a URL on
another platform's host, or a trick (userinfo, IDN, ``javascript:``), is refused with what is expected and
changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from koshiki.connectors.urls import UrlRefused, check_account_url, check_post_url, same_handle
from koshiki.core.errors import InvalidInput

from .models import OfficialAccount, Platform


def _platform_name(platform: str, refused: UrlRefused) -> str:
    return str(Platform(platform).label) if platform in Platform.values else refused.platform_name


def account_url(platform: str, url: str, handle: str = "", *, field: str = "url") -> tuple[str, str]:
    """(url, handle) for an account on ``platform``: the handle is read from the URL when not given, and a
    given handle must be the one the URL names."""
    try:
        checked = check_account_url(platform, url)
    except UrlRefused as refused:
        raise InvalidInput(
            _("Enter the %(platform)s URL (%(example)s).")
            % {"platform": _platform_name(platform, refused), "example": refused.example},
            field=field,
        ) from refused
    handle = handle.strip().lstrip("@")
    if handle and checked.handle and not same_handle(platform, handle, checked.handle):
        raise InvalidInput(
            _("The URL names the ID %(url_handle)s, but the ID entered is %(handle)s.")
            % {"url_handle": checked.handle, "handle": handle},
            field=field,
        )
    return checked.url, handle or checked.handle


def post_url(account: OfficialAccount, url: str) -> str:
    """A published post's URL, on the account's platform and, where the URL shows one, of this account."""
    try:
        checked = check_post_url(account.platform, url)
    except UrlRefused as refused:
        raise InvalidInput(
            _("Enter the post's %(platform)s URL (%(example)s).")
            % {"platform": _platform_name(account.platform, refused), "example": refused.example},
            field="url",
        ) from refused
    theirs, ours = checked.handle, account.handle
    if theirs and ours and not theirs.startswith("did:") and not same_handle(account.platform, theirs, ours):
        raise InvalidInput(
            _("This URL is a post of %(url_handle)s, not of this account (%(handle)s).")
            % {"url_handle": theirs, "handle": ours},
            field="url",
        )
    return checked.url


def mismatch(platform: str, url: str, *, post: bool = False) -> str:
    """Why a stored URL does not fit its platform (a reason code), or '' when it does (``koshiki registry
    check-urls``)."""
    if not url:
        return ""
    try:
        (check_post_url if post else check_account_url)(platform, url)
    except UrlRefused as refused:
        return refused.reason
    return ""
