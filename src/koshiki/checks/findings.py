"""What the checker returns: a finding per problem, with the span in the ORIGINAL text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["block", "warn", "info"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warn": 1, "block": 2}


@dataclass(frozen=True)
class Finding:
    category: str
    severity: Severity
    start: int
    end: int
    message_ja: str
    message_en: str
    suggestion_ja: str = ""
    suggestion_en: str = ""
    clauses: tuple[str, ...] = field(default_factory=tuple)
    detector: str = ""

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["clauses"] = list(self.clauses)
        return data


@dataclass(frozen=True)
class Hit:
    """A detector's raw result, before the profile gives it a severity and clauses."""

    category: str
    start: int  # in the original text
    end: int
    message_ja: str
    message_en: str
    suggestion_ja: str = ""
    suggestion_en: str = ""
    detector: str = ""
    severity: Severity | None = None  # a detector may lower (never raise) the profile's severity


class CheckInputError(ValueError):
    """Input the checker refuses (too long); the message is shown to staff."""
