"""Channel adapters for an account: 'manual' (staff post by hand and record the URL) or a real connector.

Platform secrets are sealed with KOSHIKI_ENCRYPTION_KEY; the connector reports refreshed sessions,
which are sealed and stored too, so logins are rare. Nothing here logs a secret.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.connectors import Connector
from koshiki.core.crypto import seal_text, unseal_text
from koshiki.core.errors import InvalidInput
from koshiki.registry.models import OfficialAccount, Platform
from koshiki.security.permissions import require_manager

from .models import ChannelCredential

Kind = ChannelCredential.Kind


@transaction.atomic
def set_channel(*, actor: Any, account: OfficialAccount, kind: str, service_url: str = "", identifier: str = "",
                secret: str = "") -> ChannelCredential:
    require_manager(actor, account)
    if kind not in Kind.values:
        raise InvalidInput(_("Choose how posts are published."), field="kind")
    if kind == Kind.BLUESKY:
        if account.platform != Platform.BLUESKY:
            raise InvalidInput(_("Only a Bluesky account can publish through Bluesky."), field="kind")
        if not service_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise InvalidInput(_("Give the PDS address (https://…)."), field="service_url")
        if not identifier.strip():
            raise InvalidInput(_("Give the handle."), field="identifier")
    channel = ChannelCredential.objects.select_for_update().filter(account=account).first()
    if kind == Kind.BLUESKY and not secret and (channel is None or not channel.sealed_secret):
        raise InvalidInput(_("Give an app password (not the account password)."), field="secret")
    if channel is None:
        channel = ChannelCredential(account=account)
    changed_secret = bool(secret)
    channel.kind, channel.service_url, channel.identifier = kind, service_url.strip(), identifier.strip()
    if secret:
        channel.sealed_secret, channel.sealed_session = seal_text(secret), ""
    if kind == Kind.MANUAL:
        channel.sealed_secret = channel.sealed_session = ""
    channel.save()
    log_action("posts.channel.set", actor=actor, obj=account,
               after={"kind": kind, "service_url": channel.service_url, "identifier": channel.identifier,
                      "secret_changed": changed_secret})
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

    return BlueskyConnector(channel.service_url, channel.identifier, unseal_text(channel.sealed_secret),
                            session_string=unseal_text(channel.sealed_session) if channel.sealed_session else None,
                            on_session_change=store_session)
