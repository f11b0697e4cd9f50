"""The per-row work of an import without what django-import-export does there for features
the kinds do not use (a diff of each row, deletions, instances kept in the result, one
transaction guard per row): :class:`LeanRows`, the base of
:class:`spreadsheets.resources.SpreadsheetResource`, and :func:`instance_maker`, new records
copied from a blank one. Each step is the library's own hook, called in the library's order;
a resource asking for what is left out goes through the library's methods.
:func:`collector_paused` keeps Python's cyclic garbage collector off while a file is imported.
"""

import contextlib
import gc
import threading

from django.core.exceptions import ValidationError
from django.db.models import signals
from django.db.models.base import ModelState
from import_export import resources
from import_export.results import Error, RowResult

_pause = threading.Lock()
_paused = {"depth": 0, "was_enabled": True}


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while a file is imported (a context manager,
    or a decorator). The import's rows, records and results live until it ends, so the
    collections its allocations set off free nothing and traverse the whole heap again and
    again (a third of the import's time for 10,000 members); memory is still freed as
    objects are dropped, cycles once the last import running in the process ends, when the
    collector is switched back on (if it was on)."""
    with _pause:
        if _paused["depth"] == 0:
            _paused["was_enabled"] = gc.isenabled()
            gc.disable()
        _paused["depth"] += 1
    try:
        yield
    finally:
        with _pause:
            _paused["depth"] -= 1
            if _paused["depth"] == 0 and _paused["was_enabled"]:
                gc.enable()


def instance_maker(model):
    """A function ``make(**values)`` giving a new ``model`` instance as ``model(**values)``
    does, ``values`` by the attribute names of concrete fields (``member_id``, not
    ``member``). When that is the same thing (no field's default is computed for each
    instance, nothing listens to ``pre_init`` or ``post_init``), the instance is a copy of a
    blank one with ``values`` set, at a twentieth of the cost of ``model()`` (about 15 µs for a
    member); else it is ``model(**values)``."""
    computed = any(f.has_default() and callable(f.default) for f in model._meta.concrete_fields)
    listened = any(s.has_listeners(model) for s in (signals.pre_init, signals.post_init))
    if computed or listened:
        return model
    blank = {k: v for k, v in model().__dict__.items() if k != "_state"}
    names = {f.attname for f in model._meta.concrete_fields}

    def make(**values):
        if not names.issuperset(values):
            return model(**values)  # let the model say what is wrong
        instance = model.__new__(model)
        instance.__dict__.update(blank)
        instance.__dict__.update(values)
        instance._state = ModelState()
        return instance

    return make


class LeanRows:
    """``import_data_inner``, ``import_row`` and ``init_instance`` of a ``ModelResource``
    without the library's per-row work for features not used (see the module)."""

    #: set when a row is bad: nothing is then written
    failed = False

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        """What ``Resource.import_data_inner`` does when the caller holds the transaction
        (``use_transactions=False``), errors are collected (not raised, no failed dataset)
        and rows are written in bulk, without its per-row transaction guards and copies:
        ``before_import``; each row (a dict of the dataset's headers) through
        :meth:`import_row` with its 1-based ``row_number``; the bulk writes every
        ``batch_size`` rows and at the end; ``after_import``; an error of ``before_import``
        or ``after_import`` is a base error of the result. Any other use goes through the
        library's own."""
        if using_transactions or raise_errors or collect_failed_rows or not self._meta.use_bulk:
            return super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
            )
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        try:
            self.before_import(dataset, **kwargs)
            self._check_import_id_fields(dataset.headers)
        except Exception as error:  # noqa: BLE001 (the library reports it the same way)
            self.handle_import_error(result, error, raise_errors)
        instance_loader = self._meta.instance_loader_class(self, dataset)
        result.total_rows = len(dataset)
        headers, size = dataset.headers, self._meta.batch_size
        report_skipped = self._meta.report_skipped
        options = {"result": result}
        kwargs.update(dry_run=dry_run, using_transactions=using_transactions)
        for number, values in enumerate(dataset, 1):
            row = dict(zip(headers, values, strict=True))
            kwargs["row_number"] = number
            row_result = self.import_row(row, instance_loader, **kwargs)
            if len(self.create_instances) == size:
                self.bulk_create(False, dry_run, raise_errors, batch_size=size, **options)
            if len(self.update_instances) == size:
                self.bulk_update(False, dry_run, raise_errors, batch_size=size, **options)
            if len(self.delete_instances) == size:
                self.bulk_delete(False, dry_run, raise_errors, **options)
            result.increment_row_result_total(row_result)
            if row_result.errors:
                result.append_error_row(number, row, row_result.errors)
            elif row_result.validation_error:
                result.append_invalid_row(number, row, row_result.validation_error)
            if report_skipped or row_result.import_type != RowResult.IMPORT_TYPE_SKIP:
                result.append_row_result(row_result)
        self.bulk_create(False, dry_run, raise_errors, **options)
        self.bulk_update(False, dry_run, raise_errors, **options)
        self.bulk_delete(False, dry_run, raise_errors, **options)
        try:
            self.after_import(dataset, result, **kwargs)
        except Exception as error:  # noqa: BLE001
            self.handle_import_error(result, error, raise_errors)
        return result

    def init_instance(self, row=None):
        """A new instance of the model (:func:`instance_maker`, made once per file)."""
        make = self.__dict__.get("_make")
        if make is None:
            make = self._make = instance_maker(self._meta.model)
        return make()

    def import_row(self, row, instance_loader, **kwargs):
        """What ``Resource.import_row`` does with this configuration (``skip_diff``,
        ``use_bulk``: no diff, no deletion, no many-to-many, no instance kept in the result),
        without the library's per-row work for those: the hooks are called in its order
        (``before_import_row``, ``get_or_init_instance``, ``after_init_instance``,
        ``import_instance``, ``skip_row``, ``validate_instance``, ``save_instance``); a
        ``ValidationError`` makes the row invalid, any other exception an error, then
        ``after_import_row``. A resource that needs what is left out (a diff, deletions, the
        instance or the row kept in the result) goes through the library's own. Any failed row
        sets :attr:`failed` (nothing is then written)."""
        if not self._lean_rows():
            row_result = super().import_row(row, instance_loader, **kwargs)
            if row_result.import_type in (
                RowResult.IMPORT_TYPE_ERROR,
                RowResult.IMPORT_TYPE_INVALID,
            ):
                self.failed = True
            return row_result
        row_result = RowResult()
        try:
            self.before_import_row(row, **kwargs)
            instance, new = self.get_or_init_instance(instance_loader, row)
            self.after_init_instance(instance, new, row, **kwargs)
            row_result.import_type = (
                RowResult.IMPORT_TYPE_NEW if new else RowResult.IMPORT_TYPE_UPDATE
            )
            errors = {}
            try:
                self.import_instance(instance, row, **kwargs)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            if self.skip_row(instance, None, row, errors):
                row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            else:
                self.validate_instance(instance, errors)
                self.save_instance(instance, new, row, **kwargs)
            row_result.object_id = instance.pk
            self.after_import_row(row, row_result, **kwargs)
        except ValidationError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = error
        except Exception as error:
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            row_result.errors.append(Error(error, row=row, number=kwargs.get("row_number")))
        if row_result.import_type in (RowResult.IMPORT_TYPE_ERROR, RowResult.IMPORT_TYPE_INVALID):
            self.failed = True
        return row_result

    def _lean_rows(self) -> bool:
        """Whether :meth:`import_row` may leave out the library's diff, deletion and kept
        instances (this resource asks for none of them)."""
        lean = self.__dict__.get("_lean")
        if lean is None:
            meta = self._meta
            lean = self._lean = (
                meta.skip_diff
                and meta.use_bulk
                and not meta.store_instance
                and not meta.store_row_values
                and type(self).for_delete is resources.Resource.for_delete
            )
        return lean
