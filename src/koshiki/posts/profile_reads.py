"""The profile fields the posting workflow acts on (posts/rules.py posting_rules; Django-free declaration)."""

from koshiki.guidelines.components import Component

COMPONENTS = (
    Component(
        "koshiki.posts",
        "投稿ワークフロー",
        "Post approval chain, standing approvals, after-the-fact cases, four-eyes exceptions,"
        " operating hours.",
        reads=(
            "posting.approval.steps",
            "posting.approval.approver_role",
            "posting.approval.reapprove_on_reschedule",
            "posting.standing_approvals.required",
            "posting.after_the_fact",
            "posting.self_approval.exceptions",
            "posting.after_report",
            "posting.operating_hours.restricted",
            "posting.operating_hours.default_hours",
            "posting.operating_hours.weekdays_only",
            "posting.operating_hours.exceptions",
        ),
    ),
)
