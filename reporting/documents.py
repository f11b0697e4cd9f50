"""Rendering a requested PDF phase report (``reporting.models.ReportDocument``) and keeping the
file: the body of the background job in ``reporting.tasks``."""

import logging

from django.db import IntegrityError, transaction
from django.utils.timezone import now

from .cache import report_version
from .models import ReportDocument
from .pdf import render_report

logger = logging.getLogger(__name__)


def run_document(document_id: int) -> ReportDocument:
    """Render a queued document and keep the PDF. Progress goes to ``progress``/``step`` as the
    render advances; an error marks it failed with the message. A document already ready is
    returned as it is."""
    document = ReportDocument.objects.select_related("phase", "province").get(pk=document_id)
    if document.status == ReportDocument.Status.READY:
        return document
    rows = ReportDocument.objects.filter(pk=document.pk)
    # Stamp the version the render actually reads (a write since the request bumped it).
    version = report_version(document.province)
    if version != document.data_version:
        try:
            with transaction.atomic():
                rows.update(data_version=version)
            document.data_version = version
        except IntegrityError:
            pass
    rows.update(status=ReportDocument.Status.RUNNING, progress=1, step="")

    def progress(percent, step):
        rows.update(progress=percent, step=step)

    try:
        rendered = render_report(
            document.phase,
            document.as_of,
            document.province,
            data_version=document.data_version,
            progress=progress,
        )
    except Exception as error:  # kept on the document for the status page, and logged
        logger.exception("report %s failed", document.pk)
        rows.update(status=ReportDocument.Status.FAILED, error=str(error), finished_at=now())
        document.refresh_from_db()
        return document
    rows.update(
        status=ReportDocument.Status.READY,
        progress=100,
        step="",
        content=rendered.content,
        pages=rendered.pages,
        size=len(rendered.content),
        finished_at=now(),
    )
    document.refresh_from_db()
    return document
