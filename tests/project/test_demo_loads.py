"""`make demo` loads its data through the same services (and rules) as staff: a rule that the demo data
breaks (e.g. a URL the platform check refuses) must fail here, not on a new user's first command."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from koshiki.audit.chain import verify_chain
from koshiki.registry.models import OfficialAccount


def test_the_demo_data_loads_and_its_trail_verifies(db: Any, capsys: Any) -> None:
    call_command("load_demo")
    assert OfficialAccount.objects.filter(state="active").exists()
    assert verify_chain().ok
    call_command("load_demo")  # a second `make demo` on the same database changes nothing and does not fail


def test_demo_logins_say_what_each_persona_does_administrators_included() -> None:
    """Issue #13 item 2: personas listed by role labels, not ids; the superuser last, not first."""
    from koshiki.demo.load import demo_logins

    rows = demo_logins()
    assert rows[-1][0] == "admin"
    labels = " ".join(does for _user, _who, does in rows)
    assert "組織の管理者" in labels and "アカウント管理者" in labels
    assert "account_manager" not in labels


def test_the_demo_gives_the_overview_published_posts_and_approval_times(db: Any, clock: Any) -> None:
    """Issue #13 (T): the overview of a demo body is not empty: posts published through the real chain
    (on a weekday noon: outside a body's operating hours its posts stay drafts)."""
    from koshiki.audit.models import AuditEntry
    from koshiki.posts.models import Post

    call_command("load_demo")
    assert Post.objects.filter(state="published").count() >= 3
    assert AuditEntry.objects.filter(action="posts.post.approved").exists()
