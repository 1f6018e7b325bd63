"""Which learner and which features for the checker's learned tier (issue #14): `make compare-learners`.

Each candidate is scored leave-one-writer-out on the six writers' corpora; per-category thresholds
are then set on those same out-of-fold scores so that rules + tier flag at most 4 % of clean posts,
and the table shows macro recall over the tier's categories, scoring speed and model size. (Setting
thresholds on the scores they are judged on flatters every candidate alike: this ranks candidates,
`make eval` gives the honest figures.)"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from koshiki.checks.learned import POST_CATEGORIES
from koshiki.checks.learned.evaluation import load_writers
from koshiki.checks.learned.features import FeatureConfig
from koshiki.checks.learned.training import FoldModels, TrainConfig, calibrate, out_of_fold

ROOT = Path(__file__).resolve().parents[1]
WRITERS = ROOT / "tests" / "checks" / "corpus" / "writers"

CANDIDATES = {
    "logreg, chars 1-3 + lemmas (shipped)": TrainConfig(),
    "logreg, chars 1-3 only (no Sudachi)": TrainConfig(
        features=FeatureConfig(words=False, word_bigrams=False)
    ),
    "logreg, chars 1-4 + lemmas": TrainConfig(features=FeatureConfig(char_max=4)),
    "logreg, chars 2-4, lemma unigrams": TrainConfig(
        features=FeatureConfig(char_min=2, char_max=4, word_bigrams=False)
    ),
    "logreg C=16": TrainConfig(c=16.0),
    "linear SVM (hinge)": TrainConfig(learner="svm"),
    "SGD modified Huber": TrainConfig(learner="sgd"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="substring of the candidates to run")
    args = parser.parse_args()
    parts = load_writers(WRITERS)
    examples = [e for p in parts for e in p.examples]
    already = [bool(f) for p in parts for f in p.rule_flags]
    y = np.array([[c in e.categories for c in POST_CATEGORIES] for e in examples])
    clean = np.array([e.clean for e in examples])
    print(f"{'candidate':40} {'macro R':>7} {'FA':>6} {'ms/post':>8} {'MB':>5} {'fit s':>6}")
    for name, config in CANDIDATES.items():
        if args.only and args.only not in name:
            continue
        started = time.monotonic()
        models = FoldModels(examples, POST_CATEGORIES, config)
        oof = out_of_fold(examples, models)
        fit_s = (time.monotonic() - started) / len({e.writer for e in examples})
        th = calibrate(oof, examples, POST_CATEGORIES, false_alarm_budget=0.04, already_flagged=already)
        flagged = oof >= th
        recall = np.mean(
            [(flagged[:, j] & y[:, j]).sum() / y[:, j].sum() for j in range(len(POST_CATEGORIES))]
        )
        alarms = ((flagged.any(axis=1) | np.array(already)) & clean).sum() / clean.sum()
        model = models.without(frozenset({"w1"}))
        texts = [e.text[:280] for e in examples[:500]]
        t0 = time.perf_counter()
        for text in texts:
            model.scores(text)
        per_post = (time.perf_counter() - t0) / len(texts) * 1000
        with tempfile.TemporaryDirectory() as tmp:
            model.save(Path(tmp) / "m")
            size = (Path(tmp) / "m").stat().st_size
        print(
            f"{name:40} {recall:7.2f} {alarms:6.1%} {per_post:8.2f} {size / 1e6:5.1f} {fit_s:6.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
