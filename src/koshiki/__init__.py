"""Koshiki (公式): running public bodies' official social media accounts by their own guideline."""

__version__ = "0.1.0"
