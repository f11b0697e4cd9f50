"""Previews and imports of large files, run by the background worker with a progress bar.

A file of more than ``IMPORT_BACKGROUND_ROWS`` rows (default 2,000; :func:`estimate_rows`) is
not checked in the request: :func:`start` records an :class:`~spreadsheets.models.ImportJob`
and queues :func:`run_import_job` on the task queue (django-tasks, the worker of the PDF
reports: ``python manage.py db_worker``). The job page polls :func:`progress` (rows read,
checked and written, kept in a small file beside the upload, since the import's own
transaction hides its writes until it ends) and shows the preview, or the saved batch, once
done; the officer can leave and come back to it.
"""

import io
import json
import re
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import uploads
from .cells import FileError
from .models import ImportJob
from .services import import_file

_ROW = re.compile(rb"<(?:\w+:)?row[\s>]")
_ODS_ROW = b"<table:table-row"


def estimate_rows(content: bytes, ext: str) -> int:
    """About how many rows a file holds, cheaply: a CSV's lines, an .xlsx's ``<row>``
    elements, an .ods's table rows; an .xls (a binary format) by its size (about 50 bytes a
    row). Never parses cells."""
    if ext == "csv":
        return content.count(b"\n")
    if ext == "xls":
        return len(content) // 50
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = [
            n
            for n in archive.namelist()
            if (ext == "xlsx" and n.startswith("xl/worksheets/")) or n == "content.xml"
        ]
        counted = 0  # a row tag split between two chunks is missed: an estimate
        for name in names:
            with archive.open(name) as member:
                while chunk := member.read(1 << 20):
                    counted += len(_ROW.findall(chunk)) if ext == "xlsx" else chunk.count(_ODS_ROW)
        return counted
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0  # read in the request: the reader says what is wrong with it


def in_background(content: bytes, ext: str) -> bool:
    """Whether a file is previewed and imported by the background worker."""
    return estimate_rows(content, ext) > settings.IMPORT_BACKGROUND_ROWS


def _progress_name(job) -> str:
    return f"{uploads.FOLDER}/{job.user_id}/job-{job.pk}.json"


def _write_progress(job, **counts) -> None:
    name = _progress_name(job)
    default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps(counts).encode("utf-8")))


def progress(job) -> dict:
    """``{"read": rows, "checked": rows, "written": records}`` of a running job (zeros before
    it starts)."""
    try:
        with default_storage.open(_progress_name(job)) as f:
            return json.loads(f.read())
    except (OSError, ValueError):
        return {"read": 0, "checked": 0, "written": 0}


def start(*, user, kind: str, upload: str, file_name: str, options: dict, mode: str) -> ImportJob:
    """Record a job and queue it (after the caller's transaction commits)."""
    job = ImportJob.objects.create(
        user=user, kind=kind, upload=upload, file_name=file_name, options=options, mode=mode
    )
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def report_data(report) -> dict:
    """The preview's data of an :class:`~spreadsheets.services.ImportReport`, as JSON-ready
    dicts with the attribute names the preview template reads."""
    errors = [vars(e) for e in report.errors]
    rows = [
        {
            "row": r.row,
            "outcome": r.outcome,
            "shown": r.shown,
            "notes": r.notes,
            "warnings": r.warnings,
        }
        for r in report.rows
    ]
    return {
        "kind": report.kind,
        "headers": report.headers,
        "rows": rows,
        "errors": errors,
        "counts": report.counts,
        "noted_rows": [r for r in rows if r["notes"]],
        "warned_rows": [r for r in rows if r["warnings"]],
        "ok": report.ok,
        "imported": report.imported,
        "unread": report.unread,
        "encoding": report.encoding,
        "examples": report.examples,
        "header_row": report.header_row,
        "skipped": report.skipped,
        "footer": report.footer,
        "layouts": [
            {"how": s.how, "written": s.written, "labels": list(s.labels), "default": s.default}
            for s in report.layouts
        ],
        "month_first": [vars(m) for m in report.month_first],
        "day_first": report.day_first,
        "renamed": report.renamed,
        "missing": report.missing,
        "headers_key": report.headers_key,
    }


@task()
def run_import_job(job_id: int) -> int:
    """Run the preview or the import of :class:`ImportJob` ``job_id``; returns its id."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job.pk
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    counts = {"read": 0, "checked": 0, "written": 0}

    def report_progress(stage, done):
        counts[stage] = done
        if stage == "read":
            counts["checked"] = 0
        _write_progress(job, **counts)

    try:
        content = uploads.storage(job.user, job.upload).read()
        report = import_file(
            kind=job.kind,
            content=content,
            filename=job.file_name,
            user=job.user,
            dry_run=job.mode == ImportJob.Mode.PREVIEW,
            day_first=job.options.get("d", []),
            renamed=job.options.get("m", {}),
            upload=f"{job.user_id}/{job.upload}" if job.mode == ImportJob.Mode.IMPORT else None,
            progress=report_progress,
        )
    except (OSError, FileError) as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return job.pk
    except Exception as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            error=type(error).__name__,
            finished_at=timezone.now(),
        )
        raise
    if report.imported:
        uploads.storage(job.user, job.upload).remove()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        result=report_data(report),
        batch=report.batch,
        finished_at=timezone.now(),
    )
    return job.pk
