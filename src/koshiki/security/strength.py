"""Password strength, scored in memory by zxcvbn and never kept."""

from __future__ import annotations

from dataclasses import dataclass

from zxcvbn import zxcvbn

MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline slow-hash scenario"
MAX_LENGTH = 200  # zxcvbn slows down sharply on very long input


@dataclass(frozen=True)
class Strength:
    score: int
    warning: str
    suggestions: tuple[str, ...]

    @property
    def acceptable(self) -> bool:
        return self.score >= MIN_SCORE


def score(password: str, *, related: list[str]) -> Strength:
    """zxcvbn score 0–4; ``related`` (account name, handle, body name) count as easy guesses."""
    result = zxcvbn(password[:MAX_LENGTH], user_inputs=[r for r in related if r])
    feedback = result.get("feedback", {})
    return Strength(
        int(result["score"]), str(feedback.get("warning", "")), tuple(feedback.get("suggestions", ()))
    )
