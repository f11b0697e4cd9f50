"""Background jobs of the reporting app, on django-tasks (the backport of Django 6's tasks)
with its database backend: the queue is a table, so it needs no extra server and works on
SQLite and PostgreSQL. Run the worker with ``python manage.py db_worker``."""

from django_tasks import task


@task()
def render_report_document(document_id: int) -> int:
    """Render the PDF of ``ReportDocument`` ``document_id`` and keep it; returns its id."""
    from .documents import run_document

    return run_document(document_id).pk
