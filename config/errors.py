"""The page of an unexpected error (``handler500``).

One error has a cause the user can wait out: on the SQLite demo database a large import holds
the database's write lock until it ends, and another writer gives up after the lock's timeout
(20 s) with ``database is locked``. That gets a "busy, try again" page (503, ``Retry-After``)
instead of the error page; on PostgreSQL, writers wait on rows, not on the database.
"""

import sys

from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader


def server_error(request):
    """500, or 503 with ``Retry-After: 30`` when the database was locked by a long write."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError) and "locked" in str(error):
        page = loader.get_template("503_busy.html").render({}, request)
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render({}, request), status=500)
