"""The pipeline's measured quality on the labelled corpus stays at its targets (bench/eval_ingest.py),
and the speed benchmark runs (a smoke run: speed itself is reported, never asserted)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.corpus, pytest.mark.django_db]


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scores_meet_the_targets_on_the_labelled_corpus(corpus_dir, gazetteer):
    evaluation = load("eval_ingest")
    files = sorted((corpus_dir.parent / "labels").glob("*.json")) + sorted((ROOT / "tests" / "data" / "eval").glob("*.json"))
    assert files, "no label files"
    t = evaluation.score(files, corpus_dir, verbose=False)
    ratio = evaluation.ratio
    assert ratio(t["art_found"], t["art_labels"]) >= 0.90
    assert ratio(t["art_correct"], t["art_produced"]) >= 0.90
    assert ratio(t["fig_found"], t["fig_labels"]) >= 0.95
    assert ratio(t["fig_correct"], t["fig_produced"]) >= 0.90
    assert ratio(t["reg_found"], t["reg_labels"]) >= 0.95
    assert ratio(t["attr_correct"], t["attr_total"]) >= 0.90


def test_speed_benchmark_smoke_run(corpus_dir, capsys):
    bench = load("bench_ingest")
    assert bench.main(["--corpus", str(corpus_dir), "--megabytes", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "chars/s" in out and "ratio" in out and "peak memory" in out


def test_rjieba_cuts_every_corpus_article_as_jieba_does(corpus_dir):
    """The themes' keyword extractor uses rjieba for speed only because its words are jieba's."""
    import jieba
    import rjieba

    from cases.ingest.pipeline import process_bytes

    bodies = [article.body.text for path in sorted(corpus_dir.glob("*.txt"))
              for article in process_bytes(path.read_bytes(), path.name, with_places=False).articles]
    assert len(bodies) > 100
    assert [list(jieba.dt.cut(b, HMM=False)) for b in bodies] == [rjieba.cut(b, hmm=False) for b in bodies]


def test_article_keywords_are_jieba_analyse_keywords_on_every_corpus_article(corpus_dir):
    """article_keywords re-does extract_tags' loop for speed; its keywords (and their order) must not move."""
    from cases.ingest.pipeline import process_bytes
    from cases.ingest.themes import _keyword_extractor, article_keywords

    bodies = [article.body.text for path in sorted(corpus_dir.glob("*.txt"))
              for article in process_bytes(path.read_bytes(), path.name, with_places=False).articles]
    assert len(bodies) > 100
    extractor = _keyword_extractor()
    assert [article_keywords(b) for b in bodies] == [extractor.extract_tags(b, topK=20) for b in bodies]
