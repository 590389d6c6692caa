#!/usr/bin/env python
"""Grow the database to benchmark scale by recombining the real records already in it.

    DATABASE_URL=postgres://…/zj_bench python bench/scale.py --articles 10000 --figures 100000
    DATABASE_URL=postgres://…/zj_bench python bench/scale.py --articles 100000 --figures 1000000

The real records (ingested from the corpus, or loaded from data/release) are the
templates: each generated article takes a real article's title, text and kind
(for a release, which has no article text, a text made of its figures' quotes),
real regions and initiatives and themes, and a real article's figures with their
quotes and offsets (so quotes stay inside the body), with values drawn around
the real ones (log-normal, σ=0.5) so the value distributions keep their shape.
90 % are published, dates spread over 2015–2025.

Search documents are copied from the template article's (the text is the same),
so search works on generated rows without re-segmenting them.

Generated rows hang on sources named ``bench-generated-*``; ``--replace`` removes
them first (without touching real rows), so the script can be re-run.
"""

import argparse
import hashlib
import math
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Article, ArticleRegion, Figure, Initiative, Source, Theme  # noqa: E402
from regions.models import Region  # noqa: E402

PREFIX = "bench-generated-"
CHUNK = 1000
FIGURE_FIELDS = ("label", "value", "value_max", "unit", "qualifier", "qualifier_kind", "normalized_value",
                 "normalized_value_max", "base_unit", "year", "period", "is_target", "quote", "start", "end",
                 "metric_id")
ARTICLE_FIELDS = ("id", "title", "subtitle", "summary", "authors", "column", "kind", "body")


def search_documents():
    """Template articles' search documents, to copy onto generated ones (same text, same tokens)."""
    try:
        from search.indexing import write_documents
        from search.models import ArticleDocument
    except ImportError:
        return None, None, {}
    fields = ["tokens_a", "tokens_b", "tokens_c", "tokens_d", "plain_text", "vector"]
    docs = {d["article_id"]: d for d in ArticleDocument.objects.values("article_id", *fields)}
    try:  # the word scores that pick search candidates (PostgreSQL), copied with the document
        from search.models import TermImpact

        impacts = defaultdict(dict)
        for article_id, term, impact in TermImpact.objects.values_list("article_id", "term", "impact"):
            impacts[article_id][term] = impact
    except ImportError:
        impacts = {}
    for article_id, doc in docs.items():
        doc["impacts"] = impacts.get(article_id, {})
    return ArticleDocument, write_documents, docs


def copy_document(document_model, article, template: dict):
    document = document_model(article=article, **{k: v for k, v in template.items() if k not in ("article_id", "impacts")})
    document.impacts = template["impacts"]
    return document


def generated_sources():
    return Source.objects.filter(file_name__startswith=PREFIX)


def remove_generated() -> int:
    """Delete earlier generated rows with plain DELETEs (no per-row signals or history)."""
    articles = Article.objects.filter(source__in=generated_sources())
    n = articles.count()
    with transaction.atomic():
        for qs in (Figure.objects.filter(article__in=articles),
                   ArticleRegion.objects.filter(article__in=articles),
                   Article.themes.through.objects.filter(article__in=articles),
                   Initiative.articles.through.objects.filter(article__in=articles)):
            qs._raw_delete(qs.db)
        try:
            from search.indexing import delete_fts_rows
            from search.models import ArticleDocument

            ids = list(articles.values_list("pk", flat=True))
            docs = ArticleDocument.objects.filter(article__in=articles)
            docs._raw_delete(docs.db)
            delete_fts_rows(ids)
        except ImportError:
            pass
        articles._raw_delete(articles.db)
        generated_sources()._raw_delete(connection.alias)
    return n


def scaled(value: Decimal | None, factor: float) -> Decimal | None:
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    result = (value * Decimal(str(factor))).quantize(Decimal(1).scaleb(-min(places, 6)))
    return max(result, Decimal(0)) if value >= 0 else result


def text_of_quotes(figures: list[dict]) -> str:
    """A body made of the figures' quotes, with each figure's offsets moved onto its quote."""
    body, placed = "", {}
    for figure in figures:
        if figure["quote"] not in placed:
            placed[figure["quote"]] = len(body)
            body += figure["quote"] + "。"
        figure["start"] = placed[figure["quote"]]
        figure["end"] = figure["start"] + len(figure["quote"])
    return body


def drop_gin_indexes() -> list[str]:
    """Drop the search tables' GIN indexes and return how to recreate them (PostgreSQL only).

    Keeping a GIN index current row by row is what makes a bulk load slow (the grams index
    tripled the 100k build); one build after the copy costs a fraction of that.
    """
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                       "AND tablename LIKE 'search\\_%%' AND indexdef ILIKE '%% USING gin %%'")
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _, definition in indexes]


def recreate_indexes(definitions: list[str], say=print) -> None:
    with connection.cursor() as cursor:
        for definition in definitions:
            started = time.monotonic()
            cursor.execute(definition)
            say(f"  rebuilt {definition.split(' ON ')[0].split()[-1]} in {time.monotonic() - started:.0f} s")


def generate(n_articles: int, n_figures: int, seed: int, say=print) -> None:
    gin_indexes = drop_gin_indexes()
    try:
        fill(n_articles, n_figures, seed, say)
    finally:
        recreate_indexes(gin_indexes, say)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def fill(n_articles: int, n_figures: int, seed: int, say=print) -> None:
    rng = random.Random(seed)
    real = Article.objects.exclude(source__file_name__startswith=PREFIX)
    templates = list(real.values(*ARTICLE_FIELDS))
    figures_of = defaultdict(list)
    for row in Figure.objects.filter(article__in=real).order_by("article_id", "start").values(
            "article_id", *FIGURE_FIELDS):
        figures_of[row.pop("article_id")].append(row)
    for template in templates:
        if not template["body"]:  # a release has no bodies: stand the quotes in a text of their own
            template["body"] = text_of_quotes(figures_of[template["id"]])
    with_figures = [t for t in templates if figures_of[t["id"]]]
    if not with_figures:
        sys.exit("No real articles with figures to recombine: ingest the corpus or `manage.py load_cases` first.")
    zhejiang = Region.objects.filter(code__startswith="33", level__in=["county", "town", "village"])
    region_ids = list((zhejiang if zhejiang.exists() else Region.objects.all()).values_list("id", flat=True))
    initiative_ids = list(Initiative.objects.values_list("id", flat=True))
    theme_ids = list(Theme.objects.values_list("id", flat=True))
    document_model, write_documents, template_docs = search_documents()
    reviewer, _ = get_user_model().objects.get_or_create(username="bench-reviewer", defaults={"is_active": False})
    say(f"templates: {len(with_figures)} articles with {sum(map(len, figures_of.values()))} figures; "
        f"pools: {len(region_ids)} regions, {len(initiative_ids)} initiatives, {len(theme_ids)} themes")

    per_article = [n_figures // n_articles + (1 if i < n_figures % n_articles else 0) for i in range(n_articles)]
    rng.shuffle(per_article)
    started, now = time.monotonic(), timezone.now()
    for chunk_start in range(0, n_articles, CHUNK):
        chunk = range(chunk_start, min(chunk_start + CHUNK, n_articles))
        with transaction.atomic():
            digest = hashlib.sha256(f"{PREFIX}{seed}:{chunk_start}".encode()).hexdigest()
            source = Source.objects.create(file_name=f"{PREFIX}{seed}-{chunk_start // CHUNK:05d}.txt",
                                           sha256=digest, encoding="utf-8")
            picks = [rng.choice(with_figures) for _ in chunk]
            articles = []
            for position, template in enumerate(picks, start=1):
                published = rng.random() < 0.9
                articles.append(Article(
                    source=source, position=position, title=template["title"], subtitle=template["subtitle"],
                    summary=template["summary"], authors=template["authors"], column=template["column"],
                    kind=template["kind"], body=template["body"],
                    published_on=date(2015, 1, 1) + timedelta(days=rng.randrange(11 * 365)),
                    status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
                    reviewed_by=reviewer if published else None, reviewed_at=now if published else None,
                ))
            Article.objects.bulk_create(articles)
            links, themes, initiatives, figures = [], [], [], []
            for article, template, count in zip(articles, picks, (per_article[i] for i in chunk), strict=True):
                regions = rng.sample(region_ids, k=min(len(region_ids), rng.randint(1, 3)))
                links += [ArticleRegion(article=article, region_id=r, role="main" if j == 0 else "mentioned")
                          for j, r in enumerate(regions)]
                themes += [Article.themes.through(article_id=article.pk, theme_id=t)
                           for t in rng.sample(theme_ids, k=min(len(theme_ids), rng.randint(1, 2)))]
                if initiative_ids:
                    initiatives.append(Initiative.articles.through(article_id=article.pk,
                                                                   initiative_id=rng.choice(initiative_ids)))
                sources = figures_of[template["id"]]
                for k in range(count):
                    row = dict(sources[k % len(sources)])
                    factor = math.exp(rng.gauss(0, 0.5))
                    for name in ("value", "value_max", "normalized_value", "normalized_value_max"):
                        row[name] = scaled(row[name], factor)
                    if row["value_max"] is not None and row["value_max"] < row["value"]:
                        row["value_max"] = row["value"]
                    if row["normalized_value_max"] is not None and row["normalized_value"] is not None:
                        row["normalized_value_max"] = max(row["normalized_value_max"], row["normalized_value"])
                    figures.append(Figure(article=article, region_id=regions[0] if regions else None, **row))
            ArticleRegion.objects.bulk_create(links, batch_size=5000)
            Article.themes.through.objects.bulk_create(themes, batch_size=5000)
            Initiative.articles.through.objects.bulk_create(initiatives, batch_size=5000)
            Figure.objects.bulk_create(figures, batch_size=5000)
            if document_model is not None:  # the template's index entry fits the copy's text
                write_documents([copy_document(document_model, a, template_docs[t["id"]])
                                 for a, t in zip(articles, picks, strict=True) if t["id"] in template_docs])
        done = chunk.stop
        if done % (10 * CHUNK) == 0 or done == n_articles:
            rate = done / (time.monotonic() - started)
            say(f"  {done:>7} articles ({rate:,.0f}/s)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--figures", type=int, default=None, help="total figures (default: 10 per article)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replace", action="store_true", help="remove earlier generated rows first")
    args = parser.parse_args(argv)
    n_figures = args.figures if args.figures is not None else 10 * args.articles
    if generated_sources().exists():
        if not args.replace:
            sys.exit("Generated rows exist already; use --replace to regenerate.")
        print(f"removed {remove_generated()} generated articles")
    started = time.monotonic()
    generate(args.articles, n_figures, args.seed)
    print(f"generated {args.articles} articles and {n_figures} figures in {time.monotonic() - started:.1f} s "
          f"on {connection.vendor}")
    print(f"database now: {Article.objects.count()} articles, {Figure.objects.count()} figures")


if __name__ == "__main__":
    main()
