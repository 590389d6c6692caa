"""python manage.py ingest PATH... [--publication NAME] [--issue LABEL] [--dry-run] [--format text|json]

Turns raw documents into draft case records (see cases/ingest/). Each file is one transaction;
a file that cannot be read (empty, binary, undecodable, missing) is refused with a message and
a non-zero exit status while the other files still go in. With ``--dry-run --format json``
nothing is written and stdout holds one JSON object (the shape is documented in README.md);
the summary then goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.ingest.pipeline import process_bytes, source_json, theme_vocabulary
from cases.ingest.read import RefusedFile
from cases.ingest.save import save_document

MAX_BYTES = 50 * 1024 * 1024


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD，如 2024-12-16：{text}") from error


class Command(BaseCommand):
    help = "导入原始文本（期刊、报纸版面），生成待审核的案例草稿。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="要导入的文件：PDF（含文字层）、DOCX、HTML，或 UTF-8/GB18030 文本")
        parser.add_argument("--publication", metavar="NAME", help="刊物名称，如“今日浙江”；不给则从正文推断")
        parser.add_argument("--issue", metavar="LABEL", help="期号，如“2024年第24期”；不给则从正文推断")
        parser.add_argument("--published-on", metavar="YYYY-MM-DD", type=_date,
                            help="出版日期，用于正文未写明日期的文章；不给则从版面、发布时间或期号推断")
        parser.add_argument("--dry-run", action="store_true", help="只分析、不写入数据库")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text）")

    def handle(self, *args, **options):
        paths = options["paths"]
        started = time.monotonic()
        as_json = options["format"] == "json"
        dry_run = options["dry_run"]
        say = self.stderr.write if as_json else self.stdout.write
        sources, refused, warnings = [], [], []
        themes = theme_vocabulary()
        totals = {"files": 0, "articles": 0, "figures": 0, "regions": 0, "initiatives": 0}
        changes = {"created": 0, "updated": 0, "unchanged": 0, "kept": 0, "removed": 0}
        for path in paths:
            try:
                data = _read(Path(path))
                document = process_bytes(data, str(path), options["publication"], options["issue"], themes=themes,
                                         published_on=options["published_on"])
            except RefusedFile as error:
                refused.append(str(error))
                self.stderr.write(self.style.ERROR(f"拒绝导入 {error}"))
                continue
            totals["files"] += 1
            totals["articles"] += len(document.articles)
            totals["figures"] += sum(len(a.figures) for a in document.articles)
            totals["regions"] += sum(len(a.regions) for a in document.articles)
            totals["initiatives"] += sum(len(a.initiatives) for a in document.articles)
            warnings += [f"{path}: {w}" for w in [*document.decoded.notes, *document.warnings]]
            if dry_run:
                sources.append(source_json(document))
                continue
            report = save_document(document)
            for key, count in report.articles.items():
                changes[key] += count
            if not as_json:
                state = "新来源" if report.source_created else "已导入过（按 SHA-256）"
                detail = "，".join(f"{_LABELS[k]} {v}" for k, v in report.articles.items() if v)
                say(f"{path}: {state}；文章 {detail or '无'}；数字 {report.figures}；新做法 {report.initiatives_created}")
        if as_json:
            self.stdout.write(json.dumps({"sources": sources}, ensure_ascii=False, indent=1))
        elif dry_run:
            for source in sources:
                say(f"{source['file']}（{source['encoding']}）")
                for article in source["articles"]:
                    say(f"  [{article['line_start']}–{article['line_end']}] {article['title']}："
                        f"数字 {len(article['figures'])}，区划 {len(article['regions'])}，做法 {len(article['initiatives'])}")
        for warning in warnings:
            self.stderr.write(self.style.WARNING(warning))
        elapsed = time.monotonic() - started
        summary = (
            f"{'（试运行，未写入）' if dry_run else ''}文件 {totals['files']}，文章 {totals['articles']}，"
            f"数字 {totals['figures']}，区划 {totals['regions']}，做法 {totals['initiatives']}，"
            f"警告 {len(warnings)}，拒绝 {len(refused)}，用时 {elapsed:.1f} 秒"
        )
        if not dry_run:
            summary += "；文章：" + "，".join(f"{_LABELS[k]} {v}" for k, v in changes.items())
        say(summary)
        if refused:
            raise CommandError(f"{len(refused)} 个文件被拒绝导入：" + "；".join(refused))


_LABELS = {"created": "新建", "updated": "更新", "unchanged": "无变化", "kept": "保留编辑修改", "removed": "删除过时草稿"}


def _read(path: Path) -> bytes:
    if not path.exists():
        raise RefusedFile(f"{path}：文件不存在。")
    if not path.is_file():
        raise RefusedFile(f"{path}：不是普通文件。")
    if path.stat().st_size > MAX_BYTES:
        raise RefusedFile(f"{path}：文件超过 {MAX_BYTES // 1024 // 1024} MB，未导入。")
    return path.read_bytes()
