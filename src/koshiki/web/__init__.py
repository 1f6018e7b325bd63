"""The browser UI: Japanese first, English second."""
