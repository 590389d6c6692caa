"""What the evaluation scripts share: the command line and the label files it names.

``bench/eval_figures.py`` scores the extractors, ``bench/eval_ingest.py`` the whole
pipeline; both read the same hand labels (``../shared/labels`` beside the corpus,
and ``tests/data/eval``).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ratio(a: int, b: int) -> float:
    """A score that is perfect when there was nothing to find."""
    return a / b if b else 1.0


def parse_eval_arguments(description: str, argv=None) -> tuple[argparse.Namespace, list[Path]]:
    """Parse ``[labels...] [--corpus DIR] [-v]``; returns the arguments and the label files that exist."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("labels", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus")))
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    files = args.labels or (sorted((args.corpus.parent / "labels").glob("*.json"))
                            + sorted((ROOT / "tests" / "data" / "eval").glob("*.json"))
                            + sorted((ROOT / "tests" / "data" / "unseen").glob("*.json"))
                            + sorted((ROOT / "tests" / "data" / "heldout").glob("*.json")))
    return args, [f for f in files if f.exists()]
