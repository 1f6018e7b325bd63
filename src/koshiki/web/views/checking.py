"""The live pre-publication check: a page, and the JSON endpoint its script calls as staff type."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koshiki.checks import PLATFORMS, CheckInputError, check
from koshiki.checks.detectors.platform import LIMITS, measure
from koshiki.orgs.check_context import context_for

from .common import require_staff

CATEGORY_LABELS_JA = {
    "personal_info": "個人情報",
    "confidential": "秘密・未公表情報",
    "security_risk": "セキュリティ",
    "illegal": "違法行為",
    "defamation": "誹謗中傷",
    "discrimination": "差別",
    "obscene": "わいせつ",
    "political": "政治活動",
    "religious": "宗教",
    "commercial": "営利宣伝",
    "rumor": "噂・流言",
    "personal_opinion": "個人的見解",
    "url_shortener": "短縮URL",
    "third_party_link": "第三者リンク・引用",
    "platform_limit": "文字数",
    "correction_unmarked": "訂正の明記",
    "missing_alt_text": "代替テキスト",
}


SEVERITY_LABELS = {"block": gettext_lazy("Block"), "warn": gettext_lazy("Warn"), "info": gettext_lazy("Info")}


@login_required
def check_page(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    return render(
        request, "koshiki/check.html", {"platforms": ["x", *sorted(PLATFORMS - {"x"})], "limits": LIMITS}
    )


def _payload(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object; CheckInputError for anything else (too big, too deep, not an object)."""
    try:
        payload = json.loads(request.body or b"{}")
    except RequestDataTooBig as exc:
        raise CheckInputError(_("The request is too large.")) from exc
    except RecursionError as exc:  # nesting deeper than the JSON parser's recursion limit
        raise CheckInputError(_("The request is nested too deeply.")) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CheckInputError(_("The request is not valid JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(payload, dict):
        raise CheckInputError(_("Send a JSON object with the text and the platform."))
    return payload


@login_required
@require_POST
def check_api(request: HttpRequest) -> JsonResponse:
    staff = require_staff(request)
    try:
        payload = _payload(request)
        text = payload.get("text", "")
        platform = payload.get("platform", "x")
        if not isinstance(text, str) or not isinstance(platform, str):
            raise CheckInputError(_("Send the text and the platform."))
        findings = check(
            text,
            context=context_for(staff.organization),
            platform=platform,
            is_correction=payload.get("is_correction") is True,
        )
    except CheckInputError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    japanese = (get_language() or "ja").startswith("ja")
    return JsonResponse(
        {
            "length": measure(text, platform),
            "limit": LIMITS[platform].maximum,
            "findings": [
                {
                    "category": f.category,
                    "label": CATEGORY_LABELS_JA.get(f.category, f.category) if japanese else f.category,
                    "severity": f.severity,
                    "severity_label": str(SEVERITY_LABELS[f.severity]),
                    "start": f.start,
                    "end": f.end,
                    "message": f.message_ja if japanese else f.message_en,
                    "suggestion": f.suggestion_ja if japanese else f.suggestion_en,
                    "clauses": list(f.clauses),
                }
                for f in findings
            ],
        }
    )
