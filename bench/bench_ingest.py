"""Speed and memory of the ingest pipeline, beside plain jieba segmentation of the same text.

    python bench/bench_ingest.py [--corpus DIR] [--megabytes 10] [--places]

Two runs: the whole corpus once, and the corpus repeated until ``--megabytes`` of text have
gone through. Each run times the pure pipeline (read → normalise → split → extract; what
``ingest --dry-run`` does, nothing written) and ``jieba.lcut`` on the same decoded texts, in
the same process, and reports characters per second and their ratio (target, issue 16: the
pipeline as fast as segmentation alone, ratio ≥ 1; it was ≥ 0.5 before). ``--places`` adds place recognition,
which needs the gazetteer in the configured database (read only). Peak memory is the
process's maximum resident set size (``resource``) and the Python heap peak (``tracemalloc``)
of one pass over the corpus.
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import jieba  # noqa: E402

from cases.ingest.pipeline import process_bytes  # noqa: E402
from cases.ingest.read import decode_bytes  # noqa: E402

jieba.setLogLevel(60)


def seed_themes() -> list[tuple[str, list[str]]]:
    """The seeded theme vocabulary, without a database."""
    seed = importlib.import_module("cases.migrations.0002_seed_themes_publications")
    return [(slug, list(keywords) + [name]) for slug, name, keywords, _parent in seed.THEMES]


def run(files: list[tuple[str, bytes]], texts: list[str], themes, places: bool) -> dict:
    started = time.perf_counter()
    articles = figures = 0
    for name, data in files:
        document = process_bytes(data, name, with_places=places, themes=themes)
        articles += len(document.articles)
        figures += sum(len(a.figures) for a in document.articles)
    pipeline_seconds = time.perf_counter() - started
    started = time.perf_counter()
    tokens = sum(len(jieba.lcut(text)) for text in texts)
    jieba_seconds = time.perf_counter() - started
    chars = sum(len(text) for text in texts)
    return {
        "chars": chars, "articles": articles, "figures": figures, "tokens": tokens,
        "pipeline_cps": chars / pipeline_seconds, "jieba_cps": chars / jieba_seconds,
        "pipeline_s": pipeline_seconds, "jieba_s": jieba_seconds,
    }


def report(label: str, r: dict) -> None:
    ratio = r["pipeline_cps"] / r["jieba_cps"]
    print(f"{label}: {r['chars']:,} chars, {r['articles']} articles, {r['figures']} figures")
    print(f"  pipeline {r['pipeline_cps']:,.0f} chars/s ({r['pipeline_s']:.2f} s)   "
          f"jieba.lcut {r['jieba_cps']:,.0f} chars/s ({r['jieba_s']:.2f} s)   ratio {ratio:.2f} (target ≥ 1.0)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus")))
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--places", action="store_true", help="also recognise places (needs load_regions)")
    args = parser.parse_args(argv)
    paths = sorted(args.corpus.glob("*.txt"))
    if not paths:
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    files = [(p.name, p.read_bytes()) for p in paths]
    texts = [decode_bytes(data, name).text for name, data in files]
    themes = seed_themes()

    # warm-up: jieba's dictionary, the figure patterns and (with --places) the gazetteer
    jieba.lcut("七星街道常住人口约15万")
    process_bytes(files[-1][1], files[-1][0], with_places=args.places, themes=themes)

    once = run(files, texts, themes, args.places)
    report("corpus once", once)

    target = int(args.megabytes * 1024 * 1024)
    repeated_files, repeated_texts, size = [], [], 0
    while size < target:
        for (name, data), text in zip(files, texts, strict=True):
            repeated_files.append((name, data))
            repeated_texts.append(text)
            size += len(data)
    many = run(repeated_files, repeated_texts, themes, args.places)
    report(f"corpus repeated to {size / 1024 / 1024:.1f} MB", many)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()  # a separate pass: tracing slows everything down
    for name, data in files:
        process_bytes(data, name, with_places=args.places, themes=themes)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory: {rss:,.0f} MiB resident (whole process, jieba dictionary included); "
          f"Python heap peak over one corpus pass {heap_peak / 1024 / 1024:,.1f} MiB")
    print(f"places: {'recognised (gazetteer in memory)' if args.places else 'not recognised (--places to include)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
