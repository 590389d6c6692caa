"""The pipeline on texts unlike the corpus (tests/data/unseen: web pages, a WeChat post, a policy
notice, a speech, a newspaper page, GB18030 files …, written by the project): the record around
the figures meets the product's targets (bench/eval_ingest.py)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_record_meets_the_targets_on_texts_unlike_the_corpus(gazetteer):
    spec = importlib.util.spec_from_file_location("eval_ingest", ROOT / "bench" / "eval_ingest.py")
    evaluation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(evaluation)
    files = sorted((ROOT / "tests" / "data" / "unseen").glob("*.json"))
    assert len(files) >= 10
    t = evaluation.score(files, ROOT, verbose=False)
    ratio = evaluation.ratio
    assert t["art_labels"] >= 12 and t["fig_labels"] >= 90
    assert ratio(t["art_found"], t["art_labels"]) >= 0.9 and ratio(t["art_correct"], t["art_produced"]) >= 0.9
    assert ratio(t["title_correct"], t["title_total"]) >= 0.9
    assert ratio(t["author_correct"], t["author_total"]) >= 0.9
    assert ratio(t["kind_correct"], t["kind_total"]) >= 0.8
    assert ratio(t["date_correct"], t["date_total"]) >= 0.95
    assert ratio(t["pub_correct"], t["pub_total"]) >= 0.9
    assert ratio(t["reg_found"], t["reg_labels"]) >= 0.93
    assert ratio(t["fig_found"], t["fig_labels"]) >= 0.95 and ratio(t["fig_correct"], t["fig_produced"]) >= 0.95
