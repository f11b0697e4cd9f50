"""Background jobs of the reporting app, on django-tasks (the backport of Django 6's tasks)
with its database backend: the queue is a table, so it needs no extra server and works on
SQLite and PostgreSQL. Run the worker with ``python manage.py db_worker``.

:func:`request_document` finds the kept PDF report for the current data or queues the job that
renders it (``reporting.documents.run_document``); the dependency goes one way, from here
to the rendering.

The database queue keeps no lease of its own (a worker that dies leaves its task "running"
for ever), so the job's state and lease live on the project's own row,
``reporting.models.ReportDocument``: :func:`reclaim` marks a job whose lease passed as failed
and queues it again when its worker died, on request (:func:`request_document`, the status
page) and from ``python manage.py clean_reports``.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from clubs.models import Province

from .cache import report_version
from .models import Phase, ReportDocument

logger = logging.getLogger(__name__)

Status = ReportDocument.Status


class TooManyJobs(Exception):
    """The user already has ``REPORT_JOBS_PER_USER`` report jobs queued or running; the message
    says so in the user's language."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(
            _(
                "Bạn đang có %(n)s báo cáo chờ lập, là số tối đa cùng lúc. Hãy đợi một báo cáo "
                "xong rồi yêu cầu tiếp."
            )
            % {"n": limit}
        )


@task()
def render_report_document(document_id: int) -> int:
    """Render the PDF of ``ReportDocument`` ``document_id`` and keep it; returns its id."""
    # Imported here, in the worker that renders, so that the web processes, which only enqueue,
    # never load WeasyPrint (about 40 MB and half a second per process).
    from .documents import run_document

    return run_document(document_id).pk


def _queue_job(document: ReportDocument, *, at: datetime.datetime, attempts: int) -> None:
    """Put ``document`` back to "queued" with a fresh queue lease and enqueue its task (inside
    the caller's transaction: the database queue's row commits with the document's)."""
    lease = at + datetime.timedelta(seconds=settings.REPORT_QUEUE_WAIT_SECONDS)
    fields = {
        "status": Status.QUEUED,
        "progress": 0,
        "step": "",
        "error": "",
        "failure": "",
        "worker": "",
        "lease_until": lease,
        "attempts": attempts,
        "finished_at": None,
    }
    result = render_report_document.enqueue(document.pk)
    fields["task_id"] = str(result.id)
    ReportDocument.objects.filter(pk=document.pk).update(**fields)
    for name, value in fields.items():
        setattr(document, name, value)


def _end_task(task_id: str, at: datetime.datetime) -> None:
    """Mark the queue's own row of a reclaimed job failed, so that no worker takes it later
    and the queue does not show it running for ever (the database backend's table; another
    backend's id matches no row)."""
    if not task_id:
        return
    DBTaskResult.objects.filter(
        id=task_id, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).update(status=TaskResultStatus.FAILED, finished_at=at)


def _task_ended(task_id: str) -> bool:
    """Whether the queue says the job's task already finished (its worker returned or raised
    without updating the document)."""
    if not task_id:
        return False
    return DBTaskResult.objects.filter(
        id=task_id, status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).exists()


def reclaim(documents=None, *, at: datetime.datetime | None = None) -> int:
    """End every job among ``documents`` (a ``ReportDocument`` queryset; default all) whose
    lease passed before ``at`` (default now) or whose task the queue already finished:

    - a running job (its worker is gone): marked failed (``Failure.WORKER_LOST``) and queued
      again while it has had fewer than ``REPORT_MAX_ATTEMPTS`` renders, else left failed;
    - a queued job no worker took in ``REPORT_QUEUE_WAIT_SECONDS``: marked failed
      (``Failure.NOT_STARTED``), not queued again (no worker is running).

    Each job is taken by a conditional update on its unchanged state, so two reclaims at once
    (or a reclaim and a late worker) end it once. Returns the number of jobs ended."""
    at = at or now()
    queryset = ReportDocument.objects.all() if documents is None else documents
    candidates = queryset.active().defer("content", "docx")
    ended = 0
    for document in candidates:
        expired = document.lease_until is None or document.lease_until < at
        if not expired and not _task_ended(document.task_id):
            continue
        running = document.status == Status.RUNNING
        with transaction.atomic():
            taken = ReportDocument.objects.filter(
                Q(lease_until=document.lease_until)
                if document.lease_until
                else Q(lease_until__isnull=True),
                pk=document.pk,
                status=document.status,
                worker=document.worker,
            ).update(
                status=Status.FAILED,
                failure=ReportDocument.Failure.WORKER_LOST
                if running
                else ReportDocument.Failure.NOT_STARTED,
                error=f"lease passed ({document.status}, worker {document.worker or '-'})",
                worker="",
                lease_until=None,
                finished_at=at,
            )
            if not taken:
                continue
            _end_task(document.task_id, at)
            ended += 1
            again = running and document.attempts < settings.REPORT_MAX_ATTEMPTS
            logger.warning(
                "report %s: lease passed while %s (worker %s, render %s of %s); %s",
                document.pk,
                document.status,
                document.worker or "-",
                document.attempts,
                settings.REPORT_MAX_ATTEMPTS,
                "queued again" if again else "left failed",
            )
            if again:
                _queue_job(document, at=at, attempts=document.attempts)
    return ended


def _check_user_limit(user) -> None:
    """Raise :class:`TooManyJobs` when ``user`` has ``REPORT_JOBS_PER_USER`` jobs queued or
    running. The user's row is locked first (PostgreSQL; on SQLite a write transaction holds
    the database's write lock from its start), so two requests at once count one after the
    other."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    limit = settings.REPORT_JOBS_PER_USER
    if ReportDocument.objects.active().filter(requested_by=user).count() >= limit:
        raise TooManyJobs(limit)


def request_document(
    *,
    phase: Phase,
    as_of,
    province: Province | None,
    user=None,
    language: str = "vi",
    number: str = "",
):
    """Find the document for (phase, province, as_of, the data version of what it shows, its
    language and document number), or create it and enqueue its background job (which renders
    the PDF and the .docx). A stuck job is reclaimed first (:func:`reclaim`);
    a failed document is queued again. Returns ``(document, enqueued)``; the caller has checked
    that ``user`` may see the report. Raises :class:`TooManyJobs` when a new job would exceed
    the user's ``REPORT_JOBS_PER_USER`` (a document already queued by anyone is returned
    without counting)."""
    version = report_version(province)
    key = {
        "phase": phase,
        "scope": ReportDocument.scope_of(province),
        "as_of": as_of,
        "data_version": version,
        "language": language,
        "number": number,
    }
    reclaim(ReportDocument.objects.filter(**key))
    at = now()
    with transaction.atomic():
        document = ReportDocument.objects.defer("content", "docx").filter(**key).first()
        if document is not None and document.status != Status.FAILED:
            return document, False
        if user is not None and user.is_authenticated:
            _check_user_limit(user)
        if document is None:
            try:
                with transaction.atomic():
                    document = ReportDocument.objects.create(
                        **key, province=province, requested_by=user
                    )
            except IntegrityError:  # the same request at the same moment from elsewhere
                return ReportDocument.objects.defer("content", "docx").get(**key), False
        else:  # a retry: a new round of renders, on the asking user's account
            document.requested_by = user
            document.save(update_fields=["requested_by"])
        _queue_job(document, at=at, attempts=0)
    return document, True
