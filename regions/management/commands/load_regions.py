"""manage.py load_regions: load the committed gazetteer (NBS 2023 codes) into the database."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.loader import DATA_DIR, load_regions
from regions.recognizer import reset_gazetteer


class Command(BaseCommand):
    help = "导入行政区划（全国至县级，浙江至村级）；可重复运行，不会覆盖编辑添加的别名和备注。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help="directory with divisions.tsv.gz, aliases.tsv.gz, sources.json"
        )

    def handle(self, *args, data_dir, **options):
        for name in ("divisions.tsv.gz", "aliases.tsv.gz", "sources.json"):
            if not (data_dir / name).is_file():
                raise CommandError(f"gazetteer file missing: {data_dir / name}")
        started = time.perf_counter()
        try:
            report = load_regions(data_dir)
        except (ValueError, KeyError) as exc:
            raise CommandError(f"gazetteer data is malformed, nothing was written: {exc!r}") from exc
        reset_gazetteer()
        self.stdout.write(self.style.SUCCESS(report.summary()) + f"（{time.perf_counter() - started:.1f} 秒）")
