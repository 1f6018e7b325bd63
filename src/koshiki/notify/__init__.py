"""E-mail notifications to the holders of a guideline role, in each recipient's language."""
