"""Background jobs of the reporting app, on django-tasks (the backport of Django 6's tasks)
with its database backend: the queue is a table, so it needs no extra server and works on
SQLite and PostgreSQL. Run the worker with ``python manage.py db_worker``.

:func:`request_document` finds the kept PDF report for the current data or queues the job that
renders it (``reporting.documents.run_document``); the dependency goes one way, from here
to the rendering.
"""

from django.db import IntegrityError, transaction
from django_tasks import task

from clubs.models import Province

from .cache import report_version
from .models import Phase, ReportDocument


@task()
def render_report_document(document_id: int) -> int:
    """Render the PDF of ``ReportDocument`` ``document_id`` and keep it; returns its id."""
    # Imported here, in the worker that renders, so that the web processes, which only enqueue,
    # never load WeasyPrint (about 40 MB and half a second per process).
    from .documents import run_document

    return run_document(document_id).pk


def request_document(*, phase: Phase, as_of, province: Province | None, user=None):
    """Find the document for (phase, province, as_of, the data version of what it shows), or
    create it and enqueue its background job. A failed document is queued again. Returns
    ``(document, enqueued)``; the caller has checked that ``user`` may see the report."""
    version = report_version(province)
    key = {
        "phase": phase,
        "scope": ReportDocument.scope_of(province),
        "as_of": as_of,
        "data_version": version,
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                document, created = ReportDocument.objects.defer("content").get_or_create(
                    **key, defaults={"province": province, "requested_by": user}
                )
        except IntegrityError:  # the same request at the same moment from elsewhere
            return ReportDocument.objects.defer("content").get(**key), False
        if not created and document.status != ReportDocument.Status.FAILED:
            return document, False
        if not created:
            document.status, document.progress, document.step, document.error = (
                ReportDocument.Status.QUEUED,
                0,
                "",
                "",
            )
            document.save(update_fields=["status", "progress", "step", "error"])
        result = render_report_document.enqueue(document.pk)
        ReportDocument.objects.filter(pk=document.pk).update(task_id=str(result.id))
        document.task_id = str(result.id)
    document.refresh_from_db(fields=["status", "progress", "step", "error"])
    return document, True
