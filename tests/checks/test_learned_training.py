"""`make train` is reproducible: retraining on the writers' corpora gives the model that ships."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from koshiki.checks.learned import DEFAULT_MODEL_PATH, POST_CATEGORIES, LearnedModel
from koshiki.checks.learned.evaluation import load_writers, train_calibrated
from koshiki.checks.learned.model import same_model
from koshiki.checks.learned.training import TrainConfig

WRITERS = Path(__file__).parent / "corpus" / "writers"


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="touches no database: runs once, in the SQLite pass"
)
def test_retraining_gives_the_shipped_model(tmp_path: Path) -> None:
    model = train_calibrated(load_writers(WRITERS), POST_CATEGORIES, TrainConfig())
    model.save(tmp_path / "retrained.model")
    differences = same_model(
        LearnedModel.load(tmp_path / "retrained.model"), LearnedModel.load(DEFAULT_MODEL_PATH)
    )
    assert differences == [], "run `make train` and commit the model: " + ", ".join(differences)
