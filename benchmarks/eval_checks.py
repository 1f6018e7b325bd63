"""Accuracy of koshiki.checks on the labelled corpus (tests/checks/corpus): `make eval`.

Per category, at post level: precision = posts flagged with the category that carry its label,
recall = labelled posts that are flagged. Span recall: labelled spans overlapped by a finding of
their category. False alarms: clean posts that get any warn or block finding.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from koshiki.checks import CheckContext, check
from koshiki.guidelines import get_profile

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "checks" / "corpus"
TARGETS = {"personal_info": 0.95, "url_shortener": 0.95, "confidential": 0.95, "security_risk": 0.95}
DEFAULT_TARGET = 0.85
MAX_FALSE_ALARM = 0.05


def load_posts(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def label_span(post: dict, label: dict) -> tuple[int, int]:
    text, span = post["text"], label["span"]
    if span == "":
        return len(text), len(text)
    position = -1
    for _ in range(label.get("occurrence", 1)):
        position = text.index(span, position + 1)
    return position, position + len(span)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Spans share a character; an empty span (missing alt text, at the end) matches its own position."""
    if a_start == a_end or b_start == b_end:
        return a_start <= b_start <= a_end if a_start != a_end else b_start <= a_start <= b_end
    return a_start < b_end and b_start < a_end


def evaluate(
    profile_id: str, verbose: bool, posts_file: str = "posts.jsonl", context_file: str = "context.json"
) -> int:
    """Print the table; return the number of targets missed."""
    context_spec = json.loads((CORPUS / context_file).read_text(encoding="utf-8"))
    context = CheckContext.from_profile(
        get_profile(profile_id), own_domains=context_spec["own_domains"], public=context_spec["public"]
    )
    posts = load_posts(CORPUS / posts_file)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    span_hit: Counter[str] = Counter()
    span_total: Counter[str] = Counter()
    clean = clean_alarms = 0
    for post in posts:
        findings = check(
            post["text"],
            context=context,
            platform=post.get("platform", "x"),
            alt_texts=[a.get("alt") for a in post.get("attachments", [])],
            is_correction=bool(post.get("correction_of")),
        )
        labelled = {label["category"] for label in post["labels"]}
        flagged = {f.category for f in findings}
        for category in labelled | flagged:
            if category in labelled and category in flagged:
                tp[category] += 1
            elif category in flagged:
                fp[category] += 1
                if verbose:
                    spans = [post["text"][f.start : f.end] for f in findings if f.category == category]
                    print(f"FP {category:18} {post['id']}: {spans} | {post['text'][:70]!r}", file=sys.stderr)
            else:
                fn[category] += 1
                if verbose:
                    spans = [label["span"] for label in post["labels"] if label["category"] == category]
                    print(f"FN {category:18} {post['id']}: {spans} | {post['text'][:70]!r}", file=sys.stderr)
        for label in post["labels"]:
            start, end = label_span(post, label)
            span_total[label["category"]] += 1
            if any(
                f.category == label["category"] and _overlaps(f.start, f.end, start, end) for f in findings
            ):
                span_hit[label["category"]] += 1
        if not post["labels"]:
            clean += 1
            if any(f.severity in ("warn", "block") for f in findings):
                clean_alarms += 1
                if verbose:
                    print(
                        f"ALARM {post['id']}: "
                        f"{[(f.category, post['text'][f.start : f.end]) for f in findings]}",
                        file=sys.stderr,
                    )

    print(f"koshiki.checks on {posts_file}: {len(posts)} posts ({clean} clean), profile {profile_id}")
    print(f"{'category':20} {'posts':>5} {'precision':>9} {'recall':>7} {'span rec.':>9} {'target':>7}  ok")
    failures = 0
    for category in sorted(set(tp) | set(fn) | set(fp)):
        labelled = tp[category] + fn[category]
        precision = tp[category] / (tp[category] + fp[category]) if tp[category] + fp[category] else 1.0
        recall = tp[category] / labelled if labelled else 1.0
        spans = span_hit[category] / span_total[category] if span_total[category] else 1.0
        target = TARGETS.get(category, DEFAULT_TARGET)
        ok = recall >= target
        failures += not ok
        print(
            f"{category:20} {labelled:5d} {precision:9.2f} {recall:7.2f} {spans:9.2f} {target:7.2f}  "
            f"{'✓' if ok else '✗'}"
        )
    rate = clean_alarms / clean if clean else 0.0
    ok = rate <= MAX_FALSE_ALARM
    failures += not ok
    print(
        f"false alarms on clean posts: {clean_alarms}/{clean} = {rate:.1%} "
        f"(target ≤ {MAX_FALSE_ALARM:.0%}) {'✓' if ok else '✗'}"
    )
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="iwaki")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args()
    failures = evaluate(args.profile, args.verbose)
    if (CORPUS / "heldout.jsonl").exists():
        print()
        print(
            "Held-out set (written independently; its first-look figures are in the README; "
            "shown, not gated):"
        )
        evaluate(args.profile, args.verbose, "heldout.jsonl", "heldout_context.json")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
