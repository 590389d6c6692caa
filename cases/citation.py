"""Citation lines for an article and a figure: the original publication, then this dataset.

A researcher who quotes a figure must be able to point at it: the line names the article as
published (GB/T 7714 style: authors. title[J]. publication, issue: pages), then this
database with its dataset version, the record's stable URL and the access date. Article
URLs are stable across releases (``import_dataset`` keeps the release's ids); a figure is
cited at its quote's anchor on the article page (``/articles/<id>/#q-<figure id>``).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

DATASET_TITLE = "浙江基层治理与共同富裕案例库"


@lru_cache(maxsize=1)
def dataset_version() -> str:
    """The version of the release this copy ships (data/release/manifest.json), else ""."""
    try:
        manifest = json.loads((settings.BASE_DIR / "data" / "release" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(manifest.get("dataset_version") or "")


def _accessed(on: date | None) -> str:
    on = on or timezone.localdate()
    return f"{on.year}年{on.month}月{on.day}日"


def _database(url: str, on: date | None) -> str:
    version = dataset_version()
    label = f"{DATASET_TITLE}（数据版本 {version}）" if version else DATASET_TITLE
    return f"{label}[DB/OL]. {url}（访问日期：{_accessed(on)}）."


def source_reference(article) -> str:
    """"张三，李四. 七星街道的网格智治[J]. 今日浙江, 2024年第24期: 3–4." as far as it is known."""
    authors = "，".join(article.authors or [])
    source = article.source if article.source_id else None
    publication = source.publication.name if source is not None and source.publication_id else ""
    where = ", ".join(filter(None, [publication, source.issue_label if source is not None else ""]))
    text = f"{authors}. " if authors else ""
    text += f"{article.title}[J]"
    if where:
        text += f". {where}"
    if article.page:
        text += f": {article.page}"
    return text + "."


def article_citation(article, url: str, on: date | None = None) -> str:
    return f"{source_reference(article)} 转引自：{_database(url, on)}"


def figure_citation(figure, article, url: str, on: date | None = None) -> str:
    """The figure as written with its quote, then the article it is in (``url`` points at the quote)."""
    value = format(figure.value.normalize(), "f") if figure.value is not None else ""
    stated = f"{figure.label} {figure.qualifier}{value}{figure.unit}".strip()
    year = f"（{figure.year}年）" if figure.year else ""
    page = f"，原文第 {figure.page} 页" if figure.page else ""
    return f"{stated}{year}：“{figure.quote}”{page}. 见：{source_reference(article)} 转引自：{_database(url, on)}"
