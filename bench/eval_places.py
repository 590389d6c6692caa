"""Precision and recall of regions.recognizer on tests/data/places_labelled.json.

    python bench/eval_places.py            # uses the configured database (run load_regions first)

Targets (issue 3): precision ≥ 0.97, recall ≥ 0.95, no ambiguous name resolved wrongly with high
confidence. tests/test_place_evaluation.py asserts the same on a fresh test database.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> int:
    import django

    django.setup()
    from regions.evaluation import evaluate, load_items
    from regions.models import Region

    if not Region.objects.filter(level="village").exists():
        print("The gazetteer is not loaded: run `python manage.py load_regions` first.", file=sys.stderr)
        return 2
    items = load_items()
    for title, subset in (
        ("development set", [i for i in items if i.get("set") != "holdout"]),
        ("held-out set", [i for i in items if i.get("set") == "holdout"]),
    ):
        print(f"== {title}: {len(subset)} sentences")
        print(evaluate(subset).report())
    scores = evaluate(items)
    print(f"== all {len(items)} sentences")
    print(scores.report())
    ok = scores.precision >= 0.97 and scores.recall >= 0.95 and not scores.confidently_wrong
    print("targets met" if ok else "TARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
