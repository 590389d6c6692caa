"""The recogniser meets the issue's targets on the labelled set (tests/data/places_labelled.json)."""

from regions.evaluation import evaluate, load_items


def test_precision_recall_and_no_confident_mistakes(gazetteer):
    items = load_items()
    assert sum(len([p for p in i["places"] if p["code"]]) for i in items) >= 150
    scores = evaluate(items)
    assert scores.precision >= 0.97, scores.report()
    assert scores.recall >= 0.95, scores.report()
    assert scores.confidently_wrong == [], scores.report()


def test_the_labelled_set_covers_the_ambiguous_names(gazetteer):
    surfaces = {p["surface"] for i in load_items() for p in i["places"]}
    assert {"七星街道", "城南乡", "凤凰社区", "余村", "余村村", "大余村"} <= surfaces


def test_evaluation_counts_a_wrong_code_as_an_error(gazetteer):
    from regions.recognizer import find_places

    def always_nanhu_qixing(text, context=()):
        return [m.__class__(**{**m.__dict__, "code": "330402015000"}) if m.surface == "七星街道" else m
                for m in find_places(text, context)]

    item = {"text": "七星街道是新昌的发展要地。", "context": [],
            "places": [{"surface": "七星街道", "start": 0, "end": 4, "code": "330624003000"},
                       {"surface": "新昌", "start": 5, "end": 7, "code": "330624000000"}]}
    scores = evaluate([item], find=always_nanhu_qixing)
    assert scores.correct == 1 and scores.precision == 0.5 and scores.recall == 0.5
