"""Object permissions of the officers' workspace (DESIGN §3).

Every view of the workspace loads its object through :func:`scoped_object`, which goes through
the model's ``for_user`` (and so through ``Club.objects.for_user``, the one scoping method):
another province's object answers 404, exactly like an object that does not exist. Writes go
through :func:`writer_required` (a view decorator) or :func:`require_writer`: a steering-board
member's write answers 403. :func:`check_province_write` refuses a write into a province the
user was not assigned.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .scoping import province_ids_for


def can_write(user) -> bool:
    """True for a signed-in, active user who is not a steering-board member (read-only)."""
    return bool(user.is_authenticated and user.is_active and user.can_write)


def require_writer(user):
    """Raise ``PermissionDenied`` (403) unless ``user`` may write programme data."""
    if not can_write(user):
        raise PermissionDenied


def writer_required(view):
    """Decorate a view that writes: anonymous users are sent to log in; read-only users (the
    steering board) get 403 on every method, so no write form is even shown to them."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_writer(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def scoped_object(user, model_or_queryset, **lookup):
    """Return the object matching ``lookup`` among those ``user`` may see, or raise ``Http404``.

    ``model_or_queryset`` is a model whose manager has ``for_user`` (``Club``, ``Member``,
    ``Loan``, ``TrainingSession``, ``MonitoringVisit``...) or a queryset of one.
    """
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    return get_object_or_404(queryset.for_user(user), **lookup)


def writable_province_ids(user):
    """Ids of the new-era provinces ``user`` may write into, or ``None`` for all of them
    (administrators); an empty list for read-only and anonymous users."""
    if not can_write(user):
        return []
    return province_ids_for(user)


def check_province_write(user, province_id) -> bool:
    """True when ``user`` may create or change data in the new-era province ``province_id``."""
    ids = writable_province_ids(user)
    return ids is None or province_id in ids


def form_data(request):
    """``request.POST`` for a POST (even an empty one, so that it is validated), else ``None``."""
    return request.POST if request.method == "POST" else None
