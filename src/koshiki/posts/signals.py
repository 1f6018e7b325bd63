"""Signals other apps listen to without the posts app importing them (no import cycle).

``post_submitted``: a post entered the approval chain (sent inside submit's transaction, with ``post`` and
``actor``). The optional AI reviewer (koshiki.aireview) listens and queues its second opinion after commit.
"""

from __future__ import annotations

from django.dispatch import Signal

post_submitted = Signal()
