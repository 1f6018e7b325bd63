"""Signals other domains listen to (e.g. credential rotation on a personnel change)."""

from django.dispatch import Signal

#: Sent inside the transaction once a personnel change takes effect; kwargs:
#: change, actor (None for the worker).
personnel_change_applied = Signal()
