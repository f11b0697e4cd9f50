"""Anonymising members who left (Decree 13/2023/NĐ-CP on the protection of personal data): on
request or after the retention period an administrator sets. Who sees national IDs, and their
mask, are access rules (``accounts.access``)."""

import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import RetentionPolicy
from common.dates import months_before
from spreadsheets import uploads
from spreadsheets.batches import forget_values

from .models import Member

#: The full name written over an anonymised member's name.
ANONYMISED_NAME = "Ẩn danh"


def anonymisation_due(today: datetime.date | None = None):
    """Members who left at least the retention policy's number of months before ``today``
    (default the local date) and are not anonymised yet; none when the policy says "never"."""
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
    phone, birth day and month, note, in the member and in every earlier version of its history, in
    the earlier values import batches keep for their undo and in the admin's action log; and
    delete every stored upload awaiting its confirm (any may name the member). Sex,
    birth year, club, dates, household statuses and loans stay, so the programme's counts at
    dates after the member left stay the same (an age at an earlier date may now be taken
    from 1 January of the birth year).

    Records a history version with the change reason and an audit event. Raises
    ``ValueError`` if the member has not left.
    """
    if member.left_on is None:
        raise ValueError("only a member who left can be anonymised")
    personal = {
        "full_name": ANONYMISED_NAME,
        "national_id": "",
        "phone": "",
        "birth_day": None,
        "birth_month": None,
        "note": "",
    }
    member.history.all().update(**personal)
    forget_values(Member, member.pk, personal)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(member), object_id=str(member.pk)
    ).update(object_repr=ANONYMISED_NAME, change_message="")
    for field, value in personal.items():
        setattr(member, field, value)
    member._history_user = user
    member._change_reason = reason or "Ẩn danh hoá"
    member.save()
    uploads.remove_all()  # a pending upload may name the member
    audit.record(None, audit.ANONYMISE, f"thành viên #{member.pk}", user=user)
