"""Give a fresh database its cases: ingest the corpus if there is one, else load the shipped release.

`make run` calls this after migrating. A database that already holds cases is
left alone, so running it again is harmless.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from cases.dataset import CHECKSUMS, database_has_cases

RELEASE_DIR = settings.BASE_DIR / "data" / "release"


class Command(BaseCommand):
    help = "空库时载入案例：有语料则导入语料（生成草稿），否则载入随项目发布的数据集"

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, default=settings.CORPUS_DIR, help="语料目录（默认 CORPUS_DIR）")
        parser.add_argument("--release", type=Path, default=RELEASE_DIR, help="数据集发布目录（默认 data/release）")

    def handle(self, *args, corpus, release, **options):
        if database_has_cases():
            self.stdout.write("数据库中已有案例，未做改动。(the database already holds cases; nothing loaded)")
            return
        files = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
        files = [f for f in files if f.name.lower() != "readme.txt"]
        if files and "ingest" in get_commands():
            self.stdout.write(f"导入语料 {corpus}（{len(files)} 个文件）… (ingesting the corpus)")
            call_command("ingest", *map(str, files), stdout=self.stdout, stderr=self.stderr)
            return
        if (release / CHECKSUMS).is_file():
            call_command("import_dataset", str(release), stdout=self.stdout, stderr=self.stderr)
            # The release was matched by the rules of its day: apply today's metric and period rules.
            call_command("rematch_figures", stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"已载入随项目发布的数据集 {release} (loaded the shipped release)"))
            return
        self.stdout.write(f"没有找到语料（{corpus}）或数据集（{release}），未载入案例。(no corpus, no release)")
