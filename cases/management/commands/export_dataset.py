"""Write the published dataset (JSON + CSV, codebook, manifest with checksums) to a folder."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.dataset import DatasetError, export_dataset


class Command(BaseCommand):
    help = "导出已发布的数据集（JSON 与 CSV、数据说明、含校验和的清单），不含文章正文"

    def add_arguments(self, parser):
        parser.add_argument("out_dir", type=Path, help="输出目录 (output folder; created if missing)")
        parser.add_argument("--dataset-version", default=date.today().strftime("%Y.%m.%d"),
                            help="数据集版本号，默认今天的日期 (default: today, YYYY.MM.DD)")
        parser.add_argument("--overwrite", action="store_true", help="覆盖目录中已有的发布文件")

    def handle(self, *args, out_dir, dataset_version, overwrite, verbosity, **options):
        progress = self.stdout.write if verbosity > 1 else (lambda message: None)
        try:
            manifest = export_dataset(out_dir, dataset_version, overwrite=overwrite, progress=progress)
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{name} {meta['rows']}" for name, meta in manifest["tables"].items())
        self.stdout.write(self.style.SUCCESS(
            f"已导出数据集 {manifest['dataset_version']}（格式 {manifest['schema_version']}）到 {out_dir}\n  {rows}"
        ))
