"""The profile fields the account registry acts on, and the workflow steps it carries out (Django-free)."""

from koshiki.guidelines.components import Component

COMPONENTS = (
    Component(
        "koshiki.registry",
        "アカウント台帳",
        "Requests and the opening chain, the operating policy's required items,"
        " notices of change and closure, emergency stops, continuation reviews,"
        " reminders to review the policy, the login e-mail warning.",
        reads=(
            "account.manager_role",
            "account.purpose_required.clause",
            "account.login_email_own_domain.clause",
            "approvals.open_account.steps",
            "approvals.open_account.notify_after",
            "approvals.change_account.notify_before",
            "approvals.change_account.notify_after",
            "approvals.close_account.notify_before",
            "approvals.close_account.notify_after",
            "operating_policy.items.id",
            "operating_policy.review.interval_days",
            "closure.criteria.id",
            "closure.notice_before.days",
            "closure.keep_notice_after_change.days",
            "closure.keep_notice_after_closure.days",
            "closure.emergency_stop.clause",
            "closure.dormant_after_days",
        ),
        workflows=(
            "registry.open_account.operating_policy",
            "registry.operating_policy.required_items",
            "registry.close_account.criteria",
        ),
    ),
    Component(
        "koshiki.registry.disclosure",
        "公開情報（ホームページ・プロフィール）",
        "The disclosure page and each account's profile text: the homepage table and the profile text are"
        " generated from the registry and checked with the link rules,"
        " beside the items the guideline asks for.",
        reads=(
            "disclosure.clause",
            "disclosure.website_items.label",
            "disclosure.profile_items.label",
        ),
    ),
)
