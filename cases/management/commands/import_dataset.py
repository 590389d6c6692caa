"""Load a released dataset into an empty database, after checking every checksum."""

from pathlib import Path

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from cases.dataset import DatasetError, import_dataset


class Command(BaseCommand):
    help = "导入数据集发布目录：先核对校验和，在一个事务中写入；默认只导入空库，已有记录从不覆盖"

    def add_arguments(self, parser):
        parser.add_argument("release_dir", type=Path, help="export_dataset 生成的目录 (a release folder)")
        parser.add_argument("--allow-non-empty", action="store_true",
                            help="库中已有案例时也导入：按自然键跳过已有记录，不覆盖 (merge; never overwrites)")
        parser.add_argument("--reviewer", default="release",
                            help="记为已发布文章审核人的账户（不存在则创建为不可登录账户）")

    def handle(self, *args, release_dir, allow_non_empty, reviewer, verbosity, **options):
        progress = self.stdout.write if verbosity > 1 else (lambda message: None)
        try:
            created = import_dataset(release_dir, reviewer_username=reviewer, allow_non_empty=allow_non_empty,
                                     progress=progress)
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{name} +{n}" for name, n in created.items())
        self.stdout.write(self.style.SUCCESS(f"已导入 {release_dir}\n  {rows}"))
        if created["articles"] and "rebuild_search_index" in get_commands():
            # Rows were bulk-inserted, which keeps no index current: build it once now.
            call_command("rebuild_search_index", stdout=self.stdout)
