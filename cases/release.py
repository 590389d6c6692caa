"""Build the release the project ships (data/release/) from the corpus, with our own pipeline.

``manage.py build_release`` runs on an empty scratch database:

1. ingest the corpus files (cases/ingest/), which makes draft records;
2. check every draft automatically — each figure's quote must stand at its
   offsets in the text and be a short quote (≤ ``MAX_QUOTE``); a figure that
   fails is dropped; an article is published only if it keeps a title and at
   least one figure or one main region;
3. clear any free-text field (summary, subtitle, initiative description) that
   copies a run of the article text, so the release holds facts, figures, names
   and short quotes only;
4. publish through the editorial workflow as the account ``release-check``
   (its history says so), export with ``export_dataset``, and scan the files:
   no string in them may contain a run of ``COPY_WINDOW`` characters of any
   corpus text, or the build fails.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from cases.dataset import TABLES, DatasetError, database_has_cases, export_dataset
from cases.models import Article, Figure, Initiative

MAX_QUOTE = 60
#: A string in the release may not share a run this long with the corpus text (whitespace ignored);
#: longer than any allowed quote.
COPY_WINDOW = 64
RELEASE_ACCOUNT = "release-check"

_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return _SPACE.sub("", text or "")


class CopyIndex:
    """Every ``COPY_WINDOW``-character run of some texts, to find copies of them quickly."""

    def __init__(self, texts, window: int = COPY_WINDOW):
        self.window = window
        self.runs = set()
        for text in texts:
            text = squeeze(text)
            self.runs.update(hash(text[i:i + window]) for i in range(len(text) - window + 1))

    def copies(self, text: str) -> bool:
        text = squeeze(text)
        return any(hash(text[i:i + self.window]) in self.runs for i in range(len(text) - self.window + 1))


def figure_passes(figure: Figure, body: str) -> bool:
    """The quote is short and stands where the offsets say (the editors' first check, automated)."""
    if not figure.quote or len(figure.quote) > MAX_QUOTE:
        return False
    if not (0 <= figure.start < figure.end <= len(body)):
        return False
    at_offsets = body[figure.start:figure.end]
    return figure.quote == at_offsets or squeeze(figure.quote) == squeeze(at_offsets)


def check_and_publish(say=print) -> dict[str, int]:
    """Apply the automatic checks to every draft and publish those that pass."""
    from cases.workflow import apply_transition

    User = get_user_model()
    bot, made = User.objects.get_or_create(username=RELEASE_ACCOUNT,
                                           defaults={"is_superuser": True, "is_staff": False})
    if made:
        bot.set_unusable_password()
        bot.save()
    stats = {"articles": 0, "published": 0, "figures_kept": 0, "figures_dropped": 0, "texts_cleared": 0}
    bodies = Article.objects.values_list("body", flat=True)
    corpus = CopyIndex(bodies)
    for article in Article.objects.prefetch_related("figures", "region_links").order_by("pk"):
        stats["articles"] += 1
        with transaction.atomic():
            bad = [f.pk for f in article.figures.all() if not figure_passes(f, article.body)]
            if bad:
                Figure.objects.filter(pk__in=bad).delete()
            stats["figures_dropped"] += len(bad)
            kept = len(article.figures.all()) - len(bad)
            stats["figures_kept"] += kept
            changed = []
            for name in ("summary", "subtitle"):
                if corpus.copies(getattr(article, name)):
                    setattr(article, name, "")
                    changed.append(name)
            if changed:
                article.save(update_fields=changed)
                stats["texts_cleared"] += len(changed)
            has_main_region = any(link.role == "main" for link in article.region_links.all())
            if article.title.strip() and (kept or has_main_region):
                article.refresh_from_db()
                if article.status != Article.Status.IN_REVIEW:
                    article = apply_transition(article, bot, "send_to_review", seen_version=article.version)
                apply_transition(article, bot, "publish", seen_version=article.version,
                                 reason=f"自动核对：引文与偏移一致（{kept} 个数字），无大段原文")
                stats["published"] += 1
    for initiative in Initiative.objects.exclude(description=""):
        if corpus.copies(initiative.description):
            initiative.description = ""
            initiative.save(update_fields=["description"])
            stats["texts_cleared"] += 1
    return stats


def scan_release(release_dir: Path, corpus: CopyIndex) -> list[str]:
    """Strings in the release's data files that copy a run of corpus text (must be none)."""
    found = []
    for table in TABLES:
        for row in json.loads((Path(release_dir) / f"{table.name}.json").read_text(encoding="utf-8")):
            for column, value in row.items():
                if isinstance(value, str) and len(squeeze(value)) >= corpus.window and corpus.copies(value):
                    found.append(f"{table.name}.{column}: {value[:30]}…")
    return found


def build_release(corpus_dir: Path, out_dir: Path, dataset_version: str, say=print) -> dict:
    if database_has_cases():
        raise DatasetError("build_release 需要一个没有案例的空库（它会发布全部通过核对的文章）(needs an empty database)")
    files = sorted(p for p in Path(corpus_dir).glob("*.txt"))
    if not files:
        raise DatasetError(f"{corpus_dir} 中没有语料文件 (no corpus files)")
    call_command("ingest", *map(str, files))
    stats = check_and_publish(say)
    say(f"核对：文章 {stats['articles']}，发布 {stats['published']}；数字保留 {stats['figures_kept']}，"
        f"剔除 {stats['figures_dropped']}；清空复制原文的文本字段 {stats['texts_cleared']}")
    manifest = export_dataset(out_dir, dataset_version, overwrite=True)
    corpus = CopyIndex(p.read_text(encoding="utf-8", errors="replace") for p in files)
    copied = scan_release(out_dir, corpus)
    if copied:
        raise DatasetError("发布文件中含有大段原文，已中止：\n" + "\n".join(copied[:20]))
    return {"stats": stats, "manifest": manifest}
