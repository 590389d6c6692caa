"""Step 6, the only one that writes: a DocumentResult → Source, Articles, Figures, links.

One transaction per file. A Source is found by the sha256 of its bytes (a new version of a
file is a new Source). Re-ingesting the same bytes refreshes machine-made drafts and leaves
everything an editor has touched as it is: an article with ``edited_by`` set, not in draft or
not machine-made is kept whole; figures that are verified, edited or entered by an editor
are kept inside refreshed drafts. The returned :class:`SaveReport` says what changed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Origin, Publication, Source, Theme
from regions.models import Region

from .pipeline import ArticleResult, DocumentResult
from .resolve import initiative_key

ARTICLE_FIELDS = ("title", "subtitle", "authors", "column", "kind", "published_on", "line_start", "line_end", "page", "body",
                  "body_line_map")


@dataclass
class SaveReport:
    source_created: bool = False
    articles: Counter = field(default_factory=Counter)  # created / updated / unchanged / kept / removed
    figures: int = 0
    regions: int = 0
    initiatives_created: int = 0
    initiatives_linked: int = 0


def save_document(document: DocumentResult) -> SaveReport:
    report = SaveReport()
    with transaction.atomic():
        source, report.source_created = _source(document)
        existing = {a.position: a for a in Article.objects.filter(source=source).select_related(None)}
        lookups = _Lookups(document)
        for result in document.articles:
            article = existing.pop(result.position, None)
            if article is not None and not article.is_machine_draft:
                report.articles["kept"] += 1
                continue
            state = _save_article(source, article, result, lookups, report)
            report.articles[state] += 1
        for leftover in existing.values():
            if leftover.is_machine_draft:
                leftover.delete()
                report.articles["removed"] += 1
            else:
                report.articles["kept"] += 1
    return report


def _source(document: DocumentResult) -> tuple[Source, bool]:
    decoded = document.decoded
    publication = None
    if document.publication:
        publication, _ = Publication.objects.get_or_create(
            name=document.publication[:100], defaults={"kind": publication_kind(document.publication)})
    published_on = next((a.published_on for a in document.articles if a.published_on), None)
    source, created = Source.objects.get_or_create(
        sha256=decoded.sha256,
        defaults={
            "file_name": document.file.rsplit("/", 1)[-1][:255], "encoding": decoded.encoding,
            "file_format": decoded.file_format, "page_count": len(decoded.page_starts) or None,
            "size_bytes": decoded.size_bytes, "line_count": document.line_count,
            "issue_label": document.issue_label[:50], "publication": publication, "published_on": published_on,
        },
    )
    if not created:
        changed = False
        if publication and source.publication_id is None:
            source.publication, changed = publication, True
        if document.issue_label and not source.issue_label:
            source.issue_label, changed = document.issue_label[:50], True
        if published_on and not source.published_on:
            source.published_on, changed = published_on, True
        if changed:
            source.save(update_fields=["publication", "issue_label", "published_on"])
    return source, created


def publication_kind(name: str) -> str:
    """"嘉兴日报" is a newspaper, "江山新闻网"/"德清县融媒体中心" a website, "今日浙江" a magazine."""
    if re.search(r"(?:日报|晚报|时报|周报|商报|报)$", name):
        return Publication.Kind.NEWSPAPER
    if re.search(r"(?:网|客户端|发布|融媒体中心|门户网站|公众号|App|APP)$", name):
        return Publication.Kind.WEBSITE
    if re.search(r"(?:院|局|中心|办公室|委员会|政府|部|厅|委|办)$", name):
        return Publication.Kind.OTHER
    return Publication.Kind.MAGAZINE


class _Lookups:
    """Regions, metrics, themes and initiatives the document needs, fetched once per file."""

    def __init__(self, document: DocumentResult):
        codes = {r.code for a in document.articles for r in a.regions}
        codes |= {f.region[0] for a in document.articles for f in a.figures if f.region}
        self.regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        slugs = {f.metric_slug for a in document.articles for f in a.figures if f.metric_slug}
        self.metrics = {m.slug: m for m in Metric.objects.filter(slug__in=slugs)}
        names = {t for a in document.articles for t in a.themes}
        self.themes = {}
        for theme in Theme.objects.all():
            if theme.name in names or theme.slug in names:
                self.themes[theme.name] = self.themes[theme.slug] = theme
        self.initiatives: dict[tuple[str, int | None], Initiative] = {}
        for initiative in Initiative.objects.only("id", "name", "aliases", "region_id"):
            for name in [initiative.name, *(initiative.aliases or [])]:
                self.initiatives.setdefault((initiative_key(name), initiative.region_id), initiative)


def _save_article(source: Source, article: Article | None, result: ArticleResult, lookups: _Lookups,
                  report: SaveReport) -> str:
    values = _article_values(result)
    if article is None:
        article = Article.objects.create(source=source, position=result.position, status=Article.Status.DRAFT,
                                         origin=Origin.EXTRACTED, **values)
        state = "created"
    else:
        changed = [name for name, value in values.items() if getattr(article, name) != value]
        if changed:
            for name in changed:
                setattr(article, name, values[name])
            article.version += 1
            article.save()
        state = "updated" if changed else "unchanged"
    figures_changed = _replace_figures(article, result, lookups, report)
    links_changed = _replace_regions(article, result, lookups, report)
    _link_initiatives(article, result, lookups, report)
    article.themes.set([lookups.themes[t] for t in result.themes if t in lookups.themes])
    if state == "unchanged" and (figures_changed or links_changed):
        state = "updated"
    return state


def _article_values(result: ArticleResult) -> dict:
    draft = result.draft
    return {
        "title": draft.title[:300] or "（无标题）", "subtitle": draft.subtitle[:300], "authors": list(draft.authors),
        "column": draft.column[:50], "kind": draft.kind, "published_on": result.published_on,
        "line_start": draft.line_start, "line_end": draft.line_end, "page": result.pages,
        "body": result.body.text, "body_line_map": result.body.line_map,
    }


def _figure_values(figure, lookups: _Lookups) -> dict:
    region = lookups.regions.get(figure.region[0]) if figure.region else None
    return {
        "label": figure.label[:100], "value": figure.value, "value_max": figure.value_max, "unit": figure.unit[:20],
        "qualifier": figure.qualifier[:10], "qualifier_kind": figure.qualifier_kind,
        "normalized_value": figure.normalized_value, "normalized_value_max": figure.normalized_value_max,
        "base_unit": figure.base_unit[:20], "year": figure.year, "period": figure.period[:40],
        "period_kind": getattr(figure, "period_kind", ""),
        "is_target": figure.is_target, "quote": figure.quote, "start": figure.start, "end": figure.end,
        "page": getattr(figure, "page", None),
        "region": region, "metric": lookups.metrics.get(figure.metric_slug) if figure.metric_slug else None,
    }


def _figure_key(start, end, value) -> tuple:
    return start, end, value.normalize() if value is not None else None


def _replace_figures(article: Article, result: ArticleResult, lookups: _Lookups, report: SaveReport) -> bool:
    """Machine-made figures are replaced; verified or edited ones stay, and block duplicates."""
    current = list(article.figures.all())
    kept = [f for f in current if not f.is_machine_made]
    machine = {_figure_key(f.start, f.end, f.value): f for f in current if f.is_machine_made}
    kept_keys = {_figure_key(f.start, f.end, f.value) for f in kept}
    wanted = {}
    for figure in result.figures:
        key = _figure_key(figure.start, figure.end, figure.value)
        if key not in kept_keys and key not in wanted:
            wanted[key] = _figure_values(figure, lookups)
    changed = False
    for key, figure in machine.items():
        values = wanted.get(key)
        if values is None:
            figure.delete()
            changed = True
        elif any(getattr(figure, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(figure, name, value)
            figure.save()
            changed = True
    new = [Figure(article=article, origin=Origin.EXTRACTED, **values) for key, values in wanted.items() if key not in machine]
    if new:
        Figure.objects.bulk_create(new)
        changed = True
    report.figures += len(wanted)
    return changed


def _replace_regions(article: Article, result: ArticleResult, lookups: _Lookups, report: SaveReport) -> bool:
    wanted = {r.code: r for r in result.regions if r.code in lookups.regions}
    current = {link.region.code: link for link in article.region_links.select_related("region")}
    changed = False
    for code, link in current.items():
        ref = wanted.get(code)
        if ref is None:
            link.delete()
            changed = True
        elif (link.role, link.mentions) != (ref.role, ref.mentions):
            link.role, link.mentions = ref.role, ref.mentions
            link.save(update_fields=["role", "mentions"])
            changed = True
    new = [ArticleRegion(article=article, region=lookups.regions[code], role=ref.role, mentions=ref.mentions)
           for code, ref in wanted.items() if code not in current]
    if new:
        ArticleRegion.objects.bulk_create(new)
        changed = True
    report.regions += len(wanted)
    return changed


def _link_initiatives(article: Article, result: ArticleResult, lookups: _Lookups, report: SaveReport) -> None:
    """Initiatives merge with existing ones by name or alias, in the article's main region."""
    main = next((r for r in result.regions if r.role == "main" and r.code in lookups.regions), None)
    region = lookups.regions[main.code] if main else None
    region_id = region.pk if region else None
    linked = []
    for name in result.initiatives:
        key = (initiative_key(name), region_id)
        initiative = lookups.initiatives.get(key)
        if initiative is None:
            initiative = Initiative.objects.create(name=name[:200], region=region, origin=Origin.EXTRACTED)
            lookups.initiatives[key] = initiative
            report.initiatives_created += 1
        linked.append(initiative)
    article.initiatives.set(linked)
    report.initiatives_linked += len(linked)
