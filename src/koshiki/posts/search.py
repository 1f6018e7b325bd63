"""The posts list's search: criteria (already validated by the web form) → a queryset. Kept out of the view
so each filter is tested on its own; the caller passes a queryset already scoped to the user's body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from koshiki.core.textsearch import Nfkc, nfkc

from .models import Post


@dataclass(frozen=True)
class PostCriteria:
    """What the user asked for; an empty field does not filter."""

    text: str = ""
    account_id: int | None = None
    states: tuple[str, ...] = ()
    author_id: int | None = None
    category: str = ""
    date_from: dt.date | None = None  # inclusive, a day in the site's time zone (JST)
    date_to: dt.date | None = None  # inclusive

    @property
    def any(self) -> bool:
        return any(
            (
                self.text,
                self.account_id,
                self.states,
                self.author_id,
                self.category,
                self.date_from,
                self.date_to,
            )
        )


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the site's time zone (Asia/Tokyo)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def date_window(date_from: dt.date | None, date_to: dt.date | None) -> Q:
    """Posts scheduled or published within the days, both ends inclusive (the end is the next midnight)."""
    bounds_scheduled, bounds_published = Q(), Q()
    if date_from is not None:
        bounds_scheduled &= Q(scheduled_at__gte=day_start(date_from))
        bounds_published &= Q(published_at__gte=day_start(date_from))
    if date_to is not None:
        end = day_start(date_to + dt.timedelta(days=1))
        bounds_scheduled &= Q(scheduled_at__lt=end)
        bounds_published &= Q(published_at__lt=end)
    return bounds_scheduled | bounds_published


def search_posts(posts: QuerySet[Post], criteria: PostCriteria) -> QuerySet[Post]:
    """``posts`` narrowed by every given criterion (AND); text matches full- and half-width alike."""
    c = criteria
    if c.text.strip():
        posts = posts.alias(text_nfkc=Nfkc("text")).filter(text_nfkc__icontains=nfkc(c.text.strip()))
    if c.account_id is not None:
        posts = posts.filter(account_id=c.account_id)
    if c.states:
        posts = posts.filter(state__in=c.states)
    if c.author_id is not None:
        posts = posts.filter(author_id=c.author_id)
    if c.category:
        posts = posts.filter(category=c.category)
    if c.date_from is not None or c.date_to is not None:
        posts = posts.filter(date_window(c.date_from, c.date_to))
    return posts
