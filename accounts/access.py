"""Who may see and change what (the access rules of the programme, in one module).

- Administrators and steering-board members see every province; a provincial officer sees the
  new-era provinces assigned to them (old-era clubs reach them through the old→new province
  map); an anonymous or inactive user sees nothing (:func:`province_ids_for`). Every view,
  export, import, report and admin page scopes through ``Club.objects.for_user``, which uses it.
- The steering board reads everything and writes no programme data (:func:`can_write`,
  :func:`writer_required`, :func:`require_writer`: 403); an officer writes only into their own
  provinces (:func:`check_province_write`).
- Another province's object answers 404, exactly like one that does not exist
  (:func:`scoped_object`).
- National IDs are shown in full only to administrators (:func:`can_see_national_id`), and to
  everyone else, in files and in logs masked as ``••••••••1234`` (:func:`mask_national_id`); a
  masked value coming back in a re-imported file leaves the stored ID unchanged
  (:func:`is_masked`). Decree 13/2023/NĐ-CP on the protection of personal data.
- Phone numbers are shown in full to those who work with the members (officers, for their own
  provinces, and administrators: :func:`can_see_phone`); the steering board, which reads every
  province, and files without a user see them masked as ``•••••••890``
  (:func:`mask_phone`).
"""

import re
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def province_ids_for(user):
    """The ids of the new-era provinces ``user`` may reach, or ``None`` for all of them.

    Administrators and steering-board members: ``None``; an officer: the provinces assigned to
    them (a list of ``Province`` ids, possibly empty, kept on the user object for the request);
    an anonymous or inactive user: ``[]``.
    """
    if not _signed_in(user):
        return []
    if not user.is_officer:
        return None
    cached = getattr(user, "_province_ids", None)
    if cached is None:
        cached = list(user.assignments.values_list("province_id", flat=True))
        user._province_ids = cached
    return cached


def can_write(user) -> bool:
    """True for a signed-in, active user who is not a steering-board member (read-only)."""
    return _signed_in(user) and user.can_write


def require_writer(user) -> None:
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


def writable_province_ids(user):
    """Ids of the new-era provinces ``user`` may write into, or ``None`` for all of them
    (administrators); ``[]`` for read-only and anonymous users."""
    if not can_write(user):
        return []
    return province_ids_for(user)


def check_province_write(user, province_id) -> bool:
    """True when ``user`` may create or change data in the new-era province ``province_id``."""
    ids = writable_province_ids(user)
    return ids is None or province_id in ids


def scoped_object(user, model_or_queryset, **lookup):
    """The object matching ``lookup`` among those ``user`` may see, or ``Http404``.

    ``model_or_queryset`` is a model whose manager has ``for_user`` (``Club``, ``Member``,
    ``Loan``, ``TrainingSession``, ``MonitoringVisit``...) or a queryset of one.
    """
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    return get_object_or_404(queryset.for_user(user), **lookup)


def can_see_national_id(user) -> bool:
    """Only administrators (role "admin" or superuser) see national IDs in full."""
    return _signed_in(user) and bool(getattr(user, "is_administrator", False))


MASK_CHAR = "•"
#: Digits left visible at the end of a masked national ID.
VISIBLE_DIGITS = 4
#: A masked ID as exported (``••••••••1234``) or as people retype one (``****1234``, ``xxxx``).
_MASKED = re.compile(rf"^[{MASK_CHAR}*xX]{{4,}}[0-9]{{0,{VISIBLE_DIGITS}}}$")


def mask_national_id(national_id: str, user=None) -> str:
    """``national_id`` as ``user`` may see it: in full for an administrator, otherwise as
    ``••••••••1234`` (eight dots and the last four digits); ``""`` stays ``""``. With no user it
    is always masked (files, logs, the placeholder of a form)."""
    if not national_id:
        return ""
    if can_see_national_id(user):
        return national_id
    return MASK_CHAR * (len(national_id) - VISIBLE_DIGITS) + national_id[-VISIBLE_DIGITS:]


#: Digits left visible at the end of a masked phone number.
VISIBLE_PHONE_DIGITS = 3


def can_see_phone(user) -> bool:
    """Officers and administrators (the users who write programme data) see phones in full."""
    return can_write(user)


def mask_phone(phone: str, user=None) -> str:
    """``phone`` as ``user`` may see it: in full for :func:`can_see_phone`, otherwise as
    ``•••••••890`` (a dot for each hidden character, the last three digits); ``""`` stays
    ``""``; with no user it is always masked."""
    if not phone:
        return ""
    if can_see_phone(user):
        return phone
    visible = VISIBLE_PHONE_DIGITS if len(phone) > VISIBLE_PHONE_DIGITS else 0
    return MASK_CHAR * (len(phone) - visible) + phone[len(phone) - visible :]


def is_masked(value: str) -> bool:
    """True for a value produced by :func:`mask_national_id` for a non-administrator, or a mask
    retyped with ``*`` or ``x``."""
    return bool(_MASKED.match(re.sub(r"\s", "", value or "")))


def can_review(user) -> bool:
    """The steering board and administrators accept or return provinces' submissions
    (Decision 1336/QĐ-TTg §III: the board follows the provinces' reports); officers do not."""
    return _signed_in(user) and bool(
        getattr(user, "is_administrator", False) or getattr(user, "is_board", False)
    )


def can_submit(user, province) -> bool:
    """True when ``user`` may submit the figures of ``province`` (of either era; an old-era
    province through the new-era province it merged into): its officers and administrators,
    never the read-only board."""
    if not can_write(user):
        return False
    return check_province_write(user, province.successor_id or province.pk)
