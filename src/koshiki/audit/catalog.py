"""Every audit action code, declared once: its label, what it means and which fields it records.

Why: people read the trail (history panels, the audit log, exports), so each code needs a label in the
viewer's language (msgid English, Japanese in django.po); ``log_action`` refuses a code that is not here,
so a typo cannot create an entry nobody finds by its code; docs/AUDIT.md is generated from this table.
A code chosen at run time (a notice's kind) is picked from a ``family(...)`` so the scan in
tests/audit/test_catalog.py sees every code a call site can write.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from django.utils.functional import Promise
from django.utils.translation import override, pgettext, pgettext_lazy

logger = logging.getLogger("koshiki.audit")

STATE = ("state",)
POST_STATE = ("state", "version")
ROLE_FIELDS = ("staff", "role_id", "department", "start_date", "end_date", "state")
CHANGE_FIELDS = ("staff", "kind", "effective_date", "from_department", "to_department", "state", "note")
DEVICE_FIELDS = ("owner", "label", "kind", "os_name", "os_patched_on", "antivirus", "attested_on", "state")
ACCOUNT_FIELDS = (
    "department",
    "platform",
    "account_name",
    "handle",
    "url",
    "purpose",
    "audience",
    "manager",
    "verified",
    "login_email",
    "operating_hours",
    "reply_policy",
    "state",
)
# the 台帳 columns an import may change on an existing account (registry/fields.py IMPORT_FIELDS)
IMPORT_UPDATE_FIELDS = (
    "account_name",
    "handle",
    "url",
    "purpose",
    "audience",
    "operating_hours",
    "reply_policy",
)

A = "audit action"  # the msgctxt of every label: English msgid, Japanese in django.po, no clash with UI text


class UnknownAction(LookupError):
    """An audit code that the catalog does not declare (refused in tests, DEBUG and local runs)."""


@dataclass(frozen=True)
class Action:
    code: str
    label: Promise  # lazy: each viewer reads it in their own language
    description: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    @property
    def label_ja(self) -> str:
        with override("ja"):
            return str(self.label)

    @property
    def label_en(self) -> str:
        with override("en"):
            return str(self.label)


ACTIONS: dict[str, Action] = {}


def _declare(
    code: str, label: Promise, description: str, *, before: tuple[str, ...] = (), after: tuple[str, ...] = ()
) -> None:
    if code in ACTIONS:
        raise ValueError(f"audit action {code} is declared twice")
    ACTIONS[code] = Action(code, label, description, before, after)


# --- audit and core ------------------------------------------------------------------------------
_declare(
    "audit.texts.shredded",
    pgettext_lazy(A, "Retained audit texts deleted"),
    "Free texts kept beside the chain were deleted after their retention period (koshiki audit shred).",
    after=("count", "before"),
)
_declare(
    "audit.verification.requested",
    pgettext_lazy(A, "Audit log verification requested"),
    "Someone asked the worker to verify the organization's audit chain from its last verified point "
    "(the audit page's button; a second request while one waits is not queued or logged).",
    after=("chain", "from_seq"),
)
_declare(
    "audit.log.exported",
    pgettext_lazy(A, "Audit log exported"),
    "Someone who may read the audit log downloaded it from the browser as CSV: only their organization's"
    " entries, up to the position recorded, with the filters recorded (issue #13).",
    after=("filters", "format", "up_to_seq"),
)
_declare(
    "core.keys.resealed",
    pgettext_lazy(A, "Sealed secrets re-encrypted"),
    "Every sealed column was re-encrypted under the current key (koshiki keys reseal).",
    after=("changed", "current", "empty", "resealed", "unreadable", "keys_configured", "columns"),
)

# --- logins and two-step sign-in -----------------------------------------------------------------
_declare(
    "logins.password_changed",
    pgettext_lazy(A, "Password changed"),
    "A sign-in password was changed by its owner or by an administrator; other sessions ended.",
    after=("by", "sessions_ended"),
)
_declare(
    "logins.unlocked",
    pgettext_lazy(A, "Sign-in lock released"),
    "An administrator cleared failed password attempts (and a two-step lock) with a reason.",
    after=("reason", "password_attempts_cleared", "two_step_was_locked"),
)
_declare(
    "twostep.enrolment_started",
    pgettext_lazy(A, "Two-step sign-in setup started"),
    "A user asked for a new one-time-code secret.",
)
_declare(
    "twostep.enrolled",
    pgettext_lazy(A, "Two-step sign-in set up"),
    "A user confirmed their authenticator with a first valid code.",
)
_declare(
    "twostep.verified", pgettext_lazy(A, "One-time code accepted"), "A sign-in passed its one-time code."
)
_declare(
    "twostep.failed",
    pgettext_lazy(A, "One-time code rejected"),
    "A wrong, reused or locked-out one-time code was entered.",
    after=("locked",),
)
_declare(
    "twostep.locked",
    pgettext_lazy(A, "Two-step sign-in locked"),
    "Too many wrong one-time codes: further codes are refused until the time shown.",
    after=("failures", "until"),
)
_declare(
    "twostep.reset",
    pgettext_lazy(A, "Two-step sign-in reset"),
    "An administrator removed a user's authenticator with a reason; their sessions ended.",
    after=("reason", "sessions_ended"),
)

# --- organizations, staff, roles, personnel ------------------------------------------------------
_declare(
    "orgs.organization.created",
    pgettext_lazy(A, "Organization registered"),
    "A public body was registered with its guideline profile.",
    after=("code", "lgcode", "kind", "name", "name_en", "profile_id", "profile_version", "web_domains"),
)
_declare(
    "orgs.organization.profile_adopted",
    pgettext_lazy(A, "Guideline profile version adopted"),
    "The body adopted the current version of its guideline profile.",
    before=("profile_version",),
    after=("profile_version",),
)
_declare(
    "orgs.organization.domains_changed",
    pgettext_lazy(A, "Own web domains changed"),
    "The body's own domains (links to them are not flagged) were replaced.",
    before=("web_domains",),
    after=("web_domains",),
)
_declare(
    "orgs.organization.public_entries_changed",
    pgettext_lazy(A, "Public names and contacts changed"),
    "The names and contacts the checker must not flag were replaced.",
    before=("public_entries",),
    after=("public_entries",),
)
_declare(
    "orgs.organization.two_step_changed",
    pgettext_lazy(A, "Two-step sign-in requirement changed"),
    "Whether approvers and credential holders must use a one-time code.",
    before=("require_two_step",),
    after=("require_two_step",),
)
_declare(
    "orgs.organization.retention_changed",
    pgettext_lazy(A, "Retention period of post records changed"),
    "How many years after a fiscal year its posts' texts are kept (the body's 文書管理規程).",
    before=("records_retention_years",),
    after=("records_retention_years",),
)
_declare(
    "orgs.department.created",
    pgettext_lazy(A, "Department added"),
    "A department (課 or 部) was added.",
    after=("organization", "code", "name", "parent"),
)
_declare(
    "orgs.staff.added",
    pgettext_lazy(A, "Staff member added"),
    "A staff member and their sign-in were created.",
    after=("organization", "department", "display_name", "title", "email", "language", "is_org_admin"),
)
_declare(
    "orgs.staff.moved",
    pgettext_lazy(A, "Staff member moved department"),
    "A personnel change moved the staff member; roles of the old department ended.",
    before=("department", "status"),
    after=("department", "status"),
)
_declare(
    "orgs.staff.left",
    pgettext_lazy(A, "Staff member left"),
    "A personnel change ended the staff member's sign-in and roles.",
    before=("department", "status"),
    after=("department", "status"),
)
_declare(
    "orgs.personnel.recorded",
    pgettext_lazy(A, "Personnel change recorded"),
    "A join, move or leave was recorded for its effective date.",
    after=CHANGE_FIELDS,
)
_declare(
    "orgs.personnel.applied",
    pgettext_lazy(A, "Personnel change applied"),
    "A personnel change took effect (on its date, or at once when recorded for today).",
    after=CHANGE_FIELDS,
)
_declare(
    "orgs.personnel.cancelled",
    pgettext_lazy(A, "Personnel change cancelled"),
    "A scheduled personnel change was cancelled before its date.",
    after=CHANGE_FIELDS,
)
_declare(
    "orgs.role.assigned",
    pgettext_lazy(A, "Role assigned"),
    "A guideline role was given to a staff member.",
    after=ROLE_FIELDS,
)
_declare(
    "orgs.role.self_grant_requested",
    pgettext_lazy(A, "Own role requested"),
    "An administrator gave a role to themselves; a second person must confirm it.",
    after=ROLE_FIELDS,
)
_declare(
    "orgs.role.confirmed",
    pgettext_lazy(A, "Own role confirmed"),
    "A second person confirmed a self-granted role.",
    before=ROLE_FIELDS,
    after=(*ROLE_FIELDS, "comment"),
)
_declare(
    "orgs.role.refused",
    pgettext_lazy(A, "Own role refused"),
    "A second person refused a self-granted role.",
    before=ROLE_FIELDS,
    after=(*ROLE_FIELDS, "comment"),
)
_declare(
    "orgs.role.ended",
    pgettext_lazy(A, "Role ended"),
    "A role assignment ended (by hand or by a personnel change).",
    before=ROLE_FIELDS,
    after=(*ROLE_FIELDS, "reason"),
)

# --- the account registry (台帳) -----------------------------------------------------------------
_declare(
    "registry.account.requested",
    pgettext_lazy(A, "Account requested"),
    "A department asked to open an official account.",
    after=ACCOUNT_FIELDS,
)
_declare(
    "registry.account.step_routed",
    pgettext_lazy(A, "Step routed to the escalation role"),
    "Nobody held a step of the chain when the account was requested; the profile's escalation role takes it.",
    after=("chain", "step", "role", "routed_to"),
)
_declare(
    "registry.account.imported",
    pgettext_lazy(A, "Account imported into the register"),
    "An existing account was taken in from a register file.",
    after=("source", "state", "platform", "account_name", "handle"),
)
_declare(
    "registry.account.import_updated",
    pgettext_lazy(A, "Account updated from a register file"),
    "A register-file row with the account's 台帳ID changed these fields, after a preview and a confirmation.",
    before=IMPORT_UPDATE_FIELDS,
    after=(*IMPORT_UPDATE_FIELDS, "source"),
)
_declare(
    "registry.account.manager_reassigned",
    pgettext_lazy(A, "Account manager named again"),
    "An administrator or the public relations division named a new manager (e.g. after a 異動).",
    before=("manager",),
    after=("manager",),
)
_declare(
    "registry.account.url_corrected",
    pgettext_lazy(A, "Account URL corrected"),
    "The account's URL (and handle) was corrected: an edit before activation, or on completing an"
    " announced change (issue #13).",
    before=("url", "handle"),
    after=("url", "handle", "reason"),
)
_declare(
    "registry.account.operator_removed",
    pgettext_lazy(A, "Operator removed after a personnel change"),
    "A 運用に携わる職員 moved out of the account's department or left (異動), so no longer writes its posts.",
    before=("staff",),
    after=("personnel_change", "effective_date"),
)
_declare(
    "registry.account.manager_moved_out",
    pgettext_lazy(A, "Account manager moved out (異動)"),
    "The named manager moved out of the account's department or left: a new manager must be named.",
    before=("manager",),
    after=("personnel_change", "effective_date"),
)
_declare(
    "registry.account.step_approved",
    pgettext_lazy(A, "Request approved at one step"),
    "One approver in the profile's chain approved the request.",
    after=("step", "role", "comment"),
)
_declare(
    "registry.account.step_rejected",
    pgettext_lazy(A, "Request rejected at one step"),
    "One approver in the profile's chain rejected the request.",
    after=("step", "role", "comment"),
)
_declare(
    "registry.account.approved",
    pgettext_lazy(A, "Account approved"),
    "The last approval step passed.",
    before=STATE,
    after=STATE,
)
_declare(
    "registry.account.rejected",
    pgettext_lazy(A, "Account request rejected"),
    "The request was rejected and is closed.",
    before=STATE,
    after=STATE,
)
_declare(
    "registry.account.activated",
    pgettext_lazy(A, "Account put into operation"),
    "The approved account was opened and put into operation.",
    before=STATE,
    after=(*STATE, "before", "url"),
)
_declare(
    "registry.account.change_announced",
    pgettext_lazy(A, "Account change announced"),
    "A change to the account was announced ahead of its date.",
    before=STATE,
    after=(*STATE, "notice"),
)
_declare(
    "registry.account.closure_announced",
    pgettext_lazy(A, "Account closure announced"),
    "The account's closure was announced ahead of its date.",
    before=STATE,
    after=(*STATE, "notice"),
)
_declare(
    "registry.account.change_completed",
    pgettext_lazy(A, "Announced change completed"),
    "The announced change took effect; the account is back in operation.",
    before=STATE,
    after=(*STATE, "keep_notice_until"),
)
_declare(
    "registry.account.closure_completed",
    pgettext_lazy(A, "Account closed"),
    "The announced closure took effect.",
    before=STATE,
    after=(*STATE, "keep_notice_until"),
)
_declare(
    "registry.account.emergency_stopped",
    pgettext_lazy(A, "Account stopped in an emergency"),
    "Operation was suspended at once (hijack, serious error); scheduled notices were cancelled.",
    before=STATE,
    after=(*STATE, "reason", "cancelled_notices"),
)
_declare(
    "registry.account.resumed",
    pgettext_lazy(A, "Account resumed"),
    "A suspended account went back into operation.",
    before=STATE,
    after=STATE,
)
_declare(
    "registry.account.reviewed",
    pgettext_lazy(A, "Continuation review recorded"),
    "The periodic review of whether the account should continue.",
    after=("answers", "decision", "note"),
)
_declare(
    "registry.notice.notified",
    pgettext_lazy(A, "Roles notified of a notice"),
    "The roles the profile names were told of an announced change or closure.",
    after=("before", "after"),
)
_declare(
    "registry.notice.taken_down",
    pgettext_lazy(A, "Notice taken down from the homepage"),
    "A carried-out change or closure notice came down after its keep-until date.",
    before=("notice",),
    after=("notice", "on"),
)
_declare(
    "registry.notice.cancelled",
    pgettext_lazy(A, "Announced change or closure cancelled"),
    "A scheduled notice was withdrawn; the account stays in operation.",
    before=STATE,
    after=(*STATE, "reason"),
)
_declare(
    "registry.policy.saved",
    pgettext_lazy(A, "Operating policy saved"),
    "A new version of the account's operating policy.",
    before=("version", "items"),
    after=("version", "items"),
)

# --- posts ---------------------------------------------------------------------------------------
_declare(
    "posts.archive.fiscal_year",
    pgettext_lazy(A, "Posts of a fiscal year archived"),
    "A fiscal year's finished posts were written to an archive file after the retention period and their"
    " texts emptied; the file and its sha256 are recorded.",
    after=("fiscal_year", "posts", "file", "sha256", "retention_years"),
)
_declare(
    "posts.post.created",
    pgettext_lazy(A, "Post drafted"),
    "A post was drafted for an account.",
    after=("account", "category", "corrects", "text"),
)
_declare(
    "posts.post.edited",
    pgettext_lazy(A, "Post edited"),
    "The draft's text or category changed (a new version).",
    before=("text", "category", "version"),
    after=("text", "category", "version"),
)
_declare(
    "posts.post.checked",
    pgettext_lazy(A, "Post checked"),
    "The pre-publication checker ran on this version (rules and the learned tier; which model judged).",
    after=("version", "findings", "learned", "learned_model"),
)
_declare(
    "posts.post.state",
    pgettext_lazy(A, "Post ready for submission"),
    "The checked draft moved to its checked state.",
    before=POST_STATE,
    after=POST_STATE,
)
_declare(
    "posts.post.warning_acknowledged",
    pgettext_lazy(A, "Checker warning acknowledged"),
    "The author confirmed one warning of the checker.",
    after=("warning", "category", "clauses"),
)
_declare(
    "posts.post.block_overridden",
    pgettext_lazy(A, "Checker block overridden"),
    "A blocking finding was overridden with a reason (four-eyes rules apply).",
    after=("reason", "findings"),
)
_declare(
    "posts.post.submitted",
    pgettext_lazy(A, "Post submitted for approval"),
    "The post entered the approval chain.",
    before=POST_STATE,
    after=(*POST_STATE, "scheduled_at"),
)
_declare(
    "posts.post.step_approved",
    pgettext_lazy(A, "Post approved at one step"),
    "One approver in the profile's chain approved the post.",
    after=("step", "role", "comment"),
)
_declare(
    "posts.post.step_rejected",
    pgettext_lazy(A, "Post rejected at one step"),
    "One approver in the profile's chain rejected the post.",
    after=("step", "role", "comment"),
)
_declare(
    "posts.post.approved",
    pgettext_lazy(A, "Post approved"),
    "The last approval step passed.",
    before=POST_STATE,
    after=POST_STATE,
)
_declare(
    "posts.post.rejected",
    pgettext_lazy(A, "Post sent back"),
    "An approver sent the post back to draft with a comment.",
    before=POST_STATE,
    after=(*POST_STATE, "comment"),
)
_declare(
    "posts.post.exempted",
    pgettext_lazy(A, "Post approved by an exemption"),
    (
        "The profile's exemption (urgent, disaster) let the post go without prior approval; "
        "an after-report is due."
    ),
    before=POST_STATE,
    after=(*POST_STATE, "exemption"),
)
_declare(
    "posts.post.standing_approved",
    pgettext_lazy(A, "Post approved by a standing approval"),
    "A standing approval covered the post; an after-report is due.",
    before=POST_STATE,
    after=(*POST_STATE, "standing_approval"),
)
_declare(
    "posts.post.scheduled",
    pgettext_lazy(A, "Post scheduled"),
    "The approved post was queued for publication.",
    before=POST_STATE,
    after=(*POST_STATE, "scheduled_at"),
)
_declare(
    "posts.post.rescheduled",
    pgettext_lazy(A, "Post rescheduled"),
    "The publishing time of a post waiting for approval or publication moved (calendar form or drag); the"
    " state after it is 'submitted' when the post went back to approval; approval_kept is"
    " 'moved_by_approver' when an approver who did not write it moved it and it stayed approved.",
    before=(*POST_STATE, "scheduled_at"),
    after=(*POST_STATE, "scheduled_at", "approval_kept"),
)
_declare(
    "posts.calendar_feed.issued",
    pgettext_lazy(A, "Calendar feed issued"),
    "A member of staff issued or rotated their secret calendar (ICS) feed URL; only its hash is kept.",
    after=("rotated",),
)
_declare(
    "posts.calendar_feed.revoked",
    pgettext_lazy(A, "Calendar feed revoked"),
    "A calendar (ICS) feed URL was revoked: it no longer answers. The cause says why: 'self' (the owner),"
    " 'administrator' (with the administrator's reason), or an account-recovery event ('password_changed',"
    " 'two_step_reset', 'sign_in_unlocked', 'left').",
    after=("cause", "reason"),
)
_declare(
    "posts.post.withdrawn",
    pgettext_lazy(A, "Post withdrawn"),
    "The post was withdrawn before publication.",
    before=POST_STATE,
    after=(*POST_STATE, "reason"),
)
_declare(
    "posts.post.publishing",
    pgettext_lazy(A, "Publication started"),
    "An attempt to publish began.",
    before=POST_STATE,
    after=POST_STATE,
)
_declare(
    "posts.post.published",
    pgettext_lazy(A, "Post published"),
    "The platform (or a manual URL) confirmed publication.",
    before=POST_STATE,
    after=(*POST_STATE, "remote_id", "url", "reconciled", "delay_seconds", "manual"),
)
_declare(
    "posts.post.url_corrected",
    pgettext_lazy(A, "Published post URL corrected"),
    "Whoever recorded the publication, or the public relations division, corrected the post's URL.",
    before=("url",),
    after=("url", "reason"),
)
_declare(
    "posts.post.retry_scheduled",
    pgettext_lazy(A, "Publication retry scheduled"),
    "A temporary platform error: the post will be tried again.",
    before=POST_STATE,
    after=(*POST_STATE, "error", "retry_at"),
)
_declare(
    "posts.post.failed",
    pgettext_lazy(A, "Publication failed"),
    "The platform refused the post or retries ran out.",
    before=POST_STATE,
    after=(*POST_STATE, "error"),
)
_declare(
    "posts.post.retry_requested",
    pgettext_lazy(A, "Publication retried by hand"),
    "A failed post was queued again.",
    before=POST_STATE,
    after=POST_STATE,
)
_declare(
    "posts.post.deleted",
    pgettext_lazy(A, "Post deleted from the platform"),
    "The published post was deleted (for instance once its correction is out).",
    before=POST_STATE,
    after=(*POST_STATE, "reason", "correction"),
)
_declare(
    "posts.standing_approval.granted",
    pgettext_lazy(A, "Standing approval granted"),
    "Approval in advance for some categories of posts over a period.",
    after=("standing_approval", "categories", "description", "starts_on", "ends_on"),
)
_declare(
    "posts.standing_approval.revoked",
    pgettext_lazy(A, "Standing approval revoked"),
    "A standing approval ended early.",
    after=("standing_approval",),
)
_declare(
    "posts.after_report.acknowledged",
    pgettext_lazy(A, "After-report acknowledged"),
    "An approver acknowledged a post made without prior approval.",
    after=("reason", "comment"),
)
_declare(
    "posts.channel.set",
    pgettext_lazy(A, "Publishing channel set"),
    "How the account publishes (by hand or Bluesky) and its sealed credential.",
    before=("kind", "service_url", "identifier"),
    after=("kind", "service_url", "identifier", "secret_changed", "session_dropped"),
)
_declare(
    "posts.template.created",
    pgettext_lazy(A, "Post template created"),
    "A post template (防災, イベント ...) for one account or the whole organization, checked like a post.",
    after=("name", "category", "scope", "account", "text", "findings"),
)
_declare(
    "posts.template.updated",
    pgettext_lazy(A, "Post template updated"),
    "A post template's name, category or text changed; the new text was checked like a post.",
    before=("name", "category", "text"),
    after=("name", "category", "text", "findings"),
)
_declare(
    "posts.template.archived",
    pgettext_lazy(A, "Post template archived"),
    "A post template was archived: the composer no longer offers it (the row and its history stay).",
    after=("name",),
)

# --- credential and device hygiene ---------------------------------------------------------------
_declare(
    "security.holder.added",
    pgettext_lazy(A, "Credential holder added"),
    "A staff member now knows the account's password.",
    after=("holder", "reason", "holders", "moved_out"),
)
_declare(
    "security.holder.removed",
    pgettext_lazy(A, "Credential holder removed"),
    "A staff member no longer holds the account's password.",
    before=("holder",),
    after=("reason", "personnel_change"),
)
_declare(
    "security.rotation.recorded",
    pgettext_lazy(A, "Password change recorded"),
    "The account's password was changed; strength and reuse were checked in memory.",
    after=(
        "rotation",
        "rotated_on",
        "reason",
        "strength_checked",
        "strength_score",
        "reuse_checked",
        "sessions_reviewed",
        "closed_tasks",
    ),
)
_declare(
    "security.rotation_task.opened",
    pgettext_lazy(A, "Password change required"),
    "A task to change the account's password was opened (staff change, suspicion, schedule).",
    after=("task", "cause", "detail", "review_sessions"),
)
_declare(
    "security.account.two_step_set",
    pgettext_lazy(A, "Account two-step settings changed"),
    "The platform account's two-step method and recovery contact.",
    before=("two_step_method", "recovery_contact"),
    after=("two_step_method", "recovery_contact"),
)
_declare(
    "security.device.registered",
    pgettext_lazy(A, "Device registered"),
    "A device used to operate accounts.",
    after=DEVICE_FIELDS,
)
_declare(
    "security.device.attested",
    pgettext_lazy(A, "Device hygiene confirmed"),
    "OS patches and anti-virus were confirmed.",
    before=DEVICE_FIELDS,
    after=DEVICE_FIELDS,
)
_declare(
    "security.device.access_requested",
    pgettext_lazy(A, "Device use requested"),
    "Use of a device for an account was asked for (personal devices need approval).",
    after=("device", "state", "reason"),
)
_declare(
    "security.device.access_decided",
    pgettext_lazy(A, "Device use decided"),
    "Device use was approved or refused.",
    after=("device", "state", "comment"),
)
_declare(
    "security.device.access_revoked",
    pgettext_lazy(A, "Device use ended"),
    "A personnel change or a lost device ended one device's use on this account (one row per access).",
    before=("state",),
    after=("access", "device", "state", "personnel_change", "device_report"),
)
_declare(
    "security.device.retired",
    pgettext_lazy(A, "Device retired"),
    "The device's holder left the body; the device is retired (one row per device).",
    before=("state",),
    after=("state", "personnel_change"),
)
_declare(
    "security.device.lost",
    pgettext_lazy(A, "Device reported lost"),
    "A lost device was reported; its accounts need new passwords.",
    after=("report", "happened_on", "accounts"),
)

# --- issue #14 A: the optional AI reviewer -------------------------------------------------------
_declare(
    "aireview.config.changed",
    pgettext_lazy(A, "AI reviewer settings changed"),
    "The body's administrator turned the AI reviewer on or off or changed its endpoint or model; the API"
    " key itself is never recorded, only whether it changed.",
    before=("enabled", "base_url", "model_name"),
    after=("enabled", "base_url", "model_name", "key_changed"),
)
_declare(
    "aireview.review.requested",
    pgettext_lazy(A, "AI review requested"),
    "A second opinion from the body's AI service was asked for a post waiting for approval (on submission,"
    " by an approver's button, or by the sweep), once per text version.",
    after=("post_version", "prompt_version", "model", "source"),
)
_declare(
    "aireview.review.completed",
    pgettext_lazy(A, "AI review received"),
    "The AI service answered: the number of suggestions and their categories (suggestions only; they never"
    " block and never change the checker's findings).",
    after=("post_version", "prompt_version", "model", "suggestions", "categories"),
)
_declare(
    "aireview.review.failed",
    pgettext_lazy(A, "AI review failed"),
    "The AI service could not give a usable answer (down, timeout, refused by the outbound guard, garbage).",
    after=("post_version", "prompt_version", "model", "failure"),
)

# --- issue #14 B: feedback from use on the checker -------------------------------------------------------
_declare(
    "checks.feedback.recorded",
    pgettext_lazy(A, "Checker feedback recorded"),
    "An approver marked a finding of the check as wrong (誤検知) or added a category the check missed"
    " (見逃し), on one version of the post's text; the note stays beside the post, not in the chain.",
    after=("kind", "category", "span", "detector", "version", "feedback"),
)
_declare(
    "checks.feedback.retracted",
    pgettext_lazy(A, "Checker feedback retracted"),
    "The approver who gave a piece of feedback on the check took it back.",
    before=("kind", "category", "feedback"),
)
_declare(
    "checks.feedback.exported",
    pgettext_lazy(A, "Checker feedback exported"),
    "The body's feedback on the check was exported as corpus lines, personal data masked"
    " (koshiki check feedback export, or the feedback page's download): how many lines, never the text.",
    after=("count", "since"),
)


class CodeFamily(Mapping[str, str]):
    """Codes picked at run time by a key (a notice's kind); every value is declared when the module loads."""

    def __init__(self, owner: str, codes: Mapping[str, str]) -> None:
        unknown = sorted(set(codes.values()) - set(ACTIONS))
        if unknown:
            raise UnknownAction(f"{owner}: undeclared audit actions {', '.join(unknown)}")
        self.owner = owner
        self._codes = dict(codes)

    def __getitem__(self, key: str) -> str:
        return self._codes[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


_FAMILIES: list[CodeFamily] = []


def family(owner: str, codes: Mapping[str, str]) -> CodeFamily:
    """Declare, in the module that uses them, the codes a call site picks by key; registered for the tests."""
    made = CodeFamily(owner, codes)
    _FAMILIES.append(made)
    return made


def families() -> list[CodeFamily]:
    return list(_FAMILIES)


#: The families the audit log's action select groups codes by (the code's first part), in this order.
FAMILIES: dict[str, Promise] = {
    "registry": pgettext_lazy(A, "Account register"),
    "posts": pgettext_lazy(A, "Posts"),
    "orgs": pgettext_lazy(A, "Organization and staff"),
    "security": pgettext_lazy(A, "Credentials and devices"),
    "logins": pgettext_lazy(A, "Sign-in"),
    "twostep": pgettext_lazy(A, "Two-step sign-in"),
    "audit": pgettext_lazy(A, "Audit log"),
    "core": pgettext_lazy(A, "System"),
    "checks": pgettext_lazy(A, "Checker feedback"),
}

#: Labels of before/after keys that no model field names (a model's verbose_name is used first).
FIELD_LABELS: dict[str, Promise] = {
    "state": pgettext_lazy(A, "state"),
    "comment": pgettext_lazy(A, "comment"),
    "reason": pgettext_lazy(A, "reason"),
    "step": pgettext_lazy(A, "approval step"),
    "role": pgettext_lazy(A, "role"),
    "role_id": pgettext_lazy(A, "role"),
    "staff": pgettext_lazy(A, "staff member"),
    "department": pgettext_lazy(A, "department"),
    "manager": pgettext_lazy(A, "account manager"),
    "start_date": pgettext_lazy(A, "start date"),
    "end_date": pgettext_lazy(A, "end date"),
    "effective_date": pgettext_lazy(A, "effective date"),
    "display_name": pgettext_lazy(A, "name"),
    "email": pgettext_lazy(A, "e-mail"),
    "notice": pgettext_lazy(A, "notice"),
    "version": pgettext_lazy(A, "version"),
    "filters": pgettext_lazy(A, "filters"),
    "format": pgettext_lazy(A, "format"),
    "up_to_seq": pgettext_lazy(A, "up to entry"),
}


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The action select: per family, "all of the family" (a code prefix) then each code by its label,
    in the active language."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    known = [*FAMILIES, *sorted({c.split(".", 1)[0] for c in ACTIONS} - set(FAMILIES))]
    for prefix in known:
        codes = sorted((str(a.label), code) for code, a in ACTIONS.items() if code.split(".", 1)[0] == prefix)
        if not codes:
            continue
        name = str(FAMILIES[prefix]) if prefix in FAMILIES else prefix
        all_of = pgettext(A, "All: %(family)s") % {"family": name}
        groups.append((name, [(f"{prefix}.", all_of), *((code, text) for text, code in codes)]))
    return groups


def label(code: str) -> str:
    """The label in the active language; an entry written before a code was retired shows its code."""
    action = ACTIONS.get(code)
    return str(action.label) if action is not None else code


def label_ja(code: str) -> str:
    action = ACTIONS.get(code)
    return action.label_ja if action is not None else code


def _strict() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "DEBUG", False) or getattr(settings, "LOCAL", False))


def check(code: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Refuse an undeclared code or field in tests, DEBUG and local runs; in production log it and go on.

    Production never loses an audit row over this: the caller writes the entry either way.
    """
    action = ACTIONS.get(code)
    if action is None:
        problem = f"audit action {code!r} is not declared in koshiki/audit/catalog.py"
    else:
        extra = sorted((set(before or {}) - set(action.before)) | (set(after or {}) - set(action.after)))
        if not extra:
            return
        problem = (
            f"audit action {code!r} records undeclared fields {', '.join(extra)} (koshiki/audit/catalog.py)"
        )
    if _strict():
        raise UnknownAction(problem)
    logger.error("%s; the entry is written anyway", problem)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_markdown(out: TextIO) -> None:
    """docs/AUDIT.md: `koshiki audit catalog --format md > docs/AUDIT.md` (a test keeps it current)."""
    out.write("# Audit actions\n\n")
    out.write(
        "Generated from `src/koshiki/audit/catalog.py` by `koshiki audit catalog --format md`; do not edit.\n"
    )
    out.write(
        "Every code `log_action` may write, with its labels (Japanese from django.po), "
        "what it means and the\n"
    )
    out.write(
        "keys it records in `before` / `after`. An undeclared code is refused in tests and local runs and\n"
    )
    out.write("logged as an error in production (the entry is still written).\n\n")
    out.write(
        "Entries form one hash chain per organization (`org-<id>`; `national` for entries of no\n"
        "organization; `legacy` for those written before issue #12); `seq` only orders them for pages and\n"
        "may have gaps. A signed checkpoint covers every chain's head (Merkle root): docs/SECURITY.md §6.\n"
        "\n"
    )
    out.write(f"{len(ACTIONS)} actions.\n")
    section = ""
    for code in sorted(ACTIONS):
        action = ACTIONS[code]
        app = code.split(".", 1)[0]
        if app != section:
            section = app
            out.write(f"\n## {app}\n\n")
            out.write("| Code | 日本語 | English | Description | before | after |\n")
            out.write("|---|---|---|---|---|---|\n")
        fields = [", ".join(f"`{k}`" for k in keys) or "—" for keys in (action.before, action.after)]
        out.write(
            f"| `{code}` | {_cell(action.label_ja)} | {_cell(action.label_en)} | {_cell(action.description)} "
            f"| {fields[0]} | {fields[1]} |\n"
        )


def write_text(out: TextIO) -> None:
    for code in sorted(ACTIONS):
        out.write(f"{code}\t{ACTIONS[code].label_ja}\t{ACTIONS[code].label_en}\n")
