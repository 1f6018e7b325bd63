"""The profile fields the pre-publication checker acts on (proven by
tests/guidelines/test_component_reads.py)."""

from koshiki.guidelines.components import Component

COMPONENTS = (
    Component(
        "koshiki.checks",
        "投稿前チェック",
        "CheckContext.from_profile: each content rule's category and severity, the link rules, corrections.",
        reads=(
            "content.rules.category",
            "content.rules.severity",
            "content.url_shortener.severity",
            "content.third_party_link.severity",
            "content.corrections.must_mark",
            "content.corrections.severity",
        ),
    ),
)
