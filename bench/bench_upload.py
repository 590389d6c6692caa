"""A magazine issue as a PDF, from the admin's upload form to drafts: time per page.

    python bench/bench_upload.py [--pages 100] [--gazetteer] [--database-url URL]

Makes a PDF of ``--pages`` pages (one short made-up case report per page, drawn in Noto Sans
CJK, so the text layer is real), posts it to the admin's upload page as an editor would (the
request stores it and enqueues the job) and runs the worker (``db_worker --batch``) until the
drafts are saved. Reported per page, beside what the same run measures for its parts alone:
reading the PDF's text layer (pypdfium2) and the pure pipeline on that text (split, extract,
resolve; nothing written). ``upload→drafts / parts`` says what the job machinery and the
database writes cost on top of the parts.

By default the database is a scratch SQLite file; ``--database-url`` points at another (it
is migrated first, and the bench's rows are left in it). ``--gazetteer`` loads the regions
first so places are resolved as in production (slower to set up).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOWNS = ["七星街道", "城南乡", "硖石街道", "春建乡", "尖山镇", "余村", "大陈镇", "马金镇", "南浔镇", "新市镇"]
PRACTICES = ["网格智治", "共富工坊", "强村公司", "未来社区", "千万工程", "红色物业", "邻里中心"]


def page_lines(rng: random.Random, number: int) -> list[str]:
    """One page: a headline, a byline and a short report with figures, broken every ~17 characters."""
    town = rng.choice(TOWNS)
    practice = rng.choice(PRACTICES)
    sentences = [
        f"{town}推行“{practice}”，全域划分{rng.randint(50, 400)}个网格，常住人口约{rng.randint(2, 30)}万。",
        f"{2020 + number % 4}年，当地农村居民人均可支配收入{rng.randint(30000, 60000)}元，比上年增长{rng.randint(30, 99) / 10}%。",
        f"建成{practice}{rng.randint(3, 40)}家，带动就业超过{rng.randint(100, 2000)}人，村集体经营性收入{rng.randint(50, 900)}万元。",
        "这些做法让群众的获得感、幸福感、安全感不断增强，基层治理更加精细。",
    ]
    text = "".join(sentences)
    lines = [f"{town}：{practice}的探索（第{number}页）", "■ 本刊记者 李明 通讯员 王芳"]  # the byline opens a report
    lines += [text[i:i + 17] for i in range(0, len(text), 17)]
    return lines


def make_issue(pages: int) -> bytes:
    sys.path.insert(0, str(ROOT / "tests"))
    from tests.documents import make_pdf

    rng = random.Random(42)
    return make_pdf([page_lines(rng, n) for n in range(1, pages + 1)])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--gazetteer", action="store_true", help="load the regions first (places resolved)")
    parser.add_argument("--database-url", help="default: a scratch SQLite file")
    args = parser.parse_args(argv)

    scratch = tempfile.TemporaryDirectory(prefix="bench-upload-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from cases.ingest.formats import read_pdf
    from cases.ingest.pipeline import process_text, theme_vocabulary
    from cases.models import Article, Figure, UploadJob

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0, interactive=False)
    if args.gazetteer:
        call_command("load_regions", verbosity=0)
    data = make_issue(args.pages)
    print(f"PDF: {args.pages} pages, {len(data) / 1024:.0f} KiB; database {settings.DATABASES['default']['ENGINE']}")

    started = time.perf_counter()
    decoded = read_pdf(data, "issue.pdf")
    read_seconds = time.perf_counter() - started
    themes = theme_vocabulary()
    started = time.perf_counter()
    document = process_text(decoded, "issue.pdf", with_places=args.gazetteer, themes=themes)
    pipeline_seconds = time.perf_counter() - started

    user = get_user_model().objects.create_superuser(f"bench-{time.time_ns()}", password=None)
    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    response = client.post(reverse("admin:cases_uploadjob_add"),
                           {"files": [SimpleUploadedFile("issue.pdf", data, "application/pdf")], "publication": "今日浙江"})
    upload_seconds = time.perf_counter() - started
    if response.status_code != 302:
        print(f"upload failed: HTTP {response.status_code}", file=sys.stderr)
        return 1
    job = UploadJob.objects.latest("id")
    started = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    worker_seconds = time.perf_counter() - started
    job.refresh_from_db()
    entry = job.files.get()
    if entry.state != "done":
        print(f"job file {entry.state}: {entry.message}", file=sys.stderr)
        return 1
    articles = Article.objects.filter(source=entry.source).count()
    figures = Figure.objects.filter(article__source=entry.source).count()
    paged = Figure.objects.filter(article__source=entry.source, page__isnull=False).count()
    total = upload_seconds + worker_seconds
    parts = read_seconds + pipeline_seconds
    per_page = lambda seconds: 1000 * seconds / args.pages  # noqa: E731
    print(f"drafts: {articles} articles ({len(document.articles)} in the dry run), {figures} figures, "
          f"{paged} with a page number")
    print(f"{'stage':<34}{'s':>8}{'ms/page':>10}")
    for label, seconds in [("read text layer (pypdfium2)", read_seconds), ("pipeline, nothing written", pipeline_seconds),
                           ("upload request (store, enqueue)", upload_seconds),
                           ("worker: read, extract, save", worker_seconds), ("upload→drafts", total)]:
        print(f"{label:<34}{seconds:>8.2f}{per_page(seconds):>10.1f}")
    print(f"upload→drafts / parts (read + pipeline) = {total / parts:.2f}×; pages per second {args.pages / total:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
