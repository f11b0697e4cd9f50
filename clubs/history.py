"""Who changed what and when, for the history panel of club, member and loan pages.

Reads the records that django-simple-history keeps for each tracked model (the
``HistoryRequestMiddleware`` stores the signed-in user on each change).
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from accounts.access import mask_national_id, mask_phone
from common import formats
from spreadsheets.batches import batch_number

KIND_LABELS = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xoá")}

#: Fields whose values are shown masked to everyone but administrators.
SENSITIVE_FIELDS = {"national_id"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    user: str
    kind: str
    changes: list[Change] = field(default_factory=list)
    #: the change reason ("Nhập từ tệp «…» lúc … bởi … (lô 12)", "Hoàn tác lô 12 …"), or ""
    reason: str = ""
    #: the import batch the reason names (its page), or None
    batch: int | None = None


def _display(model, name, value, show_sensitive, show_phone=True):
    if value in (None, ""):
        return "—"
    if name in SENSITIVE_FIELDS and not show_sensitive:
        return mask_national_id(str(value))  # masked: no user
    if name == "phone" and not show_phone:
        return mask_phone(str(value))  # masked: no user
    fld = model._meta.get_field(name)
    if fld.choices:
        return str(dict(fld.flatchoices).get(value, value))
    if fld.is_relation:
        related = fld.related_model.objects.filter(pk=value).first()
        return str(related) if related else str(value)
    if isinstance(value, datetime.date):
        return formats.day(value)
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, int) and name.endswith("_vnd"):
        return formats.vnd(value)
    return str(value)


def history_entries(obj, *, show_sensitive=False, show_phone=True, limit=30) -> list[HistoryEntry]:
    """The latest ``limit`` changes of ``obj`` (a tracked model instance), newest first, each
    with its date-time, the user's name, the kind, the changed fields (old → new) and the
    change reason (an import names its file and batch). National IDs are masked unless
    ``show_sensitive``, phones unless ``show_phone`` (``accounts.access``)."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    entries = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                label = str(model._meta.get_field(change.field).verbose_name)
                changes.append(
                    Change(
                        label=label[:1].upper() + label[1:],
                        old=_display(model, change.field, change.old, show_sensitive, show_phone),
                        new=_display(model, change.field, change.new, show_sensitive, show_phone),
                    )
                )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=(user.get_full_name() or user.username) if user else str(_("Hệ thống")),
                kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
                changes=changes,
                reason=record.history_change_reason or "",
                batch=batch_number(record.history_change_reason),
            )
        )
    return entries
