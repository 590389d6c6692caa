"""Precision and recall of the place recogniser on a labelled set (tests/data/places_labelled.json).

A prediction counts when it names a region (code not None). It is right when a gold place with
the same code overlaps it. Gold places with code null are things that must *not* be resolved
(西湖 the lake, 大余村 the cluster of villages, 凤凰社区 with nothing to say which one): any
resolved prediction there is an error. "Confidently wrong" is an error at or above
recognizer.HIGH_CONFIDENCE — the issue's "no ambiguous name resolved wrongly with high confidence".
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .recognizer import HIGH_CONFIDENCE, find_places

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "places_labelled.json"


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    correct: int = 0
    false_positives: list = field(default_factory=list)
    missed: list = field(default_factory=list)
    confidently_wrong: list = field(default_factory=list)
    unresolved: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    def report(self) -> str:
        lines = [
            f"gold places {self.gold}, resolved predictions {self.predicted}, correct {self.correct}, "
            f"left unresolved {self.unresolved}",
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"confidently wrong {len(self.confidently_wrong)}",
        ]
        lines += [f"  FP  {e}" for e in self.false_positives]
        lines += [f"  FN  {e}" for e in self.missed]
        return "\n".join(lines)


def load_items(path: Path = LABELLED) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["items"]


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def evaluate(items: list[dict], find: Callable = find_places) -> Scores:
    scores = Scores()
    for item in items:
        text, gold = item["text"], item["places"]
        mentions = find(text, item.get("context", ()))
        resolved = [m for m in mentions if m.code]
        scores.unresolved += sum(1 for m in mentions if not m.code)
        scores.gold += sum(1 for g in gold if g["code"])
        scores.predicted += len(resolved)
        matched = set()
        for m in resolved:
            hit = next(
                (i for i, g in enumerate(gold) if g["code"] == m.code and overlaps(m.start, m.end, g["start"], g["end"])),
                None,
            )
            if hit is not None and hit not in matched:
                matched.add(hit)
                scores.correct += 1
                continue
            wrong = f"{text} | {m.surface}@{m.start} → {m.code} {m.name} ({m.confidence:.2f})"
            scores.false_positives.append(wrong)
            if m.confidence >= HIGH_CONFIDENCE:
                scores.confidently_wrong.append(wrong)
        for i, g in enumerate(gold):
            if g["code"] and i not in matched:
                scores.missed.append(f"{text} | {g['surface']}@{g['start']} → {g['code']} {g.get('name', '')}")
    return scores
