"""Create forms that do one thing however often they are posted.

Every form page carries a random token (``{% submission_token %}``, rendered by the shared form
templates); :func:`once` claims it through a database unique constraint in the transaction
that creates the record. A second POST of the same page (a double click, two tabs, a resend)
finds the token claimed and is sent to the page the first one led to, creating nothing; two
POSTs at the same moment meet at the unique index (on PostgreSQL the second waits for the
first to commit). Tokens older than :data:`KEEP` are deleted by ``clean_uploads`` (hourly).
"""

import datetime
import functools
import secrets

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Submission

#: The posted field holding the page's token.
FIELD = "submission"
#: Claimed tokens are kept this long (a page left open longer may be posted twice).
KEEP = datetime.timedelta(days=2)


def new_token() -> str:
    """A fresh token for a form page (32 hex digits)."""
    return secrets.token_hex(16)


def _token(request) -> str:
    token = request.POST.get(FIELD, "")
    return token if 16 <= len(token) <= 64 and token.isalnum() else ""


def _again(request, claimed):
    messages.info(request, _("Biểu mẫu này đã được gửi và lưu trước đó; không lưu lần nữa."))
    return redirect(claimed.url or "home")


def guarded(view):
    """Decorate a create view: a POST whose token was claimed before is sent where its first
    POST went, before the form is validated again (it would now meet its own record, as a
    taken code or a namesake). A POST refused by its form (answered 200) is sent there too
    when its token was claimed while it was being validated: the two POSTs of a double click
    ran at the same moment and the first one saved."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = _token(request) if request.method == "POST" else None
        if token:
            claimed = Submission.objects.filter(token=token).first()
            if claimed is not None:
                return _again(request, claimed)
        response = view(request, *args, **kwargs)
        if token and response.status_code == 200:
            claimed = Submission.objects.filter(token=token).first()
            if claimed is not None:
                return _again(request, claimed)
        return response

    return wrapper


def once(request, create):
    """Run ``create()`` (which saves, adds its message and returns the URL to go to) once per
    posted token, in one transaction with the token's claim, and redirect there. A token
    claimed before redirects to where its first POST went. A POST without a token (an old
    page) runs ``create()`` unguarded."""
    token = _token(request)
    if not token:
        with transaction.atomic():
            return redirect(create())
    claimed = Submission.objects.filter(token=token).first()
    if claimed is not None:
        return _again(request, claimed)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(token=token, user=request.user)
            url = create()
            submission.url = url
            submission.save(update_fields=["url"])
    except IntegrityError:
        claimed = Submission.objects.filter(token=token).first()
        if claimed is None:
            raise
        return _again(request, claimed)
    return redirect(url)


def forget_old(now=None) -> int:
    """Delete tokens claimed more than :data:`KEEP` ago; returns how many."""
    limit = (now or timezone.now()) - KEEP
    return Submission.objects.filter(created_at__lt=limit).delete()[0]
