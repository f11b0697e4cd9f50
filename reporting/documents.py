"""Rendering a requested phase report (``reporting.models.ReportDocument``) and keeping its
files, the PDF and the Word (.docx) one: the body of the background job in ``reporting.tasks``.

The worker claims the job by taking its lease (``worker``, ``lease_until``) and renews it while
it renders: at each progress step and from a heartbeat thread every third of
``REPORT_LEASE_SECONDS``, so a lease passes only when the worker is gone. Every later write is
conditional on the worker still holding the lease: a worker whose job was reclaimed (and maybe
taken by another) stops at its next step and writes nothing.
"""

import datetime
import logging
import os
import socket
import threading
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.timezone import now

from .cache import report_version
from .models import ReportDocument
from .pdf import render_report

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """The job was reclaimed while this worker rendered it (its lease had passed)."""


def _lease_end() -> datetime.datetime:
    return now() + datetime.timedelta(seconds=settings.REPORT_LEASE_SECONDS)


def worker_token() -> str:
    """``"<host>:<pid>:<8 hex>"``, this render's claim on the job (at most 100 characters)."""
    return f"{socket.gethostname()[:70]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def renew_lease(rows) -> bool:
    """Move the lease of the claimed job ``rows`` (the document filtered on its worker token)
    ``REPORT_LEASE_SECONDS`` ahead; ``False`` when the worker no longer holds it."""
    return bool(rows.update(lease_until=_lease_end()))


@contextmanager
def heartbeat(rows, interval: float):
    """Renew the lease of ``rows`` every ``interval`` seconds from a thread of its own (its own
    database connection, closed at the end) while the body runs; a long step of the render
    (WeasyPrint's layout of a large report) keeps the job's lease. Stops when the body ends or
    the lease is lost."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(interval):
                if not renew_lease(rows):
                    return
        except Exception:  # a heartbeat that fails lets the lease pass: the job is reclaimed
            logger.exception("report lease heartbeat failed")
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name="report-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def run_document(document_id: int) -> ReportDocument:
    """Claim and render a queued document and keep the PDF. Progress goes to
    ``progress``/``step`` as the render advances; an error marks it failed
    (``Failure.RENDER``, the text in ``error`` and in the log). A document that is not queued
    (ready, failed for good, or running under another worker's lease) is returned as it is."""
    token = worker_token()
    claimed = ReportDocument.objects.filter(
        pk=document_id, status=ReportDocument.Status.QUEUED
    ).update(
        status=ReportDocument.Status.RUNNING,
        progress=1,
        step="",
        worker=token,
        lease_until=_lease_end(),
        attempts=F("attempts") + 1,
    )
    document = (
        ReportDocument.objects.select_related("phase", "province", "requested_by")
        .defer("content", "docx", "annex")
        .get(pk=document_id)
    )
    if not claimed:
        return document
    rows = ReportDocument.objects.filter(pk=document.pk, worker=token)
    # Stamp the version the render actually reads (a write since the request bumped it).
    version = report_version(document.province)
    if version != document.data_version:
        try:
            with transaction.atomic():
                rows.update(data_version=version)
            document.data_version = version
        except IntegrityError:
            pass

    def progress(percent, step):
        if not rows.update(progress=percent, step=step, lease_until=_lease_end()):
            raise LeaseLost

    try:
        with heartbeat(rows, settings.REPORT_LEASE_SECONDS / 3):
            rendered = render_report(
                document.phase,
                document.as_of,
                document.province,
                data_version=document.data_version,
                progress=progress,
                language=document.language,
                number=document.number,
                docx=True,
                user=document.requested_by,
            )
    except LeaseLost:
        logger.warning("report %s: lease lost while rendering; stopped", document.pk)
        document.refresh_from_db()
        return document
    except Exception as error:  # kept on the document (not shown), and logged
        logger.exception("report %s failed", document.pk)
        rows.update(
            status=ReportDocument.Status.FAILED,
            failure=ReportDocument.Failure.RENDER,
            error=str(error),
            worker="",
            lease_until=None,
            finished_at=now(),
        )
        document.refresh_from_db()
        return document
    except BaseException:  # the worker is stopping: end the lease, so the job is queued again
        rows.update(lease_until=now())
        raise
    saved = rows.update(
        status=ReportDocument.Status.READY,
        progress=100,
        step="",
        content=rendered.content,
        docx=rendered.docx,
        pages=rendered.pages,
        snapshot=rendered.snapshot,
        annex=rendered.annex,
        size=len(rendered.content),
        worker="",
        lease_until=None,
        finished_at=now(),
    )
    if not saved:
        logger.warning("report %s: lease lost at the end of the render; not kept", document.pk)
    document.refresh_from_db()
    return document
