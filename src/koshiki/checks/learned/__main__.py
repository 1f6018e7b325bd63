"""``python -m koshiki.checks.learned train|eval``: what ``make train`` and ``make eval`` run."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import DEFAULT_MODEL_PATH, POST_CATEGORIES, LearnedModel
from .evaluation import leave_one_writer_out, load_part, load_writers, on_set, table, train_calibrated
from .training import TrainConfig


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def train(args: argparse.Namespace) -> int:
    started = time.monotonic()
    parts = load_writers(Path(args.corpus) / "writers")
    model = train_calibrated(parts, POST_CATEGORIES, TrainConfig(), progress=lambda m: _log(f"  {m}"))
    digest = model.save(Path(args.out))
    size = Path(args.out).stat().st_size
    _log(f"wrote {args.out}: {size / 1e6:.1f} MB, sha256 {digest[:16]}…, {time.monotonic() - started:.0f} s")
    for category, threshold in zip(model.categories, model.thresholds, strict=True):
        _log(f"  {category:18} threshold {threshold:.2f}")
    return 0


def evaluate(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    parts = load_writers(corpus / "writers")
    started = time.monotonic()
    rules, combined, by_writer = leave_one_writer_out(
        parts, POST_CATEGORIES, TrainConfig(), progress=lambda m: _log(f"  {m}")
    )
    names = ", ".join(p.name for p in parts)
    print(
        table(
            f"Leave-one-writer-out over {len(parts)} writers ({names}): each writer checked by a tier "
            f"trained and calibrated without them",
            rules,
            combined,
            POST_CATEGORIES,
        )
    )
    print()
    print(f"{'writer':8} {'rules macro R':>13} {'+learned':>9} {'FA rules':>9} {'+learned':>9}")
    for name, (r, c) in by_writer.items():
        cats = [k for k in POST_CATEGORIES if c.labelled(k)]
        mr = sum(r.recall(k) for k in cats) / len(cats)
        mc = sum(c.recall(k) for k in cats) / len(cats)
        print(f"{name:8} {mr:13.2f} {mc:9.2f} {r.alarm_rate:9.1%} {c.alarm_rate:9.1%}")
    _log(f"leave-one-writer-out took {time.monotonic() - started:.0f} s")
    if args.writers_only:
        return 0
    model = LearnedModel.load(Path(args.model))
    for posts, context, title in (
        (
            corpus / "blind" / "posts.jsonl",
            corpus / "blind" / "context.json",
            "Final blind set (written last, never tuned against), shipped model",
        ),
        (
            corpus / "heldout.jsonl",
            corpus / "heldout_context.json",
            "Older held-out set (潮見台市), shipped model",
        ),
    ):
        if posts.exists():
            print()
            part = load_part(posts, context, writer=posts.parent.name)
            r, c = on_set(part, model)
            print(
                table(
                    f"{title}: {r.clean + sum(1 for e in part.examples if not e.clean)} posts",
                    r,
                    c,
                    POST_CATEGORIES,
                )
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m koshiki.checks.learned", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train the post model on the writers' corpora")
    t.add_argument("--corpus", default="tests/checks/corpus")
    t.add_argument("--out", default=str(DEFAULT_MODEL_PATH))
    e = sub.add_parser("eval", help="leave-one-writer-out, then the blind set")
    e.add_argument("--corpus", default="tests/checks/corpus")
    e.add_argument("--model", default=str(DEFAULT_MODEL_PATH))
    e.add_argument(
        "--writers-only",
        action="store_true",
        help="leave-one-writer-out only (while developing: no blind look)",
    )
    args = parser.parse_args(argv)
    return train(args) if args.command == "train" else evaluate(args)


if __name__ == "__main__":
    sys.exit(main())
