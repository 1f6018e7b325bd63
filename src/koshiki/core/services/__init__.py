"""Services of core: shared writers that every domain calls (approval decisions)."""
