"""Evaluation by writer: the rules alone, and the rules with the learned tier, per category.

A post counts once per category (post-level precision and recall); a clean post (no label at
all) with any warn or block finding is a false alarm."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from koshiki.guidelines import get_profile

from ..context import CheckContext
from ..engine import PLATFORMS, check
from .corpus import Example, read_jsonl
from .model import LearnedModel
from .training import FoldModels, TrainConfig, calibrate, out_of_fold, score_matrix

TARGETS = {"personal_info": 0.95, "url_shortener": 0.95, "confidential": 0.95, "security_risk": 0.95}
DEFAULT_TARGET = 0.85
MAX_FALSE_ALARM = 0.05
_PLATFORM_STANDIN = {"youtube": "facebook"}  # no YouTube limits in the checker: checked as a long-form post


@dataclass
class CorpusPart:
    """One writer's (or one set's) posts, with the rule checker's findings on them."""

    name: str
    examples: list[Example]
    rule_flags: list[set[str]]  # categories of warn/block rule findings, per post


def load_part(
    posts: Path, context_file: Path, *, profile: str = "iwaki", writer: str | None = None
) -> CorpusPart:
    spec = json.loads(context_file.read_text(encoding="utf-8"))
    context = CheckContext.from_profile(
        get_profile(profile), own_domains=spec.get("own_domains", []), public=spec.get("public", [])
    )
    rows = [json.loads(line) for line in posts.read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = read_jsonl(posts, writer=writer)
    flags = []
    for row in rows:
        platform = _PLATFORM_STANDIN.get(row.get("platform", "x"), row.get("platform", "x"))
        findings = check(
            row["text"],
            context=context,
            platform=platform if platform in PLATFORMS else "facebook",
            alt_texts=[a.get("alt") for a in row.get("attachments", [])],
            is_correction=bool(row.get("correction_of")),
        )
        flags.append({f.category for f in findings if f.severity in ("warn", "block")})
    return CorpusPart(posts.parent.name if writer is None else writer, examples, flags)


def load_writers(root: Path, *, profile: str = "iwaki") -> list[CorpusPart]:
    return [
        load_part(d / "posts.jsonl", d / "context.json", profile=profile)
        for d in sorted(root.iterdir())
        if (d / "posts.jsonl").exists()
    ]


@dataclass
class Tally:
    tp: Counter[str]
    fp: Counter[str]
    fn: Counter[str]
    clean: int = 0
    alarms: int = 0

    @classmethod
    def empty(cls) -> Tally:
        return cls(Counter(), Counter(), Counter())

    def add(self, example: Example, predicted: set[str]) -> None:
        for category in example.categories | predicted:
            if category in example.categories and category in predicted:
                self.tp[category] += 1
            elif category in predicted:
                self.fp[category] += 1
            else:
                self.fn[category] += 1
        if example.clean:
            self.clean += 1
            self.alarms += bool(predicted)

    def precision(self, category: str) -> float:
        flagged = self.tp[category] + self.fp[category]
        return self.tp[category] / flagged if flagged else 1.0

    def recall(self, category: str) -> float:
        labelled = self.tp[category] + self.fn[category]
        return self.tp[category] / labelled if labelled else 1.0

    def labelled(self, category: str) -> int:
        return self.tp[category] + self.fn[category]

    @property
    def alarm_rate(self) -> float:
        return self.alarms / self.clean if self.clean else 0.0


def learned_flags(model: LearnedModel, examples: Sequence[Example]) -> list[set[str]]:
    scores = score_matrix(model, examples)
    hit = scores >= model.thresholds
    return [{c for c, h in zip(model.categories, row, strict=True) if h} for row in hit]


def train_calibrated(
    parts: Sequence[CorpusPart],
    categories: Sequence[str],
    config: TrainConfig,
    *,
    models: FoldModels | None = None,
    excluded: frozenset[str] = frozenset(),
    progress: Callable[[str], None] | None = None,
) -> LearnedModel:
    """The model on every part (but ``excluded`` writers), with thresholds calibrated on
    leave-one-writer-out scores so that the rules and the tier together stay within the
    false-alarm budget on writers not seen."""
    kept = [p for p in parts if p.name not in excluded]
    examples = [e for p in kept for e in p.examples]
    already = [bool(f) for p in kept for f in p.rule_flags]
    if models is None:
        models = FoldModels(examples, categories, config, progress=progress)
    oof = out_of_fold(examples, models, excluded=excluded)
    thresholds = calibrate(
        oof,
        examples,
        categories,
        false_alarm_budget=config.false_alarm_budget,
        min_threshold=config.min_threshold,
        already_flagged=already,
    )
    trained = models.without(excluded)
    return dataclasses.replace(
        trained,
        thresholds=thresholds.astype(np.float32),
        meta={**trained.meta, "writers": sorted({e.writer for e in examples})},
    )


def leave_one_writer_out(
    parts: Sequence[CorpusPart],
    categories: Sequence[str],
    config: TrainConfig,
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[Tally, Tally, dict[str, tuple[Tally, Tally]]]:
    """Rules alone and rules + tier on each writer, the tier trained and calibrated without them."""
    models = FoldModels([e for p in parts for e in p.examples], categories, config, progress=progress)
    rules, combined = Tally.empty(), Tally.empty()
    by_writer: dict[str, tuple[Tally, Tally]] = {}
    for held in parts:
        model = train_calibrated(parts, categories, config, models=models, excluded=frozenset({held.name}))
        r, c = Tally.empty(), Tally.empty()
        for example, rule, learned in zip(
            held.examples, held.rule_flags, learned_flags(model, held.examples), strict=True
        ):
            for tally in (rules, r):
                tally.add(example, rule)
            for tally in (combined, c):
                tally.add(example, rule | learned)
        by_writer[held.name] = (r, c)
    return rules, combined, by_writer


def on_set(part: CorpusPart, model: LearnedModel) -> tuple[Tally, Tally]:
    rules, combined = Tally.empty(), Tally.empty()
    for example, rule, learned in zip(
        part.examples, part.rule_flags, learned_flags(model, part.examples), strict=True
    ):
        rules.add(example, rule)
        combined.add(example, rule | learned)
    return rules, combined


def table(title: str, rules: Tally, combined: Tally, categories: Sequence[str]) -> str:
    """Per category: labelled posts, rule-only precision/recall, rules+tier precision/recall, target."""
    lines = [
        title,
        f"{'category':20} {'posts':>5}   {'rules P':>7} {'R':>5}   "
        f"{'+learned P':>10} {'R':>5}  {'target':>6}",
    ]
    shown = [c for c in categories if combined.labelled(c) or combined.fp[c]]
    extra = sorted((set(combined.tp) | set(combined.fn) | set(combined.fp)) - set(shown))
    for category in [*shown, *extra]:
        target = TARGETS.get(category, DEFAULT_TARGET)
        mark = "✓" if combined.recall(category) >= target else "✗"
        lines.append(
            f"{category:20} {combined.labelled(category):5d}   {rules.precision(category):7.2f} "
            f"{rules.recall(category):5.2f}   {combined.precision(category):10.2f} "
            f"{combined.recall(category):5.2f}"
            f"  {target:6.2f} {mark}"
        )
    open_ended = [c for c in categories if combined.labelled(c)]
    if open_ended:
        macro_r = np.mean([rules.recall(c) for c in open_ended])
        macro_c = np.mean([combined.recall(c) for c in open_ended])
        lines.append(f"{'macro recall (tier categories)':34} {macro_r:5.2f} {'':12} {macro_c:5.2f}")
    mark = "✓" if combined.alarm_rate <= MAX_FALSE_ALARM else "✗"
    lines.append(
        f"false alarms on clean posts: rules {rules.alarms}/{rules.clean} = {rules.alarm_rate:.1%}; "
        f"rules + learned {combined.alarms}/{combined.clean} = {combined.alarm_rate:.1%} "
        f"(target ≤ {MAX_FALSE_ALARM:.0%}) {mark}"
    )
    return "\n".join(lines)
