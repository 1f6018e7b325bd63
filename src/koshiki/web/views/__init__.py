"""Views: read through scoped querysets, change only through service functions."""
