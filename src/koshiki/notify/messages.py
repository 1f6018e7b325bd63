"""Notification texts. gettext_lazy, so each is rendered in the recipient's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SUBJECTS = {
    "approved": _("Official account approved: %(account)s"),
    "change_before": _("An official account will change on %(date)s: %(account)s"),
    "change_after": _("An official account change has been announced: %(account)s"),
    "closure_before": _("An official account will close on %(date)s: %(account)s"),
    "closure_after": _("An official account closure has been announced: %(account)s"),
    "emergency_stop": _("Official account stopped in an emergency: %(account)s"),
}
BODIES = {
    "approved": _("The opening of %(account)s has been approved. You are notified as the guideline requires."),
    "change_before": _("%(account)s will change on %(date)s. The guideline asks that you hear of it before it is announced."),
    "change_after": _("The change of %(account)s on %(date)s has been announced."),
    "closure_before": _("%(account)s will close on %(date)s. The guideline asks that you hear of it before it is announced."),
    "closure_after": _("The closure of %(account)s on %(date)s has been announced."),
    "emergency_stop": _("%(account)s was stopped without notice. Reason: %(reason)s"),
}
