"""Rebuild the search index of every article (bulk; after loading data or changing the dictionary).

On PostgreSQL a rebuild of many articles drops the documents' GIN index and builds it again at
the end (search.indexing.without_match_index): run it when few people search, as searches read
every document meanwhile."""

import time

from django.core.management.base import BaseCommand

from search import indexing, segment


class Command(BaseCommand):
    help = "重建全文检索索引：重新生成分词词典并为全部文章建立检索文档。Rebuild the full-text search index."

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=1000, help="articles per batch (default 1000)")
        parser.add_argument("--jobs", type=int, default=1, help="worker processes (PostgreSQL; default 1)")

    def handle(self, *args, chunk_size, jobs, **options):
        started = time.perf_counter()
        segment.reset_tokenizer()  # pick up every place, initiative and metric name now in the database
        segment.get_tokenizer()
        verbosity = options.get("verbosity", 1)

        def progress(done, total):
            if verbosity >= 2:
                self.stdout.write(f"  {done}/{total}")

        count = indexing.rebuild_all(chunk_size=chunk_size, progress=progress, jobs=jobs)
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"已索引 {count} 篇文章，用时 {seconds:.1f} 秒 (indexed {count} articles)"))
