"""Personal data of members: masking the national ID and anonymising members who left
(issue 8; Decree 13/2023/NĐ-CP on personal data protection; DESIGN §5).

Other code calls :func:`mask_national_id` wherever a national ID is shown or exported, and
:func:`is_masked` to recognise a masked value coming back in a re-imported file.
"""

import datetime
import re

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from reporting.compliance import months_before

MASK_CHAR = "•"
#: Digits left visible at the end of a masked national ID.
VISIBLE_DIGITS = 4
#: The full name written over an anonymised member's name.
ANONYMISED_NAME = "Ẩn danh"
#: A masked ID as exported (``••••••••1234``) or as people retype one (``****1234``, ``xxxx``).
_MASKED = re.compile(rf"^[{MASK_CHAR}*xX]{{4,}}[0-9]{{0,{VISIBLE_DIGITS}}}$")


def can_see_national_id(user) -> bool:
    """Only administrators (role "admin" or superuser) see national IDs in full."""
    return bool(user is not None and getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_administrator", False)
    )


def mask_national_id(national_id: str, user=None) -> str:
    """``national_id`` as ``user`` may see it: in full for an administrator, otherwise as
    ``••••••••1234`` (eight dots and the last four digits); ``""`` stays ``""``. With no
    user it is always masked (files, logs)."""
    if not national_id:
        return ""
    if can_see_national_id(user):
        return national_id
    return MASK_CHAR * (len(national_id) - VISIBLE_DIGITS) + national_id[-VISIBLE_DIGITS:]


def is_masked(value: str) -> bool:
    """True for a value produced by :func:`mask_national_id` for a non-administrator, or a mask
    retyped with ``*`` or ``x`` (a re-imported masked value leaves the stored ID unchanged,
    DESIGN §5)."""
    return bool(_MASKED.match(re.sub(r"\s", "", value or "")))


def anonymisation_due(today: datetime.date | None = None):
    """Members who left at least the retention policy's number of months before ``today``
    (default the local date) and are not anonymised yet; none when the policy says "never"."""
    from accounts.models import RetentionPolicy

    from .models import Member

    months = RetentionPolicy.load().anonymise_after_months
    if months is None:
        return Member.objects.none()
    today = today or timezone.localdate()
    return Member.objects.filter(left_on__lte=months_before(today, months)).exclude(
        full_name=ANONYMISED_NAME, national_id="", phone="", birth_month=None
    )


@transaction.atomic
def anonymise(member, *, user=None, reason: str = "") -> None:
    """Overwrite the personal data of ``member`` (who must have left): name, national ID,
    phone, birth day and month, in the member and in every earlier version of its history and
    in the admin's action log. Sex, birth year, club, dates, household statuses and loans stay,
    so the programme's counts at dates after the member left stay the same (an age at an
    earlier date may now be taken from 1 January of the birth year, DESIGN §2).

    Records a history version with the change reason and an audit event. Raises
    ``ValueError`` if the member has not left.
    """
    from accounts import audit

    if member.left_on is None:
        raise ValueError("only a member who left can be anonymised")
    personal = {
        "full_name": ANONYMISED_NAME,
        "national_id": "",
        "phone": "",
        "birth_day": None,
        "birth_month": None,
    }
    member.history.all().update(**personal)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(member), object_id=str(member.pk)
    ).update(object_repr=ANONYMISED_NAME, change_message="")
    for field, value in personal.items():
        setattr(member, field, value)
    member._history_user = user
    member._change_reason = reason or "Ẩn danh hoá"
    member.save()
    audit.record(None, audit.ANONYMISE, f"thành viên #{member.pk}", user=user)
