"""Build the shipped release (data/release/) from the corpus on an empty scratch database."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.dataset import DatasetError
from cases.release import build_release


class Command(BaseCommand):
    help = "用本项目的流水线从语料生成随项目发布的数据集：导入、自动核对、发布、导出、检查无大段原文（需空库）"

    def add_arguments(self, parser):
        parser.add_argument("out_dir", type=Path, nargs="?", default=settings.BASE_DIR / "data" / "release")
        parser.add_argument("--corpus", type=Path, default=settings.CORPUS_DIR)
        parser.add_argument("--dataset-version", default=date.today().strftime("%Y.%m.%d"))

    def handle(self, *args, out_dir, corpus, dataset_version, **options):
        try:
            result = build_release(corpus, out_dir, dataset_version, say=self.stdout.write)
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        tables = result["manifest"]["tables"]
        self.stdout.write(self.style.SUCCESS(
            f"已生成发布 {dataset_version} → {out_dir}：文章 {tables['articles']['rows']}，"
            f"数字 {tables['figures']['rows']}，做法 {tables['initiatives']['rows']}，区划 {tables['regions']['rows']}"
        ))
