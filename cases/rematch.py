"""Re-apply the metric and period rules to figures already in the database.

Used by the migration ``cases.0006_figure_period``, by ``manage.py rematch_figures`` and after
loading the shipped release (whose figures were matched by older rules). Only machine-made
figures change (not verified, not edited): an editor's choice of metric stands.
"""

from __future__ import annotations

from cases.ingest.metrics import MetricSpec, match_metric
from cases.ingest.periods import period_kind, sentence_before

#: Labels that moved from 产值 (output value) to 营业收入 (revenue): a firm's revenue is no output value.
REVENUE = ("operating-revenue", "营业收入", "money", "元", ["营收", "营业收入", "经营收入", "销售额", "销售收入"])
OUTPUT_VALUE_ADDED = ["工业产值", "规上工业产值"]


def update_metrics(Metric) -> None:  # noqa: N803 - a model class, historical in migrations
    slug, name, quantity, base_unit, labels = REVENUE
    Metric.objects.get_or_create(slug=slug, defaults={"name": name, "quantity": quantity, "base_unit": base_unit,
                                                      "labels": labels})
    output = Metric.objects.filter(slug="output-value").first()
    if output is not None:
        kept = [label for label in output.labels if label not in labels]
        output.labels = kept + [label for label in OUTPUT_VALUE_ADDED if label not in kept]
        output.save(update_fields=["labels"])


def rematch(Figure, Metric, dry_run: bool = False) -> dict[str, int]:  # noqa: N803
    """Re-match machine-made figures' metrics and periods; return how many changed."""
    metrics = list(Metric.objects.all())
    specs = [MetricSpec(m.slug, m.name, m.quantity, m.base_unit, tuple(m.labels or ())) for m in metrics]
    by_slug = {m.slug: m for m in metrics}
    changed = {"metric": 0, "period_kind": 0, "figures": 0}
    figures = (Figure.objects.filter(verified=False, edited_by__isnull=True, origin="extracted")
               .select_related("article").only("label", "base_unit", "metric_id", "period", "period_kind", "year",
                                               "is_target", "quote", "start", "end", "article__body"))
    pending = []
    for figure in figures.iterator(chunk_size=2000):
        slug = match_metric(figure.label, figure.base_unit, specs)
        metric_id = by_slug[slug].pk if slug else None
        body = figure.article.body
        context = sentence_before(body, figure.end) if body and figure.end <= len(body) else figure.quote
        kind = period_kind(context, figure.period, figure.year, figure.is_target)
        fields = []
        if metric_id != figure.metric_id:
            figure.metric_id = metric_id
            fields.append("metric")
        if kind != figure.period_kind:
            figure.period_kind = kind
            fields.append("period_kind")
        if fields:
            for name in fields:
                changed[name] += 1
            changed["figures"] += 1
            pending.append(figure)
    if not dry_run and pending:
        Figure.objects.bulk_update(pending, ["metric", "period_kind"], batch_size=500)
    return changed
