"""Bulk rows for a national dataset: bodies, departments, staff and roles, accounts, posts, audit entries.

Rows are written with bulk_create (one statement per batch, no services): the services would take hours
at national scale, and the pages only read. Audit entries go through ``koshiki.audit.chain.append_many``
so the chain is a real one that ``koshiki audit verify`` accepts. Each body gets a guideline profile
(the four shipped ones, round-robin), a 総務部 above a 広報課 and its other 課, a 広報主管課 persona
(organization administrator holding the profile's public-relations and manager roles), a manager per 課
and writers; roles are chosen by their kind from the profile, never by id.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import bodies as body_list
from .sizes import Scale, split, weights

PROFILES = ("iwaki", "shinshiro", "ashibetsu", "moriya-council")
PLATFORMS = ("x", "facebook", "instagram", "line", "youtube")
BATCH = 2000
AUDIT_BATCH = 5000
POST_ACTIONS = ("posts.post.created", "posts.post.submitted", "posts.post.approved", "posts.post.published")
ACCOUNT_ACTIONS = ("registry.account.requested", "registry.account.activated", "registry.policy.saved")


@dataclass
class BodyInfo:
    """What the measurements need of one body."""

    rank: int
    name: str
    organization_id: int
    persona_user_id: int
    accounts: int = 0
    staff: int = 0
    posts: int = 0
    account_id: int | None = None  # the account with the most posts
    post_id: int | None = None  # a published post of it
    post_ids: list[int] = field(default_factory=list, repr=False)
    account_ids: list[int] = field(default_factory=list, repr=False)


@dataclass
class Dataset:
    scale: Scale
    bodies: list[BodyInfo]
    seconds: dict[str, float]


def _roles_of_kind(profile: Any, *kinds: str) -> list[Any]:
    return [r for r in profile.roles if r.kind in kinds]


def _batched(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk(model: Any, objects: list[Any], batch: int = BATCH) -> list[Any]:
    out: list[Any] = []
    for chunk in _batched(objects, batch):
        out.extend(model.objects.bulk_create(chunk, batch_size=batch))
    return out


def generate(scale: Scale, *, log: Callable[[str], None] = print, seed: int = 12) -> Dataset:
    """Write the dataset into an empty, migrated database; returns the bodies largest first."""
    from koshiki.guidelines import get_profile
    from koshiki.orgs.models import Department, Organization, RoleAssignment, Staff
    from koshiki.posts.lifecycle import PostState
    from koshiki.posts.models import AfterReport, Post
    from koshiki.registry.lifecycle import AccountState
    from koshiki.registry.models import OfficialAccount, PolicyVersion

    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    now = timezone.now()
    today = timezone.localdate()
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        seconds[name] = time.perf_counter() - started
        log(f"  {name}: {seconds[name]:.1f} s")
        started = time.perf_counter()

    chosen = body_list.ranked(scale.bodies)
    n = len(chosen)
    shares = weights(n)
    accounts_per = split(scale.accounts, shares, minimum=1)
    depts_per = [min(80, max(2, 1 + a // 6)) for a in accounts_per]
    staff_per = [max(s, d + 2) for s, d in zip(split(scale.staff, shares, minimum=4), depts_per, strict=True)]
    posts_per = split(scale.posts, shares)
    profiles = [get_profile(PROFILES[i % len(PROFILES)]) for i in range(n)]

    # Bodies ---------------------------------------------------------------------------------------
    orgs = _bulk(
        Organization,
        [
            Organization(
                code=b.lgcode,
                lgcode=b.lgcode,
                name=b.name,
                profile_id=profiles[i].id,
                profile_version=profiles[i].version,
                web_domains=[b.domain] if b.domain else [],
            )
            for i, b in enumerate(chosen)
        ],
    )
    # Departments: 総務部 (parent), 広報課 under it, then the other 課.
    bu = _bulk(
        Department,
        [Department(organization=o, code="somu", name="総務部") for o in orgs],
    )
    children: list[Any] = []
    for i, o in enumerate(orgs):
        children.append(Department(organization=o, code="koho", name="広報課", parent=bu[i]))
        children.extend(
            Department(organization=o, code=f"k{k:03d}", name=f"第{k}課", parent=bu[i])
            for k in range(1, depts_per[i])
        )
    ka = _bulk(Department, children)
    depts: list[list[Any]] = []
    cursor = 0
    for i in range(n):
        depts.append(ka[cursor : cursor + depts_per[i]])
        cursor += depts_per[i]
    lap("bodies and departments")

    # Staff and roles --------------------------------------------------------------------------------
    user_model = get_user_model()
    users = _bulk(
        user_model,
        [
            user_model(username=f"{b.lgcode}-{j}", password="!bench-unusable", email="")
            for i, b in enumerate(chosen)
            for j in range(staff_per[i])
        ],
    )
    staff_rows: list[Any] = []
    cursor = 0
    for i, o in enumerate(orgs):
        for j in range(staff_per[i]):
            dept = depts[i][0] if j == 0 else bu[i] if j == 1 else depts[i][(j - 2) % depts_per[i]]
            staff_rows.append(
                Staff(
                    user=users[cursor],
                    organization=o,
                    department=dept,
                    display_name="広報主管課長" if j == 0 else f"職員{j}",
                    title="広報課長" if j == 0 else "",
                    is_org_admin=j == 0,
                )
            )
            cursor += 1
    staff = _bulk(Staff, staff_rows)
    start = today - dt.timedelta(days=365)
    assignments: list[Any] = []
    persona: list[Any] = []
    managers: list[list[Any]] = []
    writers: list[list[Any]] = []
    cursor = 0
    for i, o in enumerate(orgs):
        people = staff[cursor : cursor + staff_per[i]]
        cursor += staff_per[i]
        profile = profiles[i]

        def grant(person: Any, roles: list[Any], dept: Any, organization: Any = o) -> None:
            for role in roles:
                assignments.append(
                    RoleAssignment(
                        organization=organization,
                        staff=person,
                        role_id=role.id,
                        department=dept if role.scope == "department" else None,
                        start_date=start,
                    )
                )

        persona.append(people[0])
        grant(people[0], _roles_of_kind(profile, "public_relations", "manager"), depts[i][0])
        grant(people[1], _roles_of_kind(profile, "security_officer", "supervisor"), bu[i])
        heads = [people[0]]
        for k in range(1, depts_per[i]):
            head = people[2 + (k - 1)] if 2 + (k - 1) < len(people) else people[0]
            if head is not people[0]:
                grant(head, _roles_of_kind(profile, "manager"), depts[i][k])
            heads.append(head)
        managers.append(heads)
        rest = people[1 + depts_per[i] :] or [people[0]]
        for person in rest:
            if person is not people[0]:
                grant(person, _roles_of_kind(profile, "writer"), person.department)
        writers.append(rest)
    _bulk(RoleAssignment, assignments)
    lap("staff and roles")

    # Accounts ----------------------------------------------------------------------------------------
    account_rows: list[Any] = []
    for i, o in enumerate(orgs):
        for k in range(accounts_per[i]):
            d = k % depts_per[i]
            state = AccountState.REQUESTED if k % 33 == 32 else AccountState.ACTIVE
            account_rows.append(
                OfficialAccount(
                    organization=o,
                    department=depts[i][d],
                    platform=PLATFORMS[k % len(PLATFORMS)],
                    account_name=f"{chosen[i].name} {depts[i][d].name} {k + 1}",
                    handle=f"b{chosen[i].lgcode}_{k}",
                    url=f"https://example.jp/{chosen[i].lgcode}/{k}",
                    purpose=f"{chosen[i].name}の暮らしの情報",
                    manager=managers[i][d],
                    state=state,
                    state_changed_at=now - dt.timedelta(days=k % 300),
                    requested_by=managers[i][d],
                )
            )
    accounts = _bulk(OfficialAccount, account_rows)
    through = OfficialAccount.operators.through
    per_body: list[list[Any]] = []
    cursor = 0
    links = []
    policies = []
    for i in range(n):
        mine = accounts[cursor : cursor + accounts_per[i]]
        cursor += accounts_per[i]
        per_body.append(mine)
        for k, account in enumerate(mine):
            links.append(through(officialaccount_id=account.pk, staff_id=writers[i][k % len(writers[i])].pk))
            if account.state == AccountState.ACTIVE:
                policies.append(
                    PolicyVersion(account=account, version=1, items={}, created_by=account.manager)
                )
    _bulk(through, links)
    _bulk(PolicyVersion, policies)
    lap("accounts")

    # Posts -------------------------------------------------------------------------------------------
    infos = [
        BodyInfo(
            rank=i,
            name=chosen[i].name,
            organization_id=orgs[i].pk,
            persona_user_id=persona[i].user_id,
            accounts=accounts_per[i],
            staff=staff_per[i],
            posts=posts_per[i],
            account_ids=[a.pk for a in per_body[i]],
        )
        for i in range(n)
    ]
    pending: list[Any] = []
    reports: list[Any] = []

    def flush() -> None:
        for post in Post.objects.bulk_create(pending, batch_size=BATCH):
            infos[post._bench_body].post_ids.append(post.pk)
            info = infos[post._bench_body]
            if post.state == PostState.PUBLISHED and (
                info.post_id is None or post.account_id == info.account_id
            ):
                info.post_id = post.pk  # one of the busiest account's, else any of the body's
            if post._bench_after:
                reports.append(AfterReport(post=post, reason="standing", due_on=today + dt.timedelta(days=7)))
        pending.clear()
        if len(reports) >= BATCH:
            _bulk(AfterReport, reports)
            reports.clear()

    for i in range(n):
        mine = per_body[i]
        counts = split(posts_per[i], weights(len(mine)))
        infos[i].account_id = mine[0].pk
        for account, count in zip(mine, counts, strict=True):
            for p in range(count):
                kind = (p * 37 + 50) % 100  # a permutation of 0–99: a small account gets a mix too
                post = _post(Post, PostState, orgs[i], account, writers[i][p % len(writers[i])], kind, p, now)
                post._bench_body = i  # type: ignore[attr-defined]
                post._bench_after = 10 <= kind <= 11  # type: ignore[attr-defined]
                pending.append(post)
                if len(pending) >= BATCH:
                    flush()
    flush()
    _bulk(AfterReport, reports)
    lap("posts")

    # Audit entries (one national chain, interleaved across bodies) -----------------------------------
    _audit(scale.audit_entries, infos, orgs, persona, shares, rng, log)
    lap("audit entries")
    return Dataset(scale=scale, bodies=infos, seconds=seconds)


def _post(Post: Any, PostState: Any, org: Any, account: Any, author: Any, kind: int, p: int, now: Any) -> Any:
    """One post; ``kind`` (0–99) picks its state so every page has some of each."""
    post = Post(
        organization=org,
        account=account,
        author=author,
        text=f"{org.name}からのお知らせ {p + 1}: 今週の催しと暮らしの情報です。",
        state=PostState.PUBLISHED,
        state_changed_at=now - dt.timedelta(days=p % 365),
    )
    if kind < 3:
        post.state, post.approval_round, post.submitted_by = PostState.SUBMITTED, 1, author
    elif kind < 6:
        post.state, post.approval_round = PostState.SCHEDULED, 1
        post.scheduled_at = now + dt.timedelta(days=p % 30, hours=1)
    elif kind < 10:
        post.state = PostState.DRAFT
    elif 12 <= kind < 15:
        post.state = PostState.WITHDRAWN
    else:
        post.published_at = now - dt.timedelta(days=p % 365)
        post.remote_url = f"https://example.jp/p/{org.lgcode}/{account.pk}/{p}"
        post.submitted_by = author
    return post


def _audit(
    total: int,
    infos: list[BodyInfo],
    orgs: list[Any],
    persona: list[Any],
    shares: list[float],
    rng: random.Random,
    log: Callable[[str], None],
) -> None:
    from koshiki.audit.chain import append_many

    made = 0
    body_index = list(range(len(infos)))
    while made < total:
        size = min(AUDIT_BATCH, total - made)
        chosen = rng.choices(body_index, weights=shares, k=size)
        entries = []
        for i in chosen:
            info = infos[i]
            if info.post_ids and rng.random() < 0.8:
                object_id = rng.choice(info.post_ids)
                action, object_type, object_repr = (
                    rng.choice(POST_ACTIONS),
                    "posts.post",
                    f"post #{object_id}",
                )
            else:
                object_id = rng.choice(info.account_ids)
                action, object_type, object_repr = (
                    rng.choice(ACCOUNT_ACTIONS),
                    "registry.officialaccount",
                    f"account #{object_id}",
                )
            entries.append(
                dict(
                    action=action,
                    organization_id=orgs[i].pk,
                    organization_code=orgs[i].code,
                    actor_id=persona[i].user_id,
                    actor_name=persona[i].display_name,
                    object_type=object_type,
                    object_id=str(object_id),
                    object_repr=object_repr,
                    before=None,
                    after=None,
                    clause="",
                    request_id="",
                )
            )
        with transaction.atomic():
            append_many(entries)
        made += size
        if made % 100_000 < AUDIT_BATCH:
            log(f"    audit entries: {made:,} / {total:,}")


def existing(log: Callable[[str], None] = print) -> Dataset:
    """The dataset already in the database (a run with --keep): measure again without generating.

    Bodies are read back as ``generate`` returned them: largest (most accounts) first, the smallest last;
    each body's persona is its organization administrator 広報主管課長, its account the first one created
    (the busiest), its post that account's last published one.
    """
    from django.db.models import Count

    from koshiki.audit.models import AuditEntry
    from koshiki.orgs.models import Organization, Staff
    from koshiki.posts.lifecycle import PostState
    from koshiki.posts.models import Post
    from koshiki.registry.models import OfficialAccount

    orgs = list(
        Organization.objects.annotate(n=Count("accounts", distinct=True)).filter(n__gt=0).order_by("-n", "pk")
    )
    infos = []
    for rank, org in enumerate([orgs[0], orgs[-1]] if len(orgs) > 1 else orgs):
        persona = Staff.objects.filter(organization=org, is_org_admin=True).order_by("pk").first()
        account = OfficialAccount.objects.filter(organization=org).order_by("pk").first()
        post = (
            Post.objects.filter(account=account, state=PostState.PUBLISHED).order_by("-pk").first()
            or Post.objects.filter(organization=org, state=PostState.PUBLISHED).order_by("-pk").first()
        )
        assert persona is not None and account is not None
        infos.append(
            BodyInfo(
                rank=rank,
                name=org.name,
                organization_id=org.pk,
                persona_user_id=persona.user_id,
                accounts=org.n,  # type: ignore[attr-defined]
                staff=Staff.objects.filter(organization=org).count(),
                posts=Post.objects.filter(organization=org).count(),
                account_id=account.pk,
                post_id=post.pk if post else None,
            )
        )
    scale = Scale(
        bodies=Organization.objects.count(),
        accounts=OfficialAccount.objects.count(),
        staff=Staff.objects.count(),
        posts=Post.objects.count(),
        audit_entries=AuditEntry.objects.count(),
    )
    log(f"reusing the dataset in the database: {scale}")
    return Dataset(scale=scale, bodies=infos, seconds={})
