"""The posting workflow (issue #6): draft → checked → submitted → approved →
scheduled → publishing → published."""
