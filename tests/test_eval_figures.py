"""The figure extractor against the hand labels, through the evaluation script editors can run."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_eval():
    spec = importlib.util.spec_from_file_location("eval_figures", ROOT / "bench" / "eval_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def label_files(corpus_dir: Path) -> list[Path]:
    files = sorted((corpus_dir.parent / "labels").glob("*.json")) + sorted((ROOT / "tests" / "data" / "eval").glob("*.json"))
    return [f for f in files if (corpus_dir / json.loads(f.read_text("utf-8"))["seed"]).exists()]


@pytest.mark.corpus
def test_figures_meet_the_product_targets(corpus_dir):
    evaluation = load_eval()
    files = label_files(corpus_dir)
    if not files:
        pytest.skip("no label files next to the corpus")
    totals = evaluation.score(files, corpus_dir, verbose=False)
    recall = totals["fig_found"] / totals["fig_labels"]
    precision = totals["fig_correct"] / totals["fig_extracted"]
    assert totals["fig_labels"] >= 100
    assert recall >= 0.95, totals
    assert precision >= 0.90, totals


def test_quotes_are_located_even_with_stray_spaces():
    evaluation = load_eval()
    body = "户籍人口\n辖区内常住人口约15万，户籍人口约2.3万人。"
    assert evaluation.locate(body, "户籍人口约 2.3 万人") == [(17, 27)]
    assert evaluation.locate(body, "户籍人口") == [(0, 4), (17, 21)]
    assert evaluation.locate(body, "不在正文里") == []


def test_values_agree_as_written_or_normalised():
    evaluation = load_eval()
    from cases.ingest.figures import extract_figures

    (figure,) = extract_figures("常住人口约15万人，")
    assert evaluation.values_agree({"value": 15, "unit": "万人"}, figure)
    assert evaluation.values_agree({"value": 150000, "unit": "人"}, figure)
    assert not evaluation.values_agree({"value": 15, "unit": "万元"}, figure)
    assert not evaluation.values_agree({"value": 16, "unit": "万人"}, figure)
