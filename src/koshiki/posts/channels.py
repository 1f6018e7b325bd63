"""Channel adapters for an account: 'manual' (staff post by hand and record the URL) or a real connector.

Platform secrets are sealed with KOSHIKI_ENCRYPTION_KEY; the connector reports refreshed sessions,
which are sealed and stored too, so logins are rare. Nothing here logs a secret. A secret is bound
to the server address and handle it was entered for, and every address passes the outbound guard
(koshiki.connectors.outbound) when saved and when the worker connects.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.audit.services import log_action
from koshiki.connectors import Connector
from koshiki.connectors.outbound import OutboundRefused
from koshiki.core.crypto import seal_text, unseal_text
from koshiki.core.errors import InvalidInput
from koshiki.core.outbound import outbound_guard
from koshiki.registry.models import OfficialAccount, Platform
from koshiki.security.permissions import require_credential_manager

from .models import ChannelCredential

Kind = ChannelCredential.Kind


_URL_REFUSALS = {
    "scheme": gettext_lazy("Give the server address with https:// (plain http is not allowed)."),
    "userinfo": gettext_lazy("Do not put a user name or password in the server address."),
    "host": gettext_lazy("The server address is not a valid host name."),
    "port": gettext_lazy("The server address has an invalid port."),
    "address": gettext_lazy(
        "This server address points to an internal, private or reserved network and cannot be used."
    ),
    "resolve": gettext_lazy("The server name could not be found. Check the address."),
}


def _checked_service_url(service_url: str) -> str:
    """The URL as stored: stripped, no trailing slash, and accepted by the outbound guard."""
    url = service_url.strip().rstrip("/")
    try:
        outbound_guard().check_url(url)
    except OutboundRefused as refused:
        raise InvalidInput(
            str(_URL_REFUSALS.get(refused.reason, _URL_REFUSALS["host"])), field="service_url"
        ) from None
    return url


@transaction.atomic
def set_channel(
    *,
    actor: Any,
    account: OfficialAccount,
    kind: str,
    service_url: str = "",
    identifier: str = "",
    secret: str = "",
) -> ChannelCredential:
    """Set how the account publishes. The secret is bound to its endpoint: a new server address or
    handle needs the secret entered again (so a stored password is never sent to a new address), and
    any change of endpoint or secret drops the stored session. Only the account's manager may do this."""
    require_credential_manager(actor, account)
    if kind not in Kind.values:
        raise InvalidInput(_("Choose how posts are published."), field="kind")
    identifier = identifier.strip()
    if kind == Kind.BLUESKY:
        if account.platform != Platform.BLUESKY:
            raise InvalidInput(_("Only a Bluesky account can publish through Bluesky."), field="kind")
        if not service_url.strip():
            raise InvalidInput(_("Give the PDS address (https://…)."), field="service_url")
        service_url = _checked_service_url(service_url)
        if not identifier:
            raise InvalidInput(_("Give the handle."), field="identifier")
    else:
        service_url = service_url.strip()
    channel = (
        ChannelCredential.objects.select_for_update(of=("self",), no_key=True).filter(account=account).first()
    )
    had_secret = channel is not None and bool(channel.sealed_secret)
    same_endpoint = channel is not None and (
        channel.kind,
        channel.service_url.rstrip("/"),
        channel.identifier,
    ) == (kind, service_url, identifier)
    if kind == Kind.BLUESKY and not secret:
        if not had_secret:
            raise InvalidInput(_("Give an app password (not the account password)."), field="secret")
        if not same_endpoint:
            raise InvalidInput(
                _("The server address or handle changed: enter the app password again."), field="secret"
            )
    if (
        channel is not None
        and not secret
        and (channel.kind, channel.service_url, channel.identifier) == (kind, service_url, identifier)
    ):
        return channel  # the same endpoint again and no new secret: nothing changes, nothing to audit
    before = (
        None
        if channel is None
        else {"kind": channel.kind, "service_url": channel.service_url, "identifier": channel.identifier}
    )
    if channel is None:
        channel = ChannelCredential(account=account)
    had_session = bool(channel.sealed_session)
    channel.kind, channel.service_url, channel.identifier = kind, service_url, identifier
    if secret:
        channel.sealed_secret = seal_text(secret)
    if secret or not same_endpoint:
        channel.sealed_session = ""
    if kind == Kind.MANUAL:
        channel.sealed_secret = channel.sealed_session = ""
    channel.save()
    log_action(
        "posts.channel.set",
        actor=actor,
        obj=account,
        before=before,
        after={
            "kind": kind,
            "service_url": channel.service_url,
            "identifier": channel.identifier,
            "secret_changed": bool(secret) or (had_secret and not channel.sealed_secret),
            "session_dropped": had_session and not channel.sealed_session,
        },
    )
    return channel


def channel_kind(account: OfficialAccount) -> str:
    channel = ChannelCredential.objects.filter(account=account).first()
    return channel.kind if channel else Kind.MANUAL


def connector_for(account: OfficialAccount) -> Connector | None:
    """The connector that publishes for this account; None for manual publication."""
    channel = ChannelCredential.objects.filter(account=account).first()
    if channel is None or channel.kind == Kind.MANUAL:
        return None
    from koshiki.connectors.bluesky import BlueskyConnector

    channel_id = channel.pk

    def store_session(session: str) -> None:
        ChannelCredential.objects.filter(pk=channel_id).update(sealed_session=seal_text(session))

    # The guard checks the address again at connect time: DNS may have changed since it was saved.
    return BlueskyConnector(
        channel.service_url,
        channel.identifier,
        unseal_text(channel.sealed_secret),
        session_string=unseal_text(channel.sealed_session) if channel.sealed_session else None,
        on_session_change=store_session,
        guard=outbound_guard(),
    )
