"""Signing in to Koshiki: throttling (django-axes), own password changes, and ending a person's sessions."""
