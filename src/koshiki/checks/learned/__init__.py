"""The checker's learned tier: a multi-label linear model over character n-grams and Sudachi
lemmas for the open-ended categories that word lists keep missing (docs/CHECKER.md).

It runs on save, on submission and in bulk (``check(..., learned=default_model())``); the live
check while staff type stays on the rules alone. Training and evaluation by writer are in
``training`` and ``evaluation`` (``make train``, ``make eval``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .model import LearnedModel, ModelFileError

#: The categories the post model learns; the rules keep the precise detectors for the others.
POST_CATEGORIES: tuple[str, ...] = (
    "personal_info",
    "confidential",
    "security_risk",
    "illegal",
    "defamation",
    "discrimination",
    "political",
    "religious",
    "commercial",
    "obscene",
    "rumor",
    "personal_opinion",
)

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "learned_posts.model"


def load_post_model(path: Path) -> LearnedModel:
    """A post model from ``path``: a readable model file whose categories are all post categories.

    A model of another task (the reply triage's, say) would load, then make every save fail on a
    category the profile has no rule for: it is refused here, and so at start-up."""
    model = LearnedModel.load(path)
    unknown = [c for c in model.categories if c not in POST_CATEGORIES]
    if unknown:
        raise ModelFileError(f"{path} is not a post model: unknown categories {', '.join(unknown)}")
    return model


@lru_cache(maxsize=1)
def default_model() -> LearnedModel:
    """The model shipped with the package, loaded once per process (about 0.3 s)."""
    return load_post_model(DEFAULT_MODEL_PATH)


__all__ = [
    "DEFAULT_MODEL_PATH",
    "POST_CATEGORIES",
    "LearnedModel",
    "ModelFileError",
    "default_model",
    "load_post_model",
]
