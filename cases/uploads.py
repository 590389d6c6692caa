"""Editors' uploads: store the files of a job, and (in the worker) turn each into drafts.

``create_job`` runs in the web request: it checks sizes, stores the bytes and enqueues
``cases.tasks.run_upload_job`` once the request's transaction commits. ``run_job`` runs in
the worker (``manage.py db_worker``): each file is read (cases.ingest.formats), extracted
(cases.ingest.pipeline) and saved (cases.ingest.save) in its own transaction, so a file that
fails leaves nothing behind, and the job's counts are saved after every file for the progress
bar. A file whose bytes were imported before (same SHA-256) is marked "duplicate" and changes
nothing, not even the drafts it produced then.
"""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .ingest.formats import detect_format, read_document
from .ingest.pipeline import process_text, theme_vocabulary
from .ingest.read import RefusedFile, sha256_hex
from .ingest.save import save_document
from .models import Source, UploadFile, UploadJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """One file as the form received it."""

    name: str
    content: bytes


def create_job(uploads: list[Upload], user, publication: str = "", issue_label: str = "",
               published_on: date | None = None) -> UploadJob:
    """Store the files and enqueue their processing (after the current transaction commits).

    Files over ``UPLOAD_MAX_FILE_BYTES`` are kept as refused entries (with the reason), so the
    editor sees in the job what happened to every file they chose.
    """
    job = UploadJob.objects.create(created_by=user, publication=publication.strip()[:100],
                                   issue_label=issue_label.strip()[:50], published_on=published_on,
                                   files_total=len(uploads))
    limit = settings.UPLOAD_MAX_FILE_BYTES
    files = []
    for position, upload in enumerate(uploads, start=1):
        entry = UploadFile(job=job, position=position, name=upload.name[:255], size_bytes=len(upload.content),
                           sha256=sha256_hex(upload.content), file_format=detect_format(upload.content[:1024]))
        if len(upload.content) > limit:
            entry.state = UploadFile.State.REFUSED
            entry.message = (f"{upload.name}：文件大小 {len(upload.content) / 1024 / 1024:.1f} MB，超过上限 "
                             f"{limit // 1024 // 1024} MB，未导入。请拆分后分别上传。")
        else:
            entry.content = upload.content
        files.append(entry)
    UploadFile.objects.bulk_create(files)
    transaction.on_commit(lambda: enqueue(job))
    return job


def enqueue(job: UploadJob) -> None:
    from .tasks import run_upload_job

    result = run_upload_job.enqueue(job.pk)
    UploadJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def retry_failed(job: UploadJob) -> bool:
    """Queue the job's failed files (their bytes are kept) again; False when there are none."""
    failed = job.files.filter(state=UploadFile.State.FAILED).exclude(content=b"")
    if not job.is_finished or not failed.exists():
        return False
    failed.update(state=UploadFile.State.QUEUED)
    UploadJob.objects.filter(pk=job.pk).update(state=UploadJob.State.QUEUED, finished_at=None)
    _log(job, "重新处理出错的文件。")
    transaction.on_commit(lambda: enqueue(job))
    return True


def run_job(job_id: int) -> dict:
    """Process every waiting file of the job; safe to call again (finished files are skipped)."""
    job = UploadJob.objects.get(pk=job_id)
    if job.is_finished:
        return summary(job)
    UploadJob.objects.filter(pk=job.pk).update(state=UploadJob.State.RUNNING, started_at=job.started_at or timezone.now())
    _log(job, f"开始处理 {job.files_total} 个文件。")
    themes = theme_vocabulary()
    try:
        for entry in job.files.order_by("position", "id"):
            if entry.state in (UploadFile.State.QUEUED, UploadFile.State.RUNNING):
                process_file(job, entry, themes)
            elif entry.state == UploadFile.State.REFUSED:
                _log(job, entry.message)
            waiting = job.files.filter(state__in=[UploadFile.State.QUEUED, UploadFile.State.RUNNING]).count()
            UploadJob.objects.filter(pk=job.pk).update(files_done=job.files_total - waiting)
    except Exception:  # the worker itself went wrong (database away): say so in the job
        UploadJob.objects.filter(pk=job.pk).update(state=UploadJob.State.FAILED, finished_at=timezone.now())
        _log(job, "任务中断：\n" + traceback.format_exc(limit=5))
        raise
    job.refresh_from_db()
    counts = {state: job.files.filter(state=state).count() for state in UploadFile.State.values}
    done = ", ".join(f"{UploadFile.State(state).label} {n}" for state, n in counts.items() if n)
    UploadJob.objects.filter(pk=job.pk).update(state=UploadJob.State.DONE, finished_at=timezone.now())
    _log(job, f"完成：{done}。")
    job.refresh_from_db()
    return summary(job)


def process_file(job: UploadJob, entry: UploadFile, themes) -> None:
    """Read, extract and save one file; its outcome is written to ``entry``, never raised."""
    started = time.monotonic()
    entry.state = UploadFile.State.RUNNING
    entry.save(update_fields=["state"])
    data = bytes(entry.content or b"")
    try:
        decoded = read_document(data, entry.name, max_bytes=settings.UPLOAD_MAX_FILE_BYTES)
    except RefusedFile as error:
        _finish(job, entry, UploadFile.State.REFUSED, str(error), started)
        return
    entry.file_format = decoded.file_format
    entry.page_count = len(decoded.page_starts) or None
    existing = Source.objects.filter(sha256=decoded.sha256).first()
    if existing is not None:
        entry.source = existing
        _finish(job, entry, UploadFile.State.DUPLICATE,
                f"{entry.name}：与已导入的来源“{existing}”字节完全相同（SHA-256），未作任何改动。", started)
        return
    try:
        document = process_text(decoded, entry.name, job.publication or None, job.issue_label or None,
                                themes=themes, published_on=job.published_on)
        report = save_document(document)  # one transaction: all of the file or nothing
    except Exception as error:  # a bug on an unseen layout must not stop the other files
        logger.exception("upload %s: %s failed", job.pk, entry.name)
        _finish(job, entry, UploadFile.State.FAILED,
                f"{entry.name}：处理出错，未写入任何内容（{type(error).__name__}: {error}）。", started)
        return
    entry.source = Source.objects.get(sha256=decoded.sha256)
    entry.articles_total = len(document.articles)
    entry.articles_created = report.articles["created"]
    entry.figures_found = report.figures
    pages = f"，{entry.page_count} 页" if entry.page_count else ""
    warnings = "".join(f"\n  {w}" for w in [*decoded.notes, *document.warnings])
    _finish(job, entry, UploadFile.State.DONE,
            f"{entry.name}：{decoded.file_format.upper()}{pages}，文章 {entry.articles_total} 篇（新建 "
            f"{entry.articles_created}），数字 {entry.figures_found} 个。{warnings}", started)
    UploadJob.objects.filter(pk=job.pk).update(articles_created=F("articles_created") + entry.articles_created,
                                               figures_found=F("figures_found") + entry.figures_found)


def _finish(job: UploadJob, entry: UploadFile, state: str, message: str, started: float) -> None:
    entry.state = state
    entry.message = message
    entry.seconds = round(time.monotonic() - started, 3)
    if state in (UploadFile.State.DONE, UploadFile.State.DUPLICATE, UploadFile.State.REFUSED):
        entry.content = b""  # read and recorded: the bytes need not stay in the database
    entry.save()
    _log(job, message)


def _log(job: UploadJob, line: str) -> None:
    stamp = timezone.localtime().strftime("%H:%M:%S")
    job.log = (UploadJob.objects.filter(pk=job.pk).values_list("log", flat=True).first() or "") + f"[{stamp}] {line}\n"
    UploadJob.objects.filter(pk=job.pk).update(log=job.log)


def summary(job: UploadJob) -> dict:
    """What the progress bar shows (also the task's return value)."""
    files = list(job.files.order_by("position", "id").values(
        "id", "name", "state", "message", "source_id", "page_count", "articles_total", "articles_created",
        "figures_found", "file_format"))
    for item in files:
        item["state_label"] = str(UploadFile.State(item["state"]).label)
    return {
        "id": job.pk, "state": job.state, "state_label": str(UploadJob.State(job.state).label),
        "files_total": job.files_total, "files_done": job.files_done, "percent": job.percent,
        "articles_created": job.articles_created, "figures_found": job.figures_found,
        "finished": job.is_finished, "log": job.log, "files": files,
    }
