"""``python manage.py clean_reports``: the PDF report jobs' clean-up, run every few minutes by
cron or a systemd timer (README "Limits and retention"; ``make demo`` runs it once at start).

1. Jobs whose lease passed (``reporting.tasks.reclaim``): a running job whose worker died is
   marked failed and queued again (up to ``REPORT_MAX_ATTEMPTS`` renders); a queued job no
   worker took within ``REPORT_QUEUE_WAIT_SECONDS`` is marked failed.
2. Finished renders older than ``REPORT_KEEP_DAYS`` days are deleted, file and all, except
   issued reports (``ReportDocument.issued_at``), kept for good; a later request renders the
   report again. The queue's own rows of tasks finished that long ago go too.

Prints one line: ``jobs reclaimed: 1; renders deleted: 4; queue rows deleted: 9``.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reporting.models import ReportDocument
from reporting.tasks import reclaim


class Command(BaseCommand):
    help = "End report jobs whose lease passed (queue them again); delete old renders."

    def handle(self, *args, **options):
        at = timezone.now()
        reclaimed = reclaim(at=at)
        before = at - datetime.timedelta(days=settings.REPORT_KEEP_DAYS)
        deleted, _ = ReportDocument.objects.prunable(before).delete()
        queue_rows, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
        self.stdout.write(
            f"jobs reclaimed: {reclaimed}; renders deleted: {deleted}; "
            f"queue rows deleted: {queue_rows}"
        )
