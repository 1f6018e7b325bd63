"""Training, out-of-fold scoring by writer, and threshold calibration for the learned tier.

Reusable for any multi-label text task (post categories now, reply triage next): give it
examples with writers and the categories to learn. scikit-learn is used only here, at
training time; its liblinear solver is deterministic, so the same corpus gives the same model."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .corpus import Example
from .features import FeatureConfig, features
from .model import LearnedModel
from .vectorize import CountMatrix, FloatArray


@dataclass(frozen=True)
class TrainConfig:
    """Every knob of training; stored in the model so a retrain can be compared."""

    features: FeatureConfig = FeatureConfig()
    min_df: int = 2
    max_features: int = 200_000
    c: float = 4.0
    false_alarm_budget: float = 0.04  # share of clean posts the rules and the tier together may flag
    min_threshold: float = 0.2
    seed: int = 14
    learner: str = "logreg"  # see LEARNERS; benchmarks/compare_learners.py measures the others

    def as_dict(self) -> dict[str, object]:
        return {
            "features": self.features.as_dict(),
            "min_df": self.min_df,
            "max_features": self.max_features,
            "c": self.c,
            "false_alarm_budget": self.false_alarm_budget,
            "min_threshold": self.min_threshold,
            "seed": self.seed,
            "learner": self.learner,
        }


FeatureCache = dict[str, Counter[str]]


def featurize(
    examples: Sequence[Example], config: FeatureConfig, cache: FeatureCache | None = None
) -> list[Counter[str]]:
    """Feature counts per example, computed once per text (cross-validation reuses them)."""
    out = []
    for e in examples:
        if cache is not None and e.text in cache:
            out.append(cache[e.text])
            continue
        counts = features(e.text, config)
        if cache is not None:
            cache[e.text] = counts
        out.append(counts)
    return out


def fit(
    examples: Sequence[Example],
    categories: Sequence[str],
    config: TrainConfig,
    *,
    cache: FeatureCache | None = None,
    thresholds: Sequence[float] | None = None,
    matrix: tuple[CountMatrix, Sequence[int]] | None = None,
) -> LearnedModel:
    """A model trained on ``examples``; thresholds 0.5 unless given (see ``calibrate``).

    ``matrix`` (all documents' counts and the rows of ``examples`` in it) saves recounting
    when many models train on subsets of one corpus."""
    rows: Sequence[int]
    if matrix is None:
        counts, rows = CountMatrix(featurize(examples, config.features, cache)), range(len(examples))
    else:
        counts, rows = matrix
    columns, idf = counts.vocabulary(rows, min_df=config.min_df, max_features=config.max_features)
    x = counts.tfidf(rows, columns, idf)
    weights = np.zeros((len(categories), len(columns)), dtype=np.float32)
    bias = np.zeros(len(categories), dtype=np.float32)
    for j, category in enumerate(categories):
        y = np.array([int(category in e.categories) for e in examples])
        if y.min() == y.max():  # a category absent (or everywhere) in this fold: never flag
            bias[j] = -20.0 if y.max() == 0 else 20.0
            continue
        clf = _classifier(config)
        clf.fit(x, y)
        weights[j] = clf.coef_[0]
        bias[j] = clf.intercept_[0]
    return LearnedModel(
        categories=tuple(categories),
        config=config.features,
        vocabulary=[counts.names[c] for c in columns],
        idf=idf,
        weights=weights,
        bias=bias,
        thresholds=np.array(thresholds if thresholds is not None else [0.5] * len(categories), np.float32),
        meta={"train": config.as_dict(), "examples": len(examples)},
    )


LEARNERS = ("logreg", "svm", "sgd")


def _classifier(config: TrainConfig) -> Any:
    """A linear classifier with class weights balanced (violations are rarer than clean posts).

    Scoring reads only its weights and bias, through a logistic: exact for logreg, a monotone
    score for the others (their thresholds are calibrated on that score)."""
    if config.learner == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            solver="liblinear", C=config.c, class_weight="balanced", random_state=config.seed, max_iter=1000
        )
    if config.learner == "svm":
        from sklearn.svm import LinearSVC

        return LinearSVC(C=config.c / 8, class_weight="balanced", random_state=config.seed, max_iter=5000)
    if config.learner == "sgd":
        from sklearn.linear_model import SGDClassifier

        return SGDClassifier(
            loss="modified_huber", alpha=1e-5, class_weight="balanced", random_state=config.seed, max_iter=50
        )
    raise ValueError(f"unknown learner {config.learner!r}; one of {', '.join(LEARNERS)}")


def score_matrix(model: LearnedModel, examples: Sequence[Example]) -> FloatArray:
    return (
        np.vstack([model.scores(e.text) for e in examples])
        if examples
        else np.zeros((0, len(model.categories)), np.float32)
    )


class FoldModels:
    """Models trained on the examples without some writers, each trained once.

    Leave-one-writer-out with thresholds calibrated inside each fold needs a model without
    {held-out, inner} for every pair of writers; either order is the same model, so the
    evaluation trains 21 models for 6 writers instead of 36."""

    def __init__(
        self,
        examples: Sequence[Example],
        categories: Sequence[str],
        config: TrainConfig,
        *,
        cache: FeatureCache | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.examples = list(examples)
        self.categories = list(categories)
        self.config = config
        self.cache: FeatureCache = cache if cache is not None else {}
        self.progress = progress
        self._models: dict[frozenset[str], LearnedModel] = {}
        self._counts: CountMatrix | None = None

    def counts(self) -> CountMatrix:
        if self._counts is None:
            self._counts = CountMatrix(featurize(self.examples, self.config.features, self.cache))
        return self._counts

    def without(self, writers: frozenset[str]) -> LearnedModel:
        model = self._models.get(writers)
        if model is None:
            rows = [i for i, e in enumerate(self.examples) if e.writer not in writers]
            train = [self.examples[i] for i in rows]
            model = fit(train, self.categories, self.config, matrix=(self.counts(), rows))
            self._models[writers] = model
            if self.progress:
                self.progress("trained without " + (", ".join(sorted(writers)) or "nobody"))
        return model


def out_of_fold(
    examples: Sequence[Example], models: FoldModels, *, excluded: frozenset[str] = frozenset()
) -> FloatArray:
    """Each example scored by a model trained without its writer (and without ``excluded``)."""
    scores = np.zeros((len(examples), len(models.categories)), dtype=np.float32)
    for writer in sorted({e.writer for e in examples}):
        held = [i for i, e in enumerate(examples) if e.writer == writer]
        model = models.without(excluded | {writer})
        scores[held] = score_matrix(model, [examples[i] for i in held])
    return scores


def calibrate(
    scores: FloatArray,
    examples: Sequence[Example],
    categories: Sequence[str],
    *,
    false_alarm_budget: float,
    min_threshold: float = 0.2,
    already_flagged: Sequence[bool] | None = None,
) -> FloatArray:
    """Per-category thresholds from out-of-fold scores: start strict, then lower one category's
    threshold at a time where it buys the most recall per clean post newly flagged, until the
    share of clean posts flagged by any category would pass the budget.

    ``already_flagged`` marks posts another tier (the rules) flags anyway: they cost nothing more,
    and the budget is for the tiers together."""
    y = np.array([[int(c in e.categories) for c in categories] for e in examples], dtype=bool)
    clean = np.array([e.clean for e in examples], dtype=bool)
    n_clean = max(1, int(clean.sum()))
    grid = [1.01] + [round(t, 2) for t in np.arange(0.95, min_threshold - 1e-9, -0.05)]  # 1.01: off
    steps = [0] * len(categories)
    thresholds = np.array([grid[0]] * len(categories), dtype=np.float32)

    base = np.array(already_flagged if already_flagged is not None else [False] * len(examples), dtype=bool)

    def flagged_clean(th: FloatArray) -> int:
        return int((((scores >= th).any(axis=1) | base) & clean).sum())

    def recall(j: int, t: float) -> float:
        positives = y[:, j].sum()
        return float(((scores[:, j] >= t) & y[:, j]).sum() / positives) if positives else 0.0

    while True:
        now = flagged_clean(thresholds)
        best: tuple[float, int] | None = None
        for j in range(len(categories)):
            if steps[j] + 1 >= len(grid):
                continue
            trial = thresholds.copy()
            trial[j] = grid[steps[j] + 1]
            after = flagged_clean(trial)
            cost = after - now
            if after / n_clean > false_alarm_budget:
                continue
            gain = recall(j, grid[steps[j] + 1]) - recall(j, grid[steps[j]])
            value = gain / (cost + 0.5)
            if best is None or value > best[0]:
                best = (value, j)
        if best is None:
            return thresholds
        j = best[1]
        steps[j] += 1
        thresholds[j] = grid[steps[j]]
