"""The guideline profile schema: a body's social media guideline as data.

Every rule that comes from a guideline carries ``clause`` (the seed's own
numbering, e.g. ``第5 2(2)①``) and ``quote`` (the guideline's sentence).
Where a guideline says nothing, the rule is marked ``silent: true`` and the
default written in its field description applies; that default is part of
the schema, so it is documented in docs/profile.schema.json and
docs/PROFILES.md rather than hidden in code.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .permissions import CAPABILITIES, DEFAULT_CAPABILITIES, ROLE_KINDS, Capability, RoleKind

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
ProfileId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)]
ClauseRef = Annotated[str, StringConstraints(min_length=1, max_length=60, strip_whitespace=True)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

Severity = Literal["block", "warn", "info"]

#: Content categories of the pre-publication checker (issue 3 fixes the identifiers).
CONTENT_CATEGORIES: tuple[str, ...] = (
    "personal_info",
    "confidential",
    "security_risk",
    "illegal",
    "defamation",
    "discrimination",
    "obscene",
    "political",
    "religious",
    "commercial",
    "rumor",
    "personal_opinion",
    "url_shortener",
    "third_party_link",
    "platform_limit",
    "correction_unmarked",
    "missing_alt_text",
)
ContentCategory = Literal[
    "personal_info",
    "confidential",
    "security_risk",
    "illegal",
    "defamation",
    "discrimination",
    "obscene",
    "political",
    "religious",
    "commercial",
    "rumor",
    "personal_opinion",
    "url_shortener",
    "third_party_link",
    "platform_limit",
    "correction_unmarked",
    "missing_alt_text",
]

#: Parties outside the body that a playbook may tell to report to.
EXTERNAL_PARTIES: dict[str, str] = {
    "platform": "ソーシャルメディア運営者",
    "police": "警察",
    "nisc": "内閣サイバーセキュリティセンター (NISC)",
    "press": "報道機関",
    "public": "市民・利用者 (ホームページ等で周知)",
}

IncidentKind = Literal["flaming", "impersonation", "takeover", "leak", "false_rumor", "other"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(_Strict):
    """A rule taken from the guideline, or marked as one the guideline is silent on."""

    clause: ClauseRef | None = Field(
        default=None, description="The guideline's own numbering, e.g. '第5 2(2)①'."
    )
    quote: NonEmpty | None = Field(
        default=None,
        description="The guideline's sentence, verbatim; '…' may join non-adjacent parts.",
    )
    also: list[ClauseRef] = Field(
        default_factory=list, description="Further clauses this rule also carries out."
    )
    silent: bool = Field(
        default=False,
        description="True when the guideline says nothing; the field defaults then apply.",
    )
    note: str | None = Field(default=None, description="Why the rule reads the guideline as it does.")

    @model_validator(mode="after")
    def _cited_or_silent(self) -> Self:
        if self.silent:
            return self
        if not self.clause or not self.quote:
            raise ValueError(
                "clause と quote の両方が必要です（ガイドラインに定めがない場合は silent: true）"
                " / needs both clause and quote, or silent: true"
            )
        return self


_C = TypeVar("_C", bound="Cited")


def _silent(cls: type[_C]) -> _C:
    return cls(silent=True)


# --- the body ---------------------------------------------------------------------------------


class Body(_Strict):
    name: NonEmpty = Field(description="The body's name, e.g. 'いわき市'.")
    name_en: NonEmpty
    kind: Literal["prefecture", "city", "town", "village", "ward", "council", "other"]
    lgcode: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] | None = Field(
        default=None, description="全国地方公共団体コード (6 digits with check digit)."
    )
    website: str | None = None


class GuidelineSource(_Strict):
    title: NonEmpty
    enacted: dt.date | None = None
    revised: list[dt.date] = Field(default_factory=list)
    source: str | None = Field(default=None, description="Where the text came from (file or URL).")
    citation_prefix: NonEmpty = Field(
        description="Printed before each clause: 'いわき市' gives 「いわき市 第5 2(2)①」."
    )


class Grants(Cited):
    """What a role may do in Koshiki, with the clause that says so."""

    capabilities: list[Capability] = Field(
        description="Capabilities: " + "; ".join(f"{k}: {v}" for k, v in CAPABILITIES.items())
    )


class Role(Cited):
    id: Identifier
    kind: RoleKind | None = Field(
        default=None,
        description="What sort of role this is; its default capabilities follow (guidelines/permissions.py): "
        + "; ".join(
            f"{k}: {ROLE_KINDS[k]} → {', '.join(sorted(v)) or 'none'}"
            for k, v in DEFAULT_CAPABILITIES.items()
        )
        + ". A role needs a kind or may.",
    )
    may: Grants | None = Field(
        default=None,
        description="What the role may do, when the guideline says so (with its clause). Default when"
        " absent: the capabilities of the role's kind.",
    )
    name: NonEmpty = Field(description="The role as the guideline names it, e.g. 'アカウント管理者'.")
    name_en: NonEmpty
    holder: str | None = Field(default=None, description="Who holds it, e.g. '課等の長'.")
    scope: Literal["organization", "department"] = Field(
        default="organization",
        description="'department': one holder per 所属 (e.g. 所属長); 'organization': body-wide.",
    )


# --- approvals --------------------------------------------------------------------------------


class ApprovalStep(_Strict):
    role: Identifier
    mode: Literal["any", "all"] = Field(
        default="any", description="'any': one holder of the role approves; 'all': every holder."
    )


class Workflow(Cited):
    """Who approves a change to an account, and who hears of it before and after.

    Default when silent: the account manager role approves alone; nobody is notified.
    """

    steps: list[ApprovalStep] = Field(default_factory=list)
    notify_before: list[Identifier] = Field(default_factory=list)
    notify_after: list[Identifier] = Field(default_factory=list)
    form: Literal["起案", "口頭または起案", "届出", "unspecified"] = "unspecified"
    escalate_to: Identifier | None = Field(
        default=None,
        description="Role told when a step has nobody who may decide it. Default when silent: the body's"
        " administrators (who assign roles).",
    )


class AccountApprovals(_Strict):
    open_account: Workflow = Field(default_factory=lambda: _silent(Workflow))
    change_account: Workflow = Field(default_factory=lambda: _silent(Workflow))
    close_account: Workflow = Field(default_factory=lambda: _silent(Workflow))


# --- the account and its operating policy -----------------------------------------------------


class PolicyItem(Cited):
    id: Identifier
    label: NonEmpty
    label_en: NonEmpty
    hint: str | None = None


class AccountRules(_Strict):
    purpose_required: Cited = Field(
        default_factory=lambda: _silent(Cited),
        description="Open only with a clear purpose. Default when silent: required.",
    )
    per_department: Cited = Field(
        default_factory=lambda: _silent(Cited),
        description="Accounts are held per 所属. Default when silent: yes.",
    )
    verification: Cited = Field(
        default_factory=lambda: _silent(Cited),
        description="Get the platform's verification where offered. Default when silent: recommended.",
    )
    login_email_own_domain: Cited = Field(
        default_factory=lambda: _silent(Cited),
        description="Register with the body's own domain. Default when silent: warn otherwise.",
    )
    manager_role: Identifier = Field(description="The role that manages each account (アカウント管理者).")


class OperatingPolicy(_Strict):
    items: list[PolicyItem] = Field(description="Required items of the account's operating policy.")
    report_to: list[Identifier] = Field(
        default_factory=list, description="Roles the policy is reported to once written."
    )
    report_clause: Cited = Field(default_factory=lambda: _silent(Cited))
    review: ReviewDuty = Field(default_factory=lambda: _silent(ReviewDuty))


class DisclosureItem(PolicyItem):
    pass


class Disclosure(Cited):
    """What to publish on the body's website and in the account's profile."""

    website_items: list[DisclosureItem] = Field(default_factory=list)
    profile_items: list[DisclosureItem] = Field(default_factory=list)
    full_url_required: bool = Field(
        default=True, description="Write the homepage URL in full. Default when silent: true."
    )


# --- credentials ------------------------------------------------------------------------------


class RotationRule(Cited):
    max_age_days: int | None = Field(
        default=90,
        ge=1,
        description="Change passwords at least this often. Default when silent: 90 days.",
    )
    on_staff_change: bool = Field(
        default=True, description="Change at once when the staff in charge change. Default: true."
    )


class HoldersRule(Cited):
    max_holders: int = Field(
        default=3, ge=1, description="Flag more holders than this. Default when silent: 3."
    )


class RequiredRule(Cited):
    required: bool = Field(default=True, description="Default when silent: required.")


class DevicesRule(Cited):
    personal_devices: Literal["forbidden", "prior_approval", "allowed"] = Field(
        default="prior_approval",
        description="Personal devices. Default when silent: only with prior approval.",
    )
    approver_role: Identifier | None = None


class DeviceHygieneRule(RequiredRule):
    attestation_max_age_days: int = Field(
        default=31,
        ge=1,
        description="A device's patch and anti-virus attestation goes stale after this many days."
        " Default: 31 (monthly patch cycle).",
    )
    patch_max_age_days: int = Field(
        default=62,
        ge=1,
        description="Flag an OS patch date older than this. Default: 62 days (two patch cycles).",
    )


class Credentials(_Strict):
    escalate_to: Identifier | None = Field(
        default=None,
        description="Role that also sees overdue 'rotate now' tasks, besides the account manager."
        " Default: the account manager only.",
    )
    rotation: RotationRule = Field(default_factory=lambda: _silent(RotationRule))
    rotate_on_transfer: Cited = Field(default_factory=lambda: _silent(Cited))
    holders: HoldersRule = Field(default_factory=lambda: _silent(HoldersRule))
    strong_passwords: Cited = Field(default_factory=lambda: _silent(Cited))
    no_reuse: Cited = Field(default_factory=lambda: _silent(Cited))
    two_step_login: RequiredRule = Field(default_factory=lambda: _silent(RequiredRule))
    device_hygiene: DeviceHygieneRule = Field(default_factory=lambda: _silent(DeviceHygieneRule))
    devices: DevicesRule = Field(default_factory=lambda: _silent(DevicesRule))
    fallback_policy: Cited = Field(
        default_factory=lambda: _silent(Cited),
        description="Where the guideline defers to the body's information security policy.",
    )


# --- posting ----------------------------------------------------------------------------------


class PostApproval(Cited):
    required: bool = Field(default=True, description="Default when silent: every post is approved.")
    approver_role: Identifier | None = None
    steps: list[ApprovalStep] = Field(
        default_factory=list,
        description="A chain of several steps, when the guideline sets one."
        " Default: one step, approver_role (or the account manager).",
    )
    form: Literal["起案", "口頭または起案", "unspecified"] = "unspecified"
    escalate_to: Identifier | None = Field(
        default=None,
        description="Role told when a step has nobody but the post's writers to decide it."
        " Default when silent: the body's administrators (who assign roles).",
    )
    reapprove_on_reschedule: bool = Field(
        default=True,
        description="An approved or scheduled post moved to another time goes back to approval (承認待ち),"
        " its approvers told, unless the mover could approve it and did not write it (four-eyes)."
        " Default when silent: yes (an approval is of a text at a time). Set false to let a moved post"
        " keep its approval; the new time is still checked against operating hours and the standing"
        " approval's period.",
    )


class Exemption(Cited):
    id: Identifier
    label: NonEmpty
    label_en: NonEmpty


class SelfApproval(Cited):
    """Separation of duties (four-eyes) for posts, and the named cases in which an author may act alone."""

    exceptions: list[Identifier] | None = Field(
        default=None,
        description="After-the-fact exemption ids (posting.after_the_fact, or the default urgent notice)"
        " under which the author may publish a post alone; its after-the-fact report then goes to an approver"
        " other than the author. Default when silent: the four-eyes principle - nobody approves,"
        " overrides a block on, or acknowledges the report of a post they wrote or last edited, and only"
        " the urgent notice (posting.emergency_exemption) may go out by its author alone.",
    )


class OperatingHours(Cited):
    restricted: bool = Field(
        default=False, description="Posting only within hours. Default when silent: not restricted."
    )
    default_hours: str = Field(default="08:30-17:15", pattern=r"^\d\d:\d\d-\d\d:\d\d$")
    weekdays_only: bool = True
    exceptions: list[Exemption] = Field(
        default_factory=list,
        description="Post kinds allowed outside hours. Default when silent: 'correction' (訂正), 'damage'"
        " (被害への対応) and the urgent notice (posting.emergency_exemption).",
    )
    correction_exception: Identifier = Field(
        default="correction",
        description="The exception a post that corrects an earlier one uses by itself."
        " Default: 'correction'.",
    )


class AfterReportRule(Cited):
    # The docstring is the JSON Schema description (docs/profile.schema.json): one line, not wrapped.
    """When an after-the-fact report is due (the approver reviews a post that went out without prior approval)."""  # noqa: E501

    exemption_due_days: int = Field(
        default=1,
        ge=0,
        description="Days after an exempt post (posting.after_the_fact) its report is due."
        " Default when silent: 1 (the next day).",
    )
    standing_due_days: int = Field(
        default=7,
        ge=0,
        description="Days after a post under a standing approval its report is due. Default when silent: 7.",
    )


class Posting(_Strict):
    approval: PostApproval = Field(default_factory=lambda: _silent(PostApproval))
    standing_approvals: RequiredRule = Field(
        default_factory=lambda: RequiredRule(silent=True, required=False),
        description="'required' here means standing approvals are allowed. Default when silent: no.",
    )
    after_the_fact: list[Exemption] = Field(
        default_factory=list,
        description="Kinds of post that go out at once and are reported afterwards. Default when silent: the"
        " operating-hours exception whose id is emergency_exemption, else one urgent notice with that id.",
    )
    emergency_exemption: Identifier = Field(
        default="emergency",
        description="The id of the urgent notice: the after-the-fact exemption that may also go out outside"
        " operating hours, and the one an author may use alone when self_approval is silent."
        " Default: 'emergency'.",
    )
    after_report: AfterReportRule = Field(
        default_factory=lambda: _silent(AfterReportRule),
        description="When after-the-fact reports are due."
        " Default when silent: 1 day; 7 under a standing approval.",
    )
    self_approval: SelfApproval = Field(
        default_factory=lambda: _silent(SelfApproval),
        description="Four-eyes: who may not approve their own post, and the named exceptions.",
    )
    operating_hours: OperatingHours = Field(default_factory=lambda: _silent(OperatingHours))
    accuracy: Cited = Field(default_factory=lambda: _silent(Cited))
    identify_self: Cited = Field(default_factory=lambda: _silent(Cited))


# --- content ----------------------------------------------------------------------------------


class ContentRule(Cited):
    category: ContentCategory
    severity: Severity
    label: NonEmpty


class LinkRule(Cited):
    severity: Severity


class CorrectionRule(Cited):
    must_mark: bool = Field(default=True, description="Say that it corrects. Default: true.")
    severity: Severity = "warn"


class Content(_Strict):
    rules: list[ContentRule] = Field(
        description="One entry per category the guideline forbids or cautions against; several "
        "clauses may map to one category."
    )
    url_shortener: LinkRule = Field(
        default_factory=lambda: LinkRule(silent=True, severity="warn"),
        description="Shortened links. Default when silent: warn.",
    )
    third_party_link: LinkRule = Field(
        default_factory=lambda: LinkRule(silent=True, severity="info"),
        description="Links to and quotes of third parties. Default when silent: info.",
    )
    corrections: CorrectionRule = Field(default_factory=lambda: _silent(CorrectionRule))


# --- replies and incidents --------------------------------------------------------------------


class ModerationGround(Cited):
    id: Identifier
    label: NonEmpty
    action: Literal["hide", "delete", "block", "report", "answer"] = "hide"


class Moderation(_Strict):
    reply_policy_required: Cited = Field(default_factory=lambda: _silent(Cited))
    grounds: list[ModerationGround] = Field(default_factory=list)


class PlaybookStep(Cited):
    action: NonEmpty
    report_to: list[str] = Field(
        default_factory=list,
        description=f"Role ids or external parties: {', '.join(EXTERNAL_PARTIES)}.",
    )


class Playbook(Cited):
    kind: IncidentKind
    title: NonEmpty
    steps: list[PlaybookStep] = Field(min_length=1)


# --- closure and review -----------------------------------------------------------------------


class DaysRule(Cited):
    days: int = Field(ge=0)


class ClosureRules(_Strict):
    criteria: list[PolicyItem] = Field(default_factory=list)
    notice_before: DaysRule = Field(
        default_factory=lambda: DaysRule(silent=True, days=30),
        description="Announce a change or closure at least this many days ahead. Default: 30.",
    )
    keep_notice_after_change: DaysRule = Field(
        default_factory=lambda: DaysRule(silent=True, days=365),
        description="Keep the change notice up this long. Default when silent: 365.",
    )
    keep_notice_after_closure: DaysRule = Field(
        default_factory=lambda: DaysRule(silent=True, days=180),
        description="Keep the closure notice on the homepage this long. Default when silent: 180.",
    )
    emergency_stop: Cited = Field(
        default_factory=lambda: _silent(Cited),
        description="Stop at once without notice in an emergency. Default when silent: allowed, "
        "with an after-the-fact report.",
    )
    dormant_after_days: int = Field(
        default=180, ge=1, description="Flag accounts with no posts for this long (Koshiki's own)."
    )


class ReviewDuty(Cited):
    interval_days: int = Field(
        default=365, ge=1, description="Remind to review this often. Default when silent: yearly."
    )
    owner_role: Identifier | None = None


class Reviews(_Strict):
    guideline_review: ReviewDuty = Field(default_factory=lambda: _silent(ReviewDuty))
    revision_notice: Cited = Field(
        default_factory=lambda: _silent(Cited),
        description="Tell staff when the guideline is revised. Default when silent: yes.",
    )


# --- coverage ---------------------------------------------------------------------------------


class Handling(_Strict):
    kind: Literal["workflow", "reminder", "human"]
    ref: str | None = Field(default=None, description="The workflow step or reminder it is.")
    guidance: str | None = Field(default=None, description="For 'human': the guidance Koshiki shows staff.")

    @model_validator(mode="after")
    def _needs_detail(self) -> Self:
        if self.kind == "human" and not self.guidance:
            raise ValueError("human judgment needs guidance / 'human' には guidance が必要です")
        if self.kind != "human" and not self.ref:
            raise ValueError(f"{self.kind} needs ref / {self.kind} には ref が必要です")
        return self


class ClauseEntry(_Strict):
    """One clause of the guideline's text and, where no rule cites it, what carries it out."""

    clause: ClauseRef
    heading: NonEmpty = Field(description="The clause's text or its gist, in the guideline's words.")
    handled_by: list[Handling] = Field(default_factory=list)
    informative: bool = Field(
        default=False,
        description="Purpose, definitions and the like: nothing to enforce.",
    )


# --- the profile ------------------------------------------------------------------------------


class Profile(_Strict):
    id: ProfileId
    version: NonEmpty = Field(description="The profile's own version, e.g. the revision date.")
    body: Body
    guideline: GuidelineSource
    roles: list[Role] = Field(min_length=1)
    account: AccountRules
    approvals: AccountApprovals = Field(default_factory=AccountApprovals)
    operating_policy: OperatingPolicy
    disclosure: Disclosure = Field(default_factory=lambda: _silent(Disclosure))
    credentials: Credentials = Field(default_factory=Credentials)
    posting: Posting = Field(default_factory=Posting)
    content: Content
    moderation: Moderation = Field(default_factory=Moderation)
    incidents: list[Playbook] = Field(default_factory=list)
    closure: ClosureRules = Field(default_factory=ClosureRules)
    reviews: Reviews = Field(default_factory=Reviews)
    clauses: list[ClauseEntry] = Field(
        min_length=1, description="Every clause of the guideline's text, in order."
    )

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    def cite(self, clause: str) -> str:
        """The citation staff see, e.g. 「いわき市 第5 2(2)①」."""
        return f"「{self.guideline.citation_prefix} {clause}」"


OperatingPolicy.model_rebuild()
