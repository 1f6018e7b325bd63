"""Baseline for the speed benchmark: presidio-analyzer + GiNZA (ja_ginza) + our Japanese regexes.

Why it is built this way:
- Presidio is the usual off-the-shelf PII detector, but it ships no Japanese setup, and
  `AnalyzerEngine()` with defaults tries to download an English spaCy model (and fails offline).
  So the NLP engine, the recognizer registry and the analyzer are all built explicitly for "ja".
- GiNZA's `ja_ginza` wheel carries its model, so nothing is fetched at run time. We refuse to
  start if it is not installed, so presidio never reaches its `spacy.cli.download` fallback.
- GiNZA needs sudachipy<0.7 while our main .venv has 0.7, so this runs in its own virtualenv
  (.venv-bench, made by benchmarks/setup-baseline.sh from benchmarks/requirements-baseline.lock).
- GiNZA tags Sekine's extended named entities (Person, City, Province, ...); they are mapped to
  presidio's PERSON/LOCATION (OntoNotes labels too, should a model emit them). Every other
  label is ignored up front, since presidio would otherwise keep it and log a warning per entity.
- The regex side uses the same patterns as our checker (--patterns), one PatternRecognizer each,
  so the comparison is "our checker" against "presidio + NER + the same regexes".

Measured: the wall time (time.perf_counter) of one `analyzer.analyze(text, language="ja")` per
post, after 20 warm-up posts, single process, single thread (BLAS/OpenMP pools pinned to 1).
rss_mb is the process's peak resident set size. Prints one JSON line on stdout.

Run: .venv-bench/bin/python benchmarks/baseline_presidio.py --posts tests/checks/corpus/posts.jsonl \
         --patterns PATTERNS.json [--limit 2000]
"""

from __future__ import annotations

import os

# Single thread: pin the BLAS/OpenMP pools before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import spacy  # noqa: E402
from presidio_analyzer import (  # noqa: E402
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
)
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine  # noqa: E402
from presidio_analyzer.predefined_recognizers import SpacyRecognizer  # noqa: E402
from thinc.api import NumpyOps, set_current_ops  # noqa: E402

LANG = "ja"
MODEL = "ja_ginza"
WARMUP = 20
PATTERN_SCORE = 0.6
# GiNZA (ENE) labels, plus OntoNotes-style ones, to presidio entities.
LABEL_MAP: dict[str, str] = {
    "Person": "PERSON",
    "PERSON": "PERSON",
    "PER": "PERSON",
    "Country": "LOCATION",
    "Province": "LOCATION",
    "County": "LOCATION",
    "City": "LOCATION",
    "GPE_Other": "LOCATION",
    "Domestic_Region": "LOCATION",
    "Location_Other": "LOCATION",
    "Postal_Address": "LOCATION",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
}


def build_analyzer(patterns: dict[str, str]) -> AnalyzerEngine:
    if not spacy.util.is_package(MODEL):
        sys.exit(f"{MODEL} is not installed: run benchmarks/setup-baseline.sh (no model is downloaded here)")
    # thinc's plain NumpyOps instead of the blis-backed default: GiNZA NER measured 1.4x faster on
    # this machine (1.2-1.5x across runs of this script, single-threaded). It must be set before
    # the model is loaded, since each layer keeps the ops it was built with.
    set_current_ops(NumpyOps(use_blis=False))
    ner_config = NerModelConfiguration(model_to_presidio_entity_mapping=dict(LABEL_MAP))
    nlp_engine = SpacyNlpEngine(
        models=[{"lang_code": LANG, "model_name": MODEL}], ner_model_configuration=ner_config
    )
    nlp_engine.load()
    ner_labels = nlp_engine.get_nlp(LANG).pipe_labels["ner"]
    ner_config.labels_to_ignore = [label for label in ner_labels if label not in LABEL_MAP]

    recognizers: list[EntityRecognizer] = [
        SpacyRecognizer(supported_language=LANG, supported_entities=["PERSON", "LOCATION"])
    ]
    recognizers += [
        PatternRecognizer(
            supported_entity=entity,
            name=f"{entity}_ja",
            supported_language=LANG,
            patterns=[Pattern(name=entity, regex=regex, score=PATTERN_SCORE)],
        )
        for entity, regex in patterns.items()
    ]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[LANG])
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=[LANG])


def load_texts(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    if not texts:
        sys.exit(f"no posts in {path}")
    return texts


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return sorted_values[max(1, math.ceil(q / 100 * len(sorted_values))) - 1]


def run(texts: list[str], patterns: dict[str, str], limit: int) -> dict[str, object]:
    analyzer = build_analyzer(patterns)
    posts = itertools.cycle(texts)
    for text in itertools.islice(posts, WARMUP):
        analyzer.analyze(text=text, language=LANG)
    latencies: list[float] = []
    started = time.perf_counter()
    for text in itertools.islice(posts, limit):
        t0 = time.perf_counter()
        analyzer.analyze(text=text, language=LANG)
        latencies.append(time.perf_counter() - t0)
    seconds = time.perf_counter() - started
    latencies.sort()
    peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "name": "presidio+ginza",
        "posts": limit,
        "seconds": round(seconds, 3),
        "posts_per_s": round(limit / seconds, 2),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "rss_mb": round(peak_rss_kib / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--posts", type=Path, required=True, help="JSON Lines, one post with a 'text' field a line"
    )
    parser.add_argument("--patterns", type=Path, required=True, help='JSON {"ENTITY": "python regex", ...}')
    parser.add_argument("--limit", type=int, default=2000, help="posts to measure, cycling over the file")
    args = parser.parse_args()
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    patterns = json.loads(args.patterns.read_text(encoding="utf-8"))
    print(json.dumps(run(load_texts(args.posts), patterns, args.limit), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
