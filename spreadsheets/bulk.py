"""Creating an import's new rows with their history in bulk.

:func:`create_with_history` does what ``simple_history.utils.bulk_create_with_history`` does
(the rows, then one "+" history row each with its user and change reason, in one
transaction). On PostgreSQL, from :data:`COPY_FROM` rows, it writes both tables with ``COPY``:
the ids are taken from the table's sequence first, then the rows are streamed, so that the
per-row cost of building one large ``INSERT`` (about 100 µs a row with its history) is not
paid. Every constraint of the database is checked the same way; a violation raises Django's
``IntegrityError``, as ``bulk_create`` does.
"""

import datetime
from operator import attrgetter

from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, Field
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    get_change_reason_from_object,
    get_history_manager_for_model,
)

#: From this many rows, PostgreSQL takes them with ``COPY``.
COPY_FROM = 500


def create_with_history(
    objs, model, *, batch_size=2000, default_user=None, default_change_reason=""
) -> list:
    """Insert ``objs`` (new ``model`` instances) and their "+" history rows in one
    transaction; each gets its id. The history user is ``obj._history_user`` when set, else
    ``default_user``; the change reason ``obj._change_reason``, else
    ``default_change_reason``. Returns ``objs``."""
    objs = list(objs)
    history = get_history_manager_for_model(model).model
    if connection.vendor != "postgresql" or len(objs) < COPY_FROM or not _plain(history):
        return bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=default_user,
            default_change_reason=default_change_reason,
        )
    with transaction.atomic(savepoint=False), connection.wrap_database_errors:
        _take_ids(model, objs)
        fields = [f for f in model._meta.concrete_fields]
        _copy(model, fields, map(_values_getter(fields), objs))
        now = timezone.now()
        history_fields = [f for f in history._meta.concrete_fields if f is not history._meta.pk]
        tracked = [f for f in history_fields if f.attname not in _HISTORY_FIELDS]
        own = [f.attname for f in history_fields if f.attname in _HISTORY_FIELDS]
        history_fields = tracked + [f for f in history_fields if f.attname in _HISTORY_FIELDS]
        values = _getter([f.attname for f in tracked])

        def history_row(obj):
            user = getattr(obj, "_history_user", default_user)
            extra = {
                "history_date": getattr(obj, "_history_date", now),
                "history_change_reason": get_change_reason_from_object(obj)
                or default_change_reason,
                "history_type": "+",
                "history_user_id": user.pk if user is not None else None,
            }
            return [*values(obj), *(extra[name] for name in own)]

        _copy(history, history_fields, map(history_row, objs))
    return objs


def _values_getter(fields):
    """A function of an instance giving the values of ``fields`` to store, as ``pre_save``
    gives them for an insert: read straight off the instance when no field changes its value
    there (no ``auto_now``), else through each ``pre_save``."""
    if all(_stores_as_is(f) for f in fields):
        return _getter([f.attname for f in fields])
    return lambda obj: [f.pre_save(obj, True) for f in fields]


def _getter(names):
    """A function of an instance giving the tuple of its attributes ``names``."""
    if len(names) > 1:
        return attrgetter(*names)
    return lambda obj: tuple(getattr(obj, name) for name in names)


def _stores_as_is(field) -> bool:
    """Whether ``field.pre_save(obj, add=True)`` is ``getattr(obj, field.attname)``."""
    pre_save = type(field).pre_save
    if pre_save is Field.pre_save:
        return True
    return pre_save in (DateField.pre_save, DateTimeField.pre_save) and not (
        field.auto_now or field.auto_now_add
    )


def insert_values(model, names, rows, *, batch_size=2000) -> None:
    """Insert ``rows`` (tuples of the values of the fields ``names``, by attribute name) as
    new ``model`` rows without history: with ``COPY`` on PostgreSQL from :data:`COPY_FROM`
    rows (no model instance built), else ``bulk_create``."""
    rows = list(rows)
    if connection.vendor != "postgresql" or len(rows) < COPY_FROM:
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    with transaction.atomic(savepoint=False), connection.wrap_database_errors:
        _copy(model, [by_name[n] for n in names], rows)


_HISTORY_FIELDS = {"history_date", "history_change_reason", "history_type", "history_user_id"}


def _plain(history) -> bool:
    """Whether the historical model holds only the tracked fields and simple_history's own
    (else the generic path writes it)."""
    tracked = {f.attname for f in history.tracked_fields}
    names = {f.attname for f in history._meta.concrete_fields if f is not history._meta.pk}
    return names <= tracked | _HISTORY_FIELDS


def _take_ids(model, objs) -> None:
    """Give each of ``objs`` without a primary key the next value of its table's sequence."""
    pk = model._meta.pk
    missing = [obj for obj in objs if obj.pk is None]
    if not missing:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
        (sequence,) = cursor.fetchone()
        # the sequence named once: pg_get_serial_sequence in the select list runs for each row
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(missing)]
        )
        for obj, (value,) in zip(missing, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, value)
    for obj in missing:
        obj._state.adding = False
        obj._state.db = connection.alias


#: Types whose values the database driver takes as they are (``get_db_prep_save`` returns
#: them unchanged): only these exact types skip it (not a ``datetime``, not an enum member).
_AS_THEY_ARE = frozenset({str, int, bool, datetime.date, type(None)})


def _copy(model, fields, rows) -> None:
    """Stream ``rows`` (each a list of ``fields``' values) into ``model``'s table."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    plain = _AS_THEY_ARE
    last = {}  # field -> (value, prepared): rows share values (the history date), prepared once

    def prepared(f, v):
        seen = last.get(f)
        if seen is None or seen[0] is not v:
            seen = last[f] = (v, f.get_db_prep_save(v, connection))
        return seen[1]

    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for values in rows:
            copy.write_row(
                [
                    v if type(v) in plain else prepared(f, v)
                    for f, v in zip(fields, values, strict=True)
                ]
            )
