"""The platform preview beside the composer: a JSON endpoint the page's script calls (debounced) as staff
type. The counting lives in koshiki.checks.preview; nothing here fetches the URLs in the text."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.checks import CheckInputError
from koshiki.checks.preview import MAX_PREVIEW_CHARS, previews

from .checking import _payload
from .common import require_staff


@login_required
@require_POST
def preview_api(request: HttpRequest) -> JsonResponse:
    require_staff(request)
    try:
        text = _payload(request).get("text", "")
        if not isinstance(text, str):
            raise CheckInputError(_("Send the text and the platform."))
        if len(text) > MAX_PREVIEW_CHARS:
            raise CheckInputError(
                _("The text is too long to preview (at most %(n)s characters).")
                % {"n": f"{MAX_PREVIEW_CHARS:,}"}
            )
    except CheckInputError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"previews": [p.as_dict() for p in previews(text)]})
