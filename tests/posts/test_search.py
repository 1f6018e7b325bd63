"""Search and filters on the posts list (#13): each filter narrows the list, text matches full- and
half-width alike (NFKC), the date range is inclusive JST days on the scheduled or published time, a reversed
range and another body's account id are Japanese errors that change nothing (never a 500, never a leak)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from koshiki.posts import services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post
from koshiki.posts.search import PostCriteria, day_start, search_posts

from ..conftest import signed_in_client
from .conftest import PostingBody, build_posting_body

JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
def body(db: Any, system_admin: Any) -> PostingBody:
    return build_posting_body(system_admin, "iwaki", "072044", "executive")


def _post(body: PostingBody, text: str, *, writer: Any = None, **fields: Any) -> Post:
    post = services.create_post(actor=(writer or body.operator).user, account=body.account, text=text)
    if fields:
        Post.objects.filter(pk=post.pk).update(**fields)
        post.refresh_from_db()
    return post


def _found(body: PostingBody, **criteria: Any) -> set[int]:
    scoped = Post.objects.filter(organization=body.seed.organization)
    return set(search_posts(scoped, PostCriteria(**criteria)).values_list("pk", flat=True))


def test_text_matches_a_part_of_the_text(body: PostingBody) -> None:
    drill = _post(body, "本日15時から防災訓練を行います。")
    _post(body, "図書館の休館日のお知らせです。")
    assert _found(body, text="防災訓練") == {drill.pk}


def test_half_width_query_finds_full_width_text(body: PostingBody) -> None:
    wide = _post(body, "ＡＢＣ講座を１５時から開きます。")
    assert _found(body, text="abc講座を15時") == {wide.pk}


def test_full_width_query_finds_half_width_text(body: PostingBody) -> None:
    narrow = _post(body, "ﾎﾞｰﾙ遊びの広場は10時に開きます。")
    assert _found(body, text="ボール遊び") == {narrow.pk}
    assert _found(body, text="１０時") == {narrow.pk}


def test_state_filter_takes_several_states(body: PostingBody) -> None:
    draft = _post(body, "下書きです。", state=PostState.DRAFT)
    failed = _post(body, "失敗しました。", state=PostState.FAILED)
    _post(body, "公開済みです。", state=PostState.PUBLISHED)
    assert _found(body, states=(PostState.DRAFT, PostState.FAILED)) == {draft.pk, failed.pk}


def test_account_filter(body: PostingBody) -> None:
    mine = _post(body, "広報の投稿です。")
    assert _found(body, account_id=body.account.pk) == {mine.pk}
    assert _found(body, account_id=body.seed.other_account.pk) == set()


def test_author_filter(body: PostingBody) -> None:
    by_operator = _post(body, "担当者の投稿です。")
    _post(body, "所属長の投稿です。", writer=body.manager)
    assert _found(body, author_id=body.operator.pk) == {by_operator.pk}


def test_category_filter(body: PostingBody) -> None:
    event = _post(body, "夏祭りのお知らせです。", category="event")
    _post(body, "お知らせです。", category="notice")
    assert _found(body, category="event") == {event.pk}


def test_date_range_is_inclusive_jst_days_on_scheduled_or_published(body: PostingBody) -> None:
    first_minute = _post(body, "一日の最初。", scheduled_at=dt.datetime(2026, 4, 1, 0, 0, tzinfo=JST))
    last_minute = _post(body, "最後の日の終わり。", scheduled_at=dt.datetime(2026, 4, 2, 23, 59, tzinfo=JST))
    published = _post(
        body, "公開済み。", scheduled_at=None, published_at=dt.datetime(2026, 4, 2, 12, 0, tzinfo=JST)
    )
    # 2026-03-31 23:30 JST is 14:30 UTC on the 31st: outside, although it is the 1st nowhere
    _post(body, "前日。", scheduled_at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=JST))
    _post(body, "翌日。", scheduled_at=dt.datetime(2026, 4, 3, 0, 0, tzinfo=JST))
    found = _found(body, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 2))
    assert found == {first_minute.pk, last_minute.pk, published.pk}
    assert day_start(dt.date(2026, 4, 1)) == dt.datetime(2026, 3, 31, 15, 0, tzinfo=dt.UTC)


def _page(body: PostingBody, query: str, who: Any = None) -> Any:
    client = signed_in_client((who or body.manager).user)
    return client.get("/posts/?" + query)


def test_the_page_filters_and_counts(body: PostingBody) -> None:
    drill = _post(body, "防災訓練のお知らせ。")
    _post(body, "休館日のお知らせ。")
    response = _page(body, "q=防災&state=draft&state=checked")
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"]] == [drill.pk]
    html = response.content.decode()
    assert "1 件" in html
    assert "条件をクリア" in html


def test_a_reversed_range_is_a_japanese_error_and_filters_nothing(body: PostingBody) -> None:
    one, two = _post(body, "一。"), _post(body, "二。")
    response = _page(body, "date_from=2026-04-02&date_to=2026-04-01&q=一")
    assert response.status_code == 200
    assert {p.pk for p in response.context["page"]} == {one.pk, two.pk}
    html = response.content.decode()
    assert "開始日が終了日より後の日付" in html
    assert 'aria-describedby="filter-date_to-error"' in html


def test_another_bodys_account_id_is_ignored_with_an_error(body: PostingBody, system_admin: Any) -> None:
    other = build_posting_body(system_admin, "shinshiro", "232211", "executive")
    theirs = services.create_post(actor=other.operator.user, account=other.account, text="新城市の投稿。")
    ours = _post(body, "いわき市の投稿。")
    response = _page(body, f"account={other.account.pk}")
    assert response.status_code == 200
    shown = {p.pk for p in response.context["page"]}
    assert shown == {ours.pk}
    assert theirs.pk not in shown
    html = response.content.decode()
    assert other.account.account_name not in html or other.account.account_name == body.account.account_name
    assert 'id="filter-account-error"' in html


def test_paging_links_keep_the_filter(body: PostingBody, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("koshiki.web.views.posts.POST_PAGE_SIZE", 2)
    for i in range(3):
        _post(body, f"防災のお知らせ {i}。")
    _post(body, "別の話。")
    response = _page(body, "q=防災&state=draft&state=checked")
    html = response.content.decode()
    assert response.context["page"].paginator.count == 3
    assert "q=%E9%98%B2%E7%81%BD&amp;state=draft&amp;state=checked&amp;page=2" in html


def test_the_account_select_does_not_submit_on_change(body: PostingBody) -> None:
    html = _page(body, "").content.decode()
    start = html.index('id="post-filters"')
    filters = html[start : html.index("</form>", start)]
    assert 'id="f-account"' in filters
    assert "onchange" not in filters  # the language select in the header is the a11y helper's
    assert 'type="submit"' in filters


def test_scheduled_now_is_within_today(body: PostingBody) -> None:
    today = timezone.localdate()
    now = _post(body, "今日。", scheduled_at=timezone.now())
    assert now.pk in _found(body, date_from=today, date_to=today)
