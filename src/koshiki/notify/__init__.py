"""Notifications: tell the holders of a role (or named staff) something, each in their own language.

Use ``koshiki.notify.service.tell`` from services (queued after commit) and ``send_now`` from background jobs.
"""
