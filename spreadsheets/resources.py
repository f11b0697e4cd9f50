"""The base of every kind's spreadsheet resource (django-import-export), and its cells.

Each kind's resource lives in its own app (``clubs/resources.py``, ``members/resources.py``...),
subclasses :class:`SpreadsheetResource` and registers itself with
:func:`spreadsheets.registry.register`; this app finds them by autodiscovery.

The columns of each kind are its template: each :class:`Column` names the Vietnamese header,
its English alias and whether it is required. A resource reads rows that
:func:`spreadsheets.services.import_file` has already matched to those headers, looks up the
stored record by its natural key (never by database id), reports every bad cell of a row at
once, and writes in bulk with history (:func:`spreadsheets.bulk.create_with_history`).

``user`` scopes every look-up through the models' ``for_user`` (``None``: everything, for the
command line without ``--user``).
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import NOT_PROVIDED
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_update_with_history

from accounts.access import province_ids_for
from common import signals

from . import cells as sheets
from .bulk import create_with_history
from .rows import LeanRows

CHANGE_REASON = "Nhập từ tệp"


@dataclass(frozen=True)
class Column:
    """One column of a template: ``header`` (Vietnamese, as exported), ``alias`` (English),
    ``required``, ``help`` (the instructions sheet), ``kind`` for the export format
    (``"text"``, ``"date"``, ``"money"``, ``"int"``), ``choices`` (the ``TextChoices`` whose
    labels the template's drop-down list offers, or :data:`~spreadsheets.cells.YES_NO`) and
    ``example`` (the value of the template's example row).

    Two layouts of a merged two-row header are read (real registers, as communes keep them):
    ``split_by`` names the column whose values label the sub-columns of this one (``Năm
    sinh`` over ``Nam`` | ``Nữ``: the year is written under the sub-column of the member's
    sex, so ``split_by="Giới tính"``); ``unmarked`` makes this column's values the labels of
    its sub-columns, the value an ``x`` in one of them, ``unmarked`` the value when none is
    marked (``Hoàn cảnh`` over ``Hộ nghèo`` | ``Hộ cận nghèo`` | ``Khó khăn``; ``Không``)."""

    header: str
    alias: str
    required: bool = False
    help: str = ""
    kind: str = "text"
    split_by: str = ""
    unmarked: str = ""
    choices: object = None
    example: object = ""

    @property
    def instructions(self) -> str:
        """The instructions sheet's note: the labels of ``choices`` (from their one home),
        then ``help``."""
        if not self.choices:
            return self.help
        labels = sheets.choice_labels(self.choices)
        listed = ", ".join(labels[:-1]) + " hoặc " + labels[-1] + "."
        return f"{listed} {self.help}".strip()


class Cell(widgets.Widget):
    """A widget that cleans with one parser of :mod:`spreadsheets.cells` and exports native
    values (dates as dates, money as integers) so that ``.xlsx`` cells are real numbers and
    dates. ``required`` makes a blank cell an error."""

    def __init__(self, parser, required=False, render=None):
        super().__init__(coerce_to_string=False)
        self.parser = parser
        self.required = required
        self.render_value = render

    def clean(self, value, row=None, **kwargs):
        return self.cell_clean(value)

    def cell_clean(self, value):
        """The cell's value parsed; raises :class:`~spreadsheets.cells.CellError`."""
        if self.required and sheets.is_blank(value):
            raise sheets.CellError(_("Ô này không được để trống."))
        return self.parser(value)

    def render(self, value, obj=None, **kwargs):
        if self.render_value:
            return self.render_value(value)
        return "" if value is None else value


def text_cell(required=False):
    return Cell(sheets.clean_text, required)


def name_cell(required=True):
    return Cell(sheets.parse_name, required)


def code_cell(required=False):
    return Cell(sheets.parse_code, required)


def date_cell(required=False):
    return Cell(sheets.parse_date, required)


def money_cell(required=False):
    return Cell(sheets.parse_money, required)


def yes_no_cell():
    return Cell(sheets.parse_yes_no, render=lambda v: _yes_no_label(v))


def _yes_no_label(value):
    return sheets.YES_NO[0] if value else sheets.YES_NO[1]


def choice_cell(choices, required=False, extra=None):
    parse = sheets.choice_parser(choices, extra)
    return Cell(parse, required, render=lambda v: sheets.vietnamese_label(choices, v))


class KeepMaskedField(fields.Field):
    """A field whose masked value (``••••••••1234``) leaves the stored value unchanged."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.clean(row, **kwargs) is sheets.MASKED:
            return
        super().save(instance, row, is_m2m, **kwargs)


class _KeyLoader(BaseInstanceLoader):
    def get_instance(self, row):
        return self.resource.find_instance(row)


class SpreadsheetResource(LeanRows, resources.ModelResource):
    """Base of every kind. Subclasses set ``columns`` (the template), ``title`` (the list's
    name), and implement ``prepare(rows)`` (bulk look-ups), ``find_instance(row)`` (the stored
    record for a row's natural key, or None; raises ValidationError for a bad key) and
    ``row_key(row, instance)``; they may add ``import_extra(instance, row, errors)``.

    ``user`` scopes look-ups (``None``: everything, for the command line without ``--user``).
    ``row_numbers[i]`` is the spreadsheet row of dataset row ``i`` (0-based)."""

    columns: tuple[Column, ...] = ()
    title = ""
    #: model field name -> column header, for errors from ``Model.clean()``.
    error_columns: dict = {}

    class Meta:
        skip_diff = True
        skip_unchanged = True
        report_skipped = True
        use_bulk = True
        batch_size = 2000
        clean_model_instances = False
        instance_loader_class = _KeyLoader

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.province_ids = province_ids_for(user) if user is not None else None
        self.row_numbers = []
        self.written = []
        self.seen_keys = {}
        self.pending_errors = {}
        self._row_index = 0
        self.failed = False
        #: spreadsheet row -> what the preview should say of how the row was read
        self.notes: dict[int, list[str]] = {}
        #: spreadsheet row -> warnings the officer confirms by importing (never refusals)
        self.warnings: dict[int, list[str]] = {}
        #: the change reason of the history records this import writes (the batch's, once
        #: :func:`spreadsheets.services.import_file` has opened one)
        self.change_reason = CHANGE_REASON
        #: records written besides the rows (household assessments, training sessions)
        self.extra_written: list = []

    # --- scoping ----------------------------------------------------------------------------

    def scope(self, queryset):
        """``queryset`` (a model's manager or queryset with ``for_user``) narrowed to what the
        user may see; everything without a user."""
        queryset = queryset.all()
        return queryset if self.user is None else queryset.for_user(self.user)

    def column_values(self, dataset, header, parser=sheets.parse_code):
        if header not in dataset.headers:
            return []
        values = []
        for value in dataset[header]:
            try:
                values.append(parser(value))
            except ValueError:
                continue
        return values

    # --- import-export hooks ----------------------------------------------------------------

    def _check_import_id_fields(self, headers):
        """Natural keys are looked up by ``find_instance``, not by ``import_id_fields``."""

    def before_import(self, dataset, **kwargs):
        self.prepare(dataset)

    def prepare(self, dataset):
        raise NotImplementedError

    #: ``progress(stage, done)`` called every :data:`PROGRESS_EVERY` rows checked
    #: (``"checked"``) and after each bulk write (``"written"``); ``None``: not reported
    progress = None
    PROGRESS_EVERY = 500

    def before_import_row(self, row, **kwargs):
        self._row_index = kwargs.get("row_number", 1) - 1
        self.pending_errors = {}
        if self.progress and self._row_index % self.PROGRESS_EVERY == 0:
            self.progress("checked", self._row_index)

    def note(self, text: str) -> None:
        """Say ``text`` in the preview for the current row (once)."""
        notes = self.notes.setdefault(self.row_number, [])
        if text not in notes:
            notes.append(text)

    def warn(self, row: int, text: str) -> None:
        """Warn about spreadsheet row ``row`` in the preview (confirmed by importing)."""
        warnings = self.warnings.setdefault(row, [])
        if text not in warnings:
            warnings.append(text)

    @property
    def row_number(self) -> int:
        if self._row_index < len(self.row_numbers):
            return self.row_numbers[self._row_index]
        return self._row_index + 2

    def get_or_init_instance(self, instance_loader, row):
        try:
            instance = instance_loader.get_instance(row)
        except ValidationError as error:
            self.pending_errors = error.update_error_dict({})
            instance = None
        new = instance is None
        if new:
            instance = self.init_instance(row)
        if not self.pending_errors:
            key = self.row_key(row, instance)
            if key is not None:
                first = self.seen_keys.setdefault(key, self.row_number)
                if first != self.row_number:
                    self.pending_errors = {
                        self.key_attribute: [
                            _("Trùng khoá với dòng %(row)s của tệp.") % {"row": first}
                        ]
                    }
        return instance, new

    key_attribute = NON_FIELD_ERRORS

    def row_key(self, row, instance):
        return None

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_snapshot = None if new else self.snapshot(instance)

    def snapshot(self, instance) -> dict:
        return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}

    def import_instance(self, instance, row, **kwargs):
        errors = dict(self.pending_errors)
        try:
            self.import_fields(instance, row, **kwargs)
        except ValidationError as error:
            for key, messages in error.update_error_dict({}).items():
                errors.setdefault(key, messages)
        self.import_extra(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def import_fields(self, instance, row, **kwargs):
        """What ``ModelResource.import_instance`` does (each field with an attribute whose
        column the file has cleans its cell onto ``instance``; the cells' errors are raised
        together), with the list of those fields made once per file, not once per row. A plain
        field with a :class:`Cell` (:meth:`_plain_fields`) is cleaned by its widget directly,
        as ``Field.save`` would do it."""
        plan = self.__dict__.get("_import_plan")
        if plan is None:
            plan = self._import_plan = self._plain_fields()
        errors = {}
        for column, attribute, parse, clean, saves_null, keeps_masked, field in plan:
            if column not in row:
                continue
            try:
                if field is not None:
                    field.save(instance, row, False, **kwargs)
                    continue
                value = parse(row[column]) if parse is not None else clean(row[column])
                if keeps_masked and value is sheets.MASKED:
                    continue
                if value is not None or saves_null:
                    setattr(instance, attribute, value)
            except ValueError as error:
                errors[attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def _plain_fields(self) -> list[tuple]:
        """``(column, attribute, parse, clean, saves_null, keeps_masked, field)`` of each field
        imported. For a ``Field`` or :class:`KeepMaskedField` that sets one attribute from a
        :class:`Cell`, not read-only and without a default (what ``Field.save`` then does is
        ``setattr(instance, attribute, widget.clean(cell))``, for ``None`` only when
        ``saves_null_values``; a masked value left alone), ``field`` is ``None``, ``clean``
        the widget's and ``parse`` its parser when a blank cell is allowed (the same value, one
        call less); any other field is saved by its own ``save``."""
        plan = []
        for f in self.get_import_fields():
            if not f.attribute or isinstance(f.widget, widgets.ManyToManyWidget):
                continue
            plain = (
                type(f) in (fields.Field, KeepMaskedField)
                and isinstance(f.widget, Cell)
                and type(f.widget).clean is Cell.clean
                and "__" not in f.attribute
                and not f.readonly
                and f.default is NOT_PROVIDED
            )
            plan.append(
                (
                    f.column_name,
                    f.attribute,
                    f.widget.parser if plain and not f.widget.required else None,
                    f.widget.cell_clean if plain else None,
                    f.saves_null_values,
                    type(f) is KeepMaskedField,
                    None if plain else f,
                )
            )
        return plan

    def import_extra(self, instance, row, errors):
        """Read the columns that need several cells or look-ups; add errors to ``errors``."""

    def has_extra_changes(self, instance) -> bool:
        return False

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance._import_snapshot is None:
            return False
        return self.snapshot(instance) == instance._import_snapshot and not (
            self.has_extra_changes(instance)
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                instance.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user
        instance._import_row = self.row_number
        self.written.append(instance)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and not self.failed:
            self._bulk(result, create_with_history, list(self.create_instances))
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and not self.failed:
            names = [
                f.name
                for f in self._meta.model._meta.concrete_fields
                if not f.primary_key and f.name != "id"
            ]
            self._bulk(result, bulk_update_with_history, list(self.update_instances), names)
        self.update_instances.clear()

    def _bulk(self, result, function, objs, update_fields=None):
        self.bulk_written = getattr(self, "bulk_written", 0) + len(objs)
        if self.progress:
            self.progress("written", self.bulk_written)
        args = (objs, self._meta.model) + ((update_fields,) if update_fields else ())
        try:
            with transaction.atomic():
                function(
                    *args,
                    batch_size=self._meta.batch_size,
                    default_user=self.user,
                    default_change_reason=self.change_reason,
                )
        except Exception as error:  # a database constraint: reported, and the batch undone
            self.failed = True
            self.handle_import_error(result, error, False)

    def after_import(self, dataset, result, **kwargs):
        """Subclasses write dependent rows here (all instances have ids by now)."""

    def column_for(self, key) -> str:
        """The template header that an error keyed ``key`` (a field attribute or a model
        field name) belongs to; ``""`` for an error about the whole row."""
        if key in self.error_columns:
            return self.error_columns[key]
        for f in self.fields.values():
            if f.attribute == key:
                return f.column_name
        return ""

    # --- export -----------------------------------------------------------------------------

    def export_queryset(self):
        """The rows this user may see, for the export (through :meth:`scope`)."""
        raise NotImplementedError

    def club_id_of(self, instance) -> int:
        """The club whose figures a written ``instance`` belongs to."""
        raise NotImplementedError

    def touched_club_ids(self) -> set[int]:
        """The clubs whose data this import wrote (sent with ``common.signals.data_changed``)."""
        return {self.club_id_of(instance) for instance in self.written}

    def province_ids_of(self, club_ids) -> set[int]:
        """The new-era provinces of the clubs ``club_ids`` (a batch's provinces, by which
        officers see it)."""
        raise NotImplementedError

    def refused_rows(self) -> list[tuple[int, str]]:
        """The ``(spreadsheet row, message)`` of the rows whose writes a
        ``common.signals.data_changing`` receiver refuses (into an accepted reporting period,
        say), checked together in one call: the rows and the records written besides them,
        each from its state before the import (``None``: created) to its state now."""
        writes = {}
        for instance in [*self.written, *self.extra_written]:
            model = type(instance)
            if model not in signals.TRACKED:
                continue
            before = getattr(instance, "_import_snapshot", None)
            since = signals.figures_since(model, before, signals.state_of(model, instance))
            if since is None:
                continue
            for club_id in signals.club_ids_of(instance):
                key = getattr(instance, "_import_row", None)
                writes.setdefault(model, []).append(signals.Write(club_id, since, key))
        found = []
        for model, rows in writes.items():
            found.extend(signals.refusals(model, rows))
        return list(dict.fromkeys(found))

    # --- what the batch wrote (for its undo) ------------------------------------------------

    def record_write(self, instance, before: dict | None, row: int | None = None) -> None:
        """Note a record written besides the rows (``before``: :meth:`snapshot` of it before
        the import changed it, ``None`` when the import created it; ``row``: the spreadsheet
        row it comes from, default the current one)."""
        instance._import_snapshot = before
        instance._import_row = self.row_number if row is None else row
        self.extra_written.append(instance)

    def writes(self) -> list[tuple[object, dict | None]]:
        """Every record this import wrote, once each, as ``(instance, before)``: ``before`` is
        ``None`` for a created record, else ``{attribute: value before}`` of the fields it
        changed (possibly empty)."""
        seen, out = set(), []
        for instance in [*self.written, *self.extra_written]:
            key = (instance._meta.label_lower, instance.pk)
            if instance.pk is None or key in seen:
                continue
            seen.add(key)
            snapshot = getattr(instance, "_import_snapshot", None)
            if snapshot is None:
                out.append((instance, None))
                continue
            changed = {
                name: old for name, old in snapshot.items() if getattr(instance, name, old) != old
            }
            out.append((instance, changed))
        return out
