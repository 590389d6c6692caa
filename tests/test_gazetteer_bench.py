"""Smoke runs of the gazetteer's scripts in bench/ (no timing is asserted; see bench/ for figures)."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def run_script(name, argv, monkeypatch):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "argv", [name, *argv])
    return module.main()


def test_eval_places_reports_targets_met(gazetteer, monkeypatch, capsys):
    assert run_script("eval_places", [], monkeypatch) == 0
    out = capsys.readouterr().out
    assert "held-out set" in out and "targets met" in out


def test_bench_recognizer_compares_with_jieba(gazetteer, monkeypatch, capsys, settings, tmp_path):
    settings.CORPUS_DIR = tmp_path  # no corpus: the labelled sentences are scanned
    assert run_script("bench_recognizer", ["--repeat", "1"], monkeypatch) == 0
    out = capsys.readouterr().out
    assert "jieba.lcut" in out and "ratio find_places / jieba speed" in out


def test_scripts_refuse_an_empty_gazetteer(db, monkeypatch, capsys):
    assert run_script("eval_places", [], monkeypatch) == 2
    assert "load_regions" in capsys.readouterr().err
