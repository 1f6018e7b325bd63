"""Issue #13, accessibility (JIS X 8341-3): the markup behind the browser tests, one behaviour each — a
refused form carries an error summary linking each field, errors are tied to their fields, and messages say
their kind."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.test import RequestFactory
from django.utils import translation

from koshiki.web.templatetags.a11y import error_summary

from ..conftest import signed_in_client


def test_an_empty_post_text_is_tied_to_the_textarea_and_summarized(iwaki: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    response = client.post("/posts/new/", {"category": "notice", "text": ""}, HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    textarea = re.search(r"<textarea id=\"post-text\"[^>]*>", html)
    assert textarea is not None
    assert 'aria-invalid="true"' in textarea.group(0)
    assert "id_text_error" in textarea.group(0) and 'id="id_text_error"' in html
    assert '<div class="error-summary" role="alert" tabindex="-1" data-autofocus>' in html
    assert 'href="#post-text"' in html


def test_the_error_summary_links_each_field_by_its_widget_id(db: Any) -> None:
    from koshiki.registry.models import OfficialAccount
    from koshiki.web.post_forms import ComposeForm

    form = ComposeForm({"text": ""}, accounts=OfficialAccount.objects.none())
    assert not form.is_valid()
    summary = error_summary(form)
    ids = [f["id"] for f in summary["fields"]]
    assert "post-text" in ids and summary["count"] == len(summary["fields"])


def test_an_unbound_form_has_no_summary() -> None:
    assert error_summary(None)["count"] == 0 and error_summary("")["count"] == 0


def test_an_error_message_is_an_alert_that_says_it_is_an_error(iwaki: Any) -> None:
    from django.template.loader import render_to_string

    request = RequestFactory().get("/")
    request.user = iwaki.tanto.user
    request.session = {}  # type: ignore[assignment]
    storage = messages.storage.default_storage(request)
    storage.add(messages.ERROR, "拒否しました")
    storage.add(messages.SUCCESS, "保存しました")
    with translation.override("ja"):
        html = render_to_string("koshiki/base.html", {"messages": storage, "request": request})
    assert 'id="messages" tabindex="-1"' in html
    assert re.search(r'role="alert">.*エラー.*拒否しました', html)
    assert re.search(r'role="status">保存しました', html)
    assert "koshiki/a11y.js" in html
