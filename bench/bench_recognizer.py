"""Scanning speed of regions.recognizer.find_places against jieba.lcut on the same text.

    python bench/bench_recognizer.py [--repeat 3] [FILE ...]

Text: the given files, else the corpus at CORPUS_DIR (read at run time, never committed), else
the labelled sentences. Both are measured in the same run after their one-off set-up (building
the automaton from the database; loading jieba's dictionary), which is reported separately.
The issue's target: find_places at least as fast as jieba segmentation (ratio ≥ 1).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def texts_to_scan(files: list[Path]) -> list[str]:
    from django.conf import settings

    if not files:
        corpus = Path(settings.CORPUS_DIR)
        files = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    if files:
        # As written: PDF text with a line break every ~15 characters (find_places reads names
        # across them; jieba gets exactly the same string).
        return [f.read_text(encoding="utf-8") for f in files]
    from regions.evaluation import load_items

    return ["\n".join(item["text"] for item in load_items())]


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    import jieba

    from regions.models import Region
    from regions.recognizer import find_places, get_gazetteer

    if not Region.objects.filter(level="village").exists():
        print("The gazetteer is not loaded: run `python manage.py load_regions` first.", file=sys.stderr)
        return 2
    texts = texts_to_scan(args.files)
    chars = sum(len(t) for t in texts)

    started = time.perf_counter()
    gazetteer = get_gazetteer()
    build = time.perf_counter() - started
    started = time.perf_counter()
    jieba.initialize()
    jieba_init = time.perf_counter() - started

    scan = best_of(args.repeat, lambda: [find_places(t) for t in texts])
    automaton_only = best_of(args.repeat, lambda: [list(gazetteer.automaton.iter(t)) for t in texts])
    segment = best_of(args.repeat, lambda: [jieba.lcut(t) for t in texts])
    mentions = sum(len(find_places(t)) for t in texts)

    print(f"text: {len(texts)} documents, {chars:,} characters; {mentions} place mentions found")
    print(f"set-up: gazetteer automaton {build:.2f} s ({len(gazetteer.automaton):,} names); jieba {jieba_init:.2f} s")
    print(f"find_places     {scan:8.3f} s  {chars / scan:12,.0f} chars/s")
    print(f"  (automaton    {automaton_only:8.3f} s  {chars / automaton_only:12,.0f} chars/s)")
    print(f"jieba.lcut      {segment:8.3f} s  {chars / segment:12,.0f} chars/s")
    print(f"ratio find_places / jieba speed: {segment / scan:.2f}x (target ≥ 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
