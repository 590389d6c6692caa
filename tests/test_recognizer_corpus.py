"""The recogniser on whole corpus articles, checked against the hand labels in ../shared/labels."""

import json

import pytest

from regions.models import Region
from regions.recognizer import HIGH_CONFIDENCE, find_places

pytestmark = pytest.mark.corpus


def labelled_articles(corpus_dir):
    labels = corpus_dir.parent / "labels"
    if not labels.is_dir():
        pytest.skip(f"no hand labels at {labels}")
    for path in sorted(labels.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        lines = (corpus_dir / doc["seed"]).read_text(encoding="utf-8").splitlines()
        for article in doc["articles"]:
            body = "\n".join(lines[article["line_start"] - 1 : article["line_end"]])
            yield article, body


def test_every_labelled_division_in_an_article_is_found(gazetteer, corpus_dir):
    checked = 0
    for article, body in labelled_articles(corpus_dir):
        squeezed = "".join(body.split())
        found = {m.name for m in find_places(body) if m.code and m.confidence >= HIGH_CONFIDENCE}
        for region in article["regions"]:
            short = Region.objects.filter(name=region["name"]).values_list("short_name", flat=True).first()
            if short is None:
                continue  # not a division (新溪片, 西溪谷, 嘉盛苑小区)
            if region["name"] not in squeezed and (not short or short not in squeezed):
                continue  # labelled from the article's sense; the name is not in its lines
            assert region["name"] in found, (article["title"], region["name"], sorted(found))
            checked += 1
    assert checked >= 30

