"""Load the demo through the service functions, so the demo's audit trail is real."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from koshiki.core.errors import ServiceError
from koshiki.core.request_id import set_request_id
from koshiki.guidelines.permissions import roles_with
from koshiki.orgs import services
from koshiki.orgs.models import Organization, Staff
from koshiki.orgs.profiles import profile_for

from .data import BODIES, DEMO_PASSWORD, Body


def _system_admin() -> object:
    user_model = get_user_model()
    admin = user_model.objects.filter(username="admin").first()
    if admin is None:
        admin = user_model.objects.create_superuser("admin", "admin@localhost", DEMO_PASSWORD)
    return admin


def _writer(organization: Organization) -> Staff | None:
    """The demo's 担当者: someone whose role may write posts but not manage
    accounts (the profile says which)."""
    profile = profile_for(organization)
    managing = set(roles_with(profile, "manage_accounts"))
    writing = [r for r in roles_with(profile, "write_posts") if r not in managing]
    return Staff.objects.filter(organization=organization, roles__role_id__in=writing).first()


def _load_body(admin: object, body: Body) -> Organization:
    organization = Organization.objects.filter(lgcode=body.lgcode, kind=body.kind).first()
    if organization is None:
        organization = services.create_organization(
            actor=admin,
            lgcode=body.lgcode,
            kind=body.kind,
            name=body.name,
            name_en=body.name_en,
            profile_id=body.profile_id,
            web_domains=list(body.domains),
        )
    if not organization.public_entries:
        services.set_public_entries(actor=admin, organization=organization, entries=list(body.public))
    departments = {d.code: d for d in organization.departments.all()}
    for code, name, *parent in body.departments:
        if code not in departments:
            departments[code] = services.create_department(
                actor=admin,
                organization=organization,
                code=code,
                name=name,
                parent=departments[parent[0]] if parent else None,
            )
    for person in body.people:
        if Staff.objects.filter(user__username=person.username).exists():
            continue
        staff = services.add_staff(
            actor=admin,
            organization=organization,
            username=person.username,
            display_name=person.name,
            password=DEMO_PASSWORD,
            department=departments[person.department] if person.department else None,
            title=person.title,
            email=f"{person.username}@example.lg.jp",
            language=person.language,
            is_org_admin=person.admin,
        )
        for role_id in person.roles:
            services.assign_role(actor=admin, staff=staff, role_id=role_id)
    return organization


def _demo_accounts(organization: Organization) -> None:
    """One live account and one waiting for approval, through the real chain."""
    from koshiki.registry import services as registry
    from koshiki.registry.models import OfficialAccount
    from koshiki.registry.services.requests import pending_step

    if OfficialAccount.objects.filter(organization=organization).exists():
        return
    operator = _writer(organization)
    if operator is None or operator.department is None:
        return
    items = profile_for(organization).operating_policy.items
    profile_items = {item.id: f"{item.label}について定めます（デモ）。" for item in items}
    handle = "demo" + organization.code.replace("-council", "c")  # an X handle: letters, digits, _; ≤ 15
    live = registry.request_account(
        actor=operator.user,
        department=operator.department,
        platform="x",
        account_name=f"{organization.name}公式",
        handle=handle,
        purpose=f"{organization.name}の暮らしと防災の情報をお届けします。",
    )
    registry.save_policy(actor=operator.user, account=live, items=profile_items)
    while (step := pending_step(live)) is not None and step.waiting_for:
        registry.decide(actor=step.waiting_for[0].user, account=live, approve=True)
    live.refresh_from_db()
    if live.manager is not None and live.state == "approved":
        registry.activate(actor=live.manager.user, account=live, url=f"https://x.com/{handle}")
    waiting = registry.request_account(
        actor=operator.user,
        department=operator.department,
        platform="instagram",
        account_name=f"{organization.name}観光",
        purpose="観光とイベントの写真を紹介します。",
    )
    registry.save_policy(actor=operator.user, account=waiting, items=profile_items)


def _demo_security(organization: Organization) -> None:
    """Holders and a recorded change on the live account; a personal phone waiting for approval."""
    from django.utils import timezone

    from koshiki.registry.models import OfficialAccount
    from koshiki.security import services as security
    from koshiki.security.models import CredentialHolder

    live = OfficialAccount.objects.filter(organization=organization, state="active").first()
    if live is None or live.manager is None or CredentialHolder.objects.filter(account=live).exists():
        return
    operator = _writer(organization)
    if operator is None:
        return
    manager = live.manager.user
    security.add_holder(actor=manager, account=live, staff=operator, reason="主担当（デモ）")
    security.record_rotation(
        actor=manager,
        account=live,
        rotated_on=timezone.localdate(),
        reason="scheduled",
        note="デモ: 運用開始時の変更",
    )
    phone = security.register_device(
        actor=operator.user,
        label="私物スマートフォン（デモ）",
        kind="personal",
        os_name="iOS 18",
        os_patched_on=timezone.localdate(),
        antivirus="active",
    )
    security.request_device_access(
        actor=operator.user, device=phone, account=live, reason="災害時に庁外から投稿するため"
    )


def _demo_posts(organization: Organization) -> None:
    """On the live account: a post waiting for approval and a draft the checker blocks (a phone number)."""
    from koshiki.posts import services as posts
    from koshiki.posts.models import Post
    from koshiki.registry.models import OfficialAccount

    live = OfficialAccount.objects.filter(organization=organization, state="active").first()
    operator = _writer(organization)
    if live is None or operator is None or Post.objects.filter(account=live).exists():
        return
    waiting = posts.create_post(
        actor=operator.user,
        account=live,
        category="event",
        text=f"今週土曜日10時から、{organization.name}の防災訓練を行います。ご参加ください。",
    )
    with contextlib.suppress(
        ServiceError
    ):  # e.g. 新城市 on a weekend: outside hours, it stays a checked draft
        posts.submit(actor=operator.user, post=waiting)
    # issue #13 S: a second post waiting, so the queue's bulk approve has two to tick; full-width text that
    # the posts list's search finds when typed half-width (「GW」「9時」)
    tourism = posts.create_post(
        actor=operator.user,
        account=live,
        category="tourism",
        text="ＧＷ期間中、観光案内所は９時から１７時まで開いています。",
    )
    with contextlib.suppress(ServiceError):
        posts.submit(actor=operator.user, post=tourism)
    posts.create_post(
        actor=operator.user, account=live, text="避難所の受付は田中さん（090-1234-5678）が担当します。"
    )
    _demo_scheduled_post(organization, live, operator)


def _demo_scheduled_post(organization: Organization, live: Any, operator: Any) -> None:
    """A post for a weekday morning a few days ahead, so the カレンダー (#13) shows something to move."""
    from koshiki.posts import services as posts

    day = timezone.localdate() + dt.timedelta(days=3)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    later = posts.create_post(
        actor=operator.user,
        account=live,
        category="notice",
        text=f"{organization.name}の広報紙の最新号を公開しました。ぜひご覧ください。",
    )
    with contextlib.suppress(ServiceError):
        posts.submit(
            actor=operator.user,
            post=later,
            scheduled_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))),
        )


#: Published through the real chain (write → submit → approve → recorded as posted by hand), so the
#: overview (issue #13) has posts, approval times and an account that is not dormant.
PUBLISHED_TEXTS = (
    "本日から市民課の窓口受付時間を18時まで延長しました。",
    "今月の市報を公開しました。ぜひご覧ください。",
    "明日は燃やすごみの収集日です。朝8時30分までに出してください。",
)


def _demo_published(organization: Organization) -> None:
    """A few posts published on the live account (manual channel: the URL of the post made by hand)."""
    from koshiki.posts import services as posts
    from koshiki.posts.lifecycle import PostState
    from koshiki.posts.models import Post
    from koshiki.registry.models import OfficialAccount

    live = OfficialAccount.objects.filter(organization=organization, state="active").first()
    operator = _writer(organization)
    if live is None or live.manager is None or operator is None:
        return
    if Post.objects.filter(account=live, state=PostState.PUBLISHED).exists():
        return
    for number, text in enumerate(PUBLISHED_TEXTS, start=1):
        with contextlib.suppress(ServiceError):  # e.g. outside operating hours: the post stays a draft
            post = posts.create_post(actor=operator.user, account=live, category="notice", text=text)
            post = posts.submit(actor=operator.user, post=post)
            post = posts.decide(actor=live.manager.user, post=post, approve=True)
            if post.state == PostState.SCHEDULED:
                posts.record_manual_publication(
                    actor=operator.user, post=post, url=f"{live.url.rstrip('/')}/status/{1000 + number}"
                )


def _demo_templates(organization: Organization) -> None:
    """Two post templates (issue #13): 防災 for the live account (its writer) and イベント for every account
    (an administrator). Through the service, so each is checked and audited (a refusal fails `make demo`)."""
    from koshiki.posts.models import PostTemplate
    from koshiki.posts.services import templates
    from koshiki.registry.models import OfficialAccount

    live = OfficialAccount.objects.filter(organization=organization, state="active").first()
    operator = _writer(organization)
    admin = Staff.objects.filter(organization=organization, is_org_admin=True).first()
    if PostTemplate.objects.filter(organization=organization).exists():
        return
    if live is not None and operator is not None:
        templates.create_template(
            actor=operator.user,
            organization=organization,
            account=live,
            name="防災：避難所開設のお知らせ",
            category="emergency",
            text=f"【防災】{organization.name}は、〇時〇分に〇〇避難所を開設しました。"
            "避難の際は、動きやすい服装で、食料や常備薬をお持ちください。",
        )
    if admin is not None:
        templates.create_template(
            actor=admin.user,
            organization=organization,
            name="イベント：開催のご案内",
            category="event",
            text=f"【イベント】〇月〇日（〇）〇時から、{organization.name}〇〇で〇〇を開催します。"
            "参加は無料です。皆さまのご来場をお待ちしています。",
        )


def _demo_two_step() -> None:
    """Demo staff who must use two steps get an authenticator now; `koshiki
    manage demo_code USER` shows codes."""
    from koshiki.twostep import services as two_step
    from koshiki.twostep import totp
    from koshiki.twostep.policy import two_step_required

    for staff in Staff.objects.select_related("user", "organization"):
        if two_step_required(staff.user) and not two_step.has_device(staff.user):
            secret, _uri = two_step.start_enrolment(user=staff.user)
            two_step.confirm_enrolment(user=staff.user, code=totp.code_at(secret, totp.current_step()))


def load_demo() -> list[Organization]:
    """Create the four demo bodies; running it again adds only what is missing."""
    set_request_id("demo-load")
    with transaction.atomic():
        admin = _system_admin()
        organizations = [_load_body(admin, body) for body in BODIES]
        for organization in organizations:
            _demo_accounts(organization)
            _demo_security(organization)
            _demo_posts(organization)
            _demo_published(organization)
            _demo_templates(organization)
        _demo_two_step()
        return organizations


def demo_logins() -> list[tuple[str, str, str]]:
    """Each demo persona with what they do (the role labels of their body's guideline, administrators
    included), the people of each body first; the superuser last, as the one who sees every body."""
    from koshiki.guidelines import get_profile

    rows = []
    for body in BODIES:
        profile = get_profile(body.profile_id)
        for person in body.people:
            does = [profile.role(r).name for r in person.roles]
            if person.admin:
                does.insert(0, "組織の管理者（設定・職員・役割・台帳）")
            rows.append(
                (person.username, f"{body.name} {person.title} {person.name}", "、".join(does) or "役割なし")
            )
    rows.append(("admin", "システム管理者 (superuser)", "全団体の一覧と団体の追加"))
    return rows
