"""Import batches: their record, who sees them, and their undo.

:func:`open_batch` and :func:`close_batch` record a committed import (called by
:func:`spreadsheets.services.import_file` inside its transaction). :func:`visible_batches` are
the batches a user may see, :func:`may_undo` says who may undo one, :func:`blockers` lists the
later changes that stop an undo and :func:`undo` reverts a whole batch in one transaction.

A batch can be undone only while no later change touched any record it wrote: no later history
version of the record (an edit, a later import, a deletion, another undo), and no record made
later that hangs on a record it created (a loan of a member it created, an assessment added by
hand). Records that the programme derives (kept figures, without history) go with what they
belong to.
"""

import datetime
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import router, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can_write, province_ids_for, writable_province_ids
from common.signals import send_data_changed

from . import bulk
from .models import BatchProvince, BatchRow, ColumnMapping, ImportBatch

#: The length of django-simple-history's ``history_change_reason``.
REASON_LENGTH = 100
#: At most this many characters of a user name in a change reason.
USER_LENGTH = 30
#: At most this many blockers are listed (the rest are counted).
BLOCKER_LIMIT = 50
_CHUNK = 2000

_HANGS_ON = gettext_lazy("được tạo sau và gắn với bản ghi của lô")

KIND_LABELS = {
    "+": gettext_lazy("tạo mới"),
    "~": gettext_lazy("sửa"),
    "-": gettext_lazy("xoá"),
}


def _stamp(moment: datetime.datetime) -> str:
    """``moment`` as ``HH:MM dd/mm/yyyy`` in the project's time zone (Asia/Ho_Chi_Minh)."""
    return dateformat.format(timezone.localtime(moment), "H:i d/m/Y")


def shorten_name(name: str, room: int) -> str:
    """``name`` in at most ``room`` characters: the end of its stem is replaced by ``…`` and
    its extension kept (``danh-sach-thanh-vien-tinh-tuyen-quang.xlsx`` →
    ``danh-sach-thanh-vien-ti….xlsx``)."""
    if len(name) <= room:
        return name
    stem, ext = os.path.splitext(name)
    if len(ext) + 2 > room:
        return name[: max(room - 1, 0)] + "…"
    return stem[: room - len(ext) - 1] + "…" + ext


def batch_reason(file_name: str, moment: datetime.datetime, username: str, number: int) -> str:
    """The change reason of a batch's history records, at most :data:`REASON_LENGTH`
    characters: ``Nhập từ tệp «ds.xlsx» lúc 14:05 01/12/2026 bởi officer (lô 12)`` (the file
    name shortened to fit, the user name to :data:`USER_LENGTH`; no ``bởi`` without a user)."""
    who = f" bởi {username[:USER_LENGTH]}" if username else ""
    head, tail = "Nhập từ tệp «", f"» lúc {_stamp(moment)}{who} (lô {number})"
    return head + shorten_name(file_name, REASON_LENGTH - len(head) - len(tail)) + tail


_NUMBER = re.compile(r"\(lô (\d+)\)$|^Hoàn tác lô (\d+) ")


def batch_number(reason: str) -> int | None:
    """The batch a history record's change reason names (``… (lô 12)`` of an import,
    ``Hoàn tác lô 12 …`` of its undo → 12), or None."""
    found = _NUMBER.search(reason or "")
    return int(found.group(1) or found.group(2)) if found else None


def undo_reason(batch: ImportBatch, username: str) -> str:
    """The change reason of the history records an undo writes (at most
    :data:`REASON_LENGTH` characters): ``Hoàn tác lô 12 (tệp «ds.xlsx») bởi admin``."""
    who = f" bởi {username[:USER_LENGTH]}" if username else ""
    head, tail = f"Hoàn tác lô {batch.pk} (tệp «", f"»){who}"
    return head + shorten_name(batch.file_name, REASON_LENGTH - len(head) - len(tail)) + tail


# --- recording ------------------------------------------------------------------------------


def open_batch(*, kind: str, file_name: str, user, upload=None) -> ImportBatch:
    """Create the record of an import about to be written (in the import's transaction) and
    set its :attr:`~ImportBatch.reason`. ``user`` may be ``None`` (the command line).
    ``upload`` names the stored upload: raises ``IntegrityError`` when a batch already
    imported it (a second confirm)."""
    batch = ImportBatch.objects.create(
        kind=kind,
        file_name=os.path.basename(file_name)[:255],
        user=user,
        created_at=timezone.now(),
        upload=upload,
    )
    username = user.get_username() if user is not None else ""
    batch.reason = batch_reason(file_name, batch.created_at, username, batch.pk)
    batch.save(update_fields=["reason"])
    return batch


def close_batch(batch: ImportBatch, *, counts: dict, writes, club_ids, province_ids) -> None:
    """Store what the batch did: ``counts`` (``new``, ``updated``, ``unchanged``), ``writes``
    (``[(instance, before)]``, :meth:`SpreadsheetResource.writes`), the clubs and the
    provinces it touched."""
    batch.new_count = counts.get("new", 0)
    batch.updated_count = counts.get("updated", 0)
    batch.unchanged_count = counts.get("unchanged", 0)
    batch.club_ids = sorted(i for i in club_ids if i is not None)
    batch.save(update_fields=["new_count", "updated_count", "unchanged_count", "club_ids"])
    new, updated = str(BatchRow.Action.NEW), str(BatchRow.Action.UPDATED)
    rows = (
        (
            batch.pk,
            instance._meta.label_lower,
            instance.pk,
            new if before is None else updated,
            before,
        )
        for instance, before in writes
    )
    names = ["batch_id", "model", "object_id", "action", "before"]
    bulk.insert_values(BatchRow, names, rows, batch_size=_CHUNK)
    BatchProvince.objects.bulk_create(
        [BatchProvince(batch=batch, province_id=pk) for pk in sorted(province_ids)]
    )


def forget_values(model, object_id: int, values: dict) -> None:
    """Overwrite, in the batches' stored earlier values of the record ``object_id`` of
    ``model``, the fields of ``values`` with those values (personal data erased from a
    record is erased from what an undo would restore too)."""
    label = model._meta.label_lower
    for row in BatchRow.objects.filter(model=label, object_id=object_id, before__isnull=False):
        kept = {k: (values[k] if k in values else v) for k, v in row.before.items()}
        if kept != row.before:
            row.before = kept
            row.save(update_fields=["before"])


# --- who sees and undoes --------------------------------------------------------------------


def visible_batches(user):
    """The batches ``user`` may see, newest first: every batch for administrators and the
    steering board; for an officer, the batches they imported and those that touched a club
    of their provinces; none for an anonymous user."""
    batches = ImportBatch.objects.select_related("user", "undone_by")
    if user is None or not user.is_authenticated:
        return batches.none()
    ids = province_ids_for(user)
    if ids is None:
        return batches
    in_provinces = BatchProvince.objects.filter(province_id__in=ids).values("batch_id")
    return batches.filter(Q(user=user) | Q(pk__in=in_provinces))


def may_undo(user, batch: ImportBatch) -> bool:
    """True when ``user`` may undo ``batch``: an administrator, or the officer who imported it
    while every province it touched is still theirs to write; never for the steering board or
    an undone batch."""
    if batch.is_undone or not can_write(user):
        return False
    if user.is_administrator:
        return True
    if batch.user_id != user.pk:
        return False
    writable = writable_province_ids(user)
    provinces = {p.province_id for p in batch.provinces.all()}
    return writable is None or provinces <= set(writable)


# --- undo -----------------------------------------------------------------------------------


@dataclass
class Blocker:
    """A later change that stops an undo: the record (``what``), who changed it, when
    (``when``, None when not known) and how (``how``)."""

    what: str
    who: str
    when: datetime.datetime | None
    how: str


@dataclass
class UndoResult:
    """What :func:`undo` did: ``done`` when the batch was undone now; ``already`` when it had
    been undone before (nothing done); otherwise ``blockers`` (nothing done) and ``more``,
    the number of blockers not listed."""

    batch: ImportBatch
    done: bool = False
    already: bool = False
    blockers: list[Blocker] = field(default_factory=list)
    more: int = 0
    deleted: int = 0
    restored: int = 0


def _tracked(model) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def _history_model(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model


def _chunks(values):
    values = list(values)
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _who(user) -> str:
    if user is None:
        return str(_("Hệ thống"))
    return user.get_full_name() or user.get_username()


def _label(obj) -> str:
    name = str(obj._meta.verbose_name)
    return f"{name[:1].upper()}{name[1:]} «{obj}»"


class _Plan:
    """What undoing a batch would do: the rows grouped by model, the deletion of the records
    it created (a ``Collector``), the records to restore, and what blocks it."""

    def __init__(self, batch):
        self.batch = batch
        self.blockers: list[Blocker] = []
        self.more = 0
        self.rows = defaultdict(list)
        for row in batch.rows.all():
            self.rows[row.model].append(row)
        self.created = {
            (r.model, r.object_id) for rs in self.rows.values() for r in rs if r.action == "new"
        }
        self.restores = []  # (instance, before)
        self.collector = None

    def block(self, what, who, when, how):
        if len(self.blockers) < BLOCKER_LIMIT:
            self.blockers.append(Blocker(what, who, when, how))
        else:
            self.more += 1

    def block_hanging(self, obj):
        """Block on ``obj``, made later and hanging on a record of the batch (by whom and
        when it was last written, from its history)."""
        who, when = "—", None
        if _tracked(type(obj)):
            manager = getattr(obj, obj._meta.simple_history_manager_attribute)
            last = manager.select_related("history_user").order_by("-history_id").first()
            if last is not None:
                who, when = _who(last.history_user), last.history_date
        self.block(_label(obj), who, when, str(_HANGS_ON))

    def check_later_changes(self):
        for label, rows in self.rows.items():
            model = apps.get_model(label)
            ids = [r.object_id for r in rows]
            objects = {}
            for chunk in _chunks(ids):
                objects.update(model._base_manager.in_bulk(chunk))
            if not _tracked(model):
                for pk in ids:
                    if pk not in objects:
                        name = f"{model._meta.verbose_name} #{pk}"
                        self.block(name, "—", None, str(_("đã bị xoá")))
                continue
            history = _history_model(model)
            records = defaultdict(list)
            for chunk in _chunks(ids):
                found = history.objects.filter(id__in=chunk).select_related("history_user")
                for record in found.order_by("history_id"):
                    records[record.id].append(record)
            for row in rows:
                self._check_row(model, row, objects.get(row.object_id), records[row.object_id])

    def _check_row(self, model, row, obj, records):
        mine = [r.history_id for r in records if r.history_change_reason == self.batch.reason]
        if mine:
            later = [r for r in records if r.history_id > max(mine)]
        else:
            later = [r for r in records if r.history_date > self.batch.created_at]
        if later:
            first = later[0]
            how = str(KIND_LABELS.get(first.history_type, first.history_type))
            if first.history_change_reason:
                how = f"{how} ({first.history_change_reason})"
            self.block(_label(first.instance), _who(first.history_user), first.history_date, how)
        elif obj is None:
            name = f"{model._meta.verbose_name} #{row.object_id}"
            self.block(name, "—", None, str(_("đã bị xoá")))
        elif row.action == "updated":
            self.restores.append((obj, row.before or {}))

    def plan_deletion(self):
        """Collect the deletion of the created records; block on every tracked record it would
        also delete or change that the batch did not create, and on protected ones."""
        using = router.db_for_write(ImportBatch)
        self.collector = Collector(using=using)
        for label, rows in self.rows.items():
            model = apps.get_model(label)
            ids = [r.object_id for r in rows if r.action == "new"]
            if not ids:
                continue
            objs = []
            for chunk in _chunks(ids):
                objs.extend(model._base_manager.filter(pk__in=chunk))
            if not objs:
                continue
            try:
                self.collector.collect(objs)
            except (ProtectedError, RestrictedError) as error:
                hold = getattr(error, "protected_objects", None) or error.restricted_objects
                for other in hold:
                    self.block_hanging(other)
        for model, instances in self.collector.data.items():
            if not _tracked(model):
                continue
            for obj in instances:
                if (model._meta.label_lower, obj.pk) not in self.created:
                    self.block_hanging(obj)
        for qs in self.collector.fast_deletes:
            if _tracked(qs.model) and qs.exists():
                for obj in qs[:BLOCKER_LIMIT]:
                    self.block_hanging(obj)
        for (fld, _value), targets in self.collector.field_updates.items():
            if _tracked(fld.model):
                for objs in targets:
                    for obj in objs:
                        self.block_hanging(obj)


def _plan(batch) -> _Plan:
    plan = _Plan(batch)
    plan.check_later_changes()
    plan.plan_deletion()
    return plan


def blockers(batch: ImportBatch) -> tuple[list[Blocker], int]:
    """The later changes that stop ``batch`` from being undone now (at most
    :data:`BLOCKER_LIMIT`) and the number of those not listed; ``([], 0)`` when it can be."""
    plan = _plan(batch)
    return plan.blockers, plan.more


def undo(batch_id: int, *, user) -> UndoResult:
    """Undo the batch ``batch_id`` in one transaction, as ``user``: delete the records it
    created (with what it created along with them) and restore the fields it changed on the
    records it updated, writing history that says so, and send ``data_changed`` for the clubs
    it touched. The batch row is locked first (``select_for_update``), so that of two undos at
    once the second finds it undone. Nothing is done when a later change blocks it (the result
    lists the blockers). Raises ``ImportBatch.DoesNotExist``; checks no permission
    (:func:`may_undo`)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.is_undone:
            return UndoResult(batch=batch, already=True)
        plan = _plan(batch)
        if plan.blockers or plan.more:
            return UndoResult(batch=batch, blockers=plan.blockers, more=plan.more)
        username = user.get_username() if user is not None else ""
        reason = undo_reason(batch, username)
        deleted = 0
        for instances in plan.collector.data.values():
            for obj in instances:
                obj._history_user = user
                obj._change_reason = reason
                deleted += 1
        if plan.collector.data:
            plan.collector.delete()
        restored = 0
        for obj, before in plan.restores:
            if not before:
                continue
            fields = {f.attname: f for f in obj._meta.concrete_fields}
            for name, value in before.items():
                if name in fields:
                    setattr(obj, name, fields[name].to_python(value))
            obj._history_user = user
            obj._change_reason = reason
            obj.save()
            restored += 1
        for label in plan.rows:
            # Each delete and save above was checked by its own signal.
            send_data_changed(apps.get_model(label), batch.club_ids, since=None)
        batch.undone_at = timezone.now()
        batch.undone_by = user
        batch.save(update_fields=["undone_at", "undone_by"])
        return UndoResult(batch=batch, done=True, deleted=deleted, restored=restored)


def remember_mapping(batch: ImportBatch, headers_key: str, renamed: dict) -> None:
    """Remember the column mapping of a committed import for each province it touched."""
    for province_id in batch.provinces.values_list("province_id", flat=True):
        ColumnMapping.objects.update_or_create(
            kind=batch.kind,
            headers_key=headers_key,
            province_id=province_id,
            defaults={"renamed": renamed, "user": batch.user},
        )


def remembered_mapping(user, kind: str, headers_key: str) -> dict:
    """The column mapping last remembered for files of ``kind`` with these headers in a
    province ``user`` may reach (any province for administrators and the board), or ``{}``."""
    found = ColumnMapping.objects.filter(kind=kind, headers_key=headers_key)
    provinces = province_ids_for(user)
    if provinces is not None:
        found = found.filter(province_id__in=provinces)
    mapping = found.order_by("-updated_at").first()
    return dict(mapping.renamed) if mapping else {}


def batch_of_upload(upload) -> ImportBatch | None:
    """The batch that imported the stored upload ``upload``, if any."""
    return ImportBatch.objects.filter(upload=upload).first() if upload else None
