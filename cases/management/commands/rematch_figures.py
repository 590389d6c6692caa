"""Re-apply the metric and period rules to machine-made figures (verified or edited ones are kept)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.models import Figure, Metric
from cases.rematch import rematch, update_metrics


class Command(BaseCommand):
    help = "按现行规则重新匹配机器抽取的数字的指标与时期类型（已核实或编辑过的不动）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只报告，不写入")

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            if not dry_run:
                update_metrics(Metric)
            changed = rematch(Figure, Metric, dry_run=dry_run)
        self.stdout.write(f"{'将改动' if dry_run else '已改动'} {changed['figures']} 个数字：指标 {changed['metric']}，"
                          f"时期类型 {changed['period_kind']}")
