"""Registry signals: a request's operating policy became complete (requests.py tells the approvers, who can
act only from then on; policy.py sends it without importing requests.py)."""

from django.dispatch import Signal

#: sent with ``account`` inside save_policy's transaction, when a new version completes the policy
policy_completed = Signal()
