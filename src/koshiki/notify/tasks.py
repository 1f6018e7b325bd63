"""Background job: e-mail role holders about an account event (queued after commit)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django_tasks import task

from .messages import BODIES, SUBJECTS


@task()
def notify_roles_task(account_id: int, role_ids: list[str], event: str, params: dict[str, str]) -> int:
    from koshiki.registry.models import OfficialAccount
    from koshiki.registry.roles import holders

    account = OfficialAccount.objects.select_related("organization", "department").get(pk=account_id)
    recipients = {staff.pk: staff for role_id in role_ids for staff in holders(account, role_id) if staff.email}
    sent = 0
    for staff in recipients.values():
        with translation.override(staff.language or "ja"):
            subject = str(SUBJECTS[event]) % params
            body = str(BODIES[event]) % params
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [staff.email])
    return sent
