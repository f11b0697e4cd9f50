"""``data_changed``: the one signal every write path of programme data sends, inside the
transaction of the write, naming the clubs whose figures it may change.

Receivers get ``sender`` (the model class written) and ``club_ids``: a ``frozenset`` of club
ids, or ``None`` when the change is not tied to clubs (administrative units, phases, criteria,
targets), which may change every club's figures. The reporting app subscribes; the apps that
hold the data never import it.

Model saves and deletes send it through :func:`track` (connected in each app's ``ready()``);
bulk paths, which send no model signals (``bulk_create``, ``QuerySet.update()``, imports,
commands), call :func:`send_data_changed` themselves.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.dispatch import Signal

data_changed = Signal()

#: Sent before a write (by :func:`track`'s hooks, by :func:`send_data_changed` and by imports
#: for each row) with ``writes``: a list of :class:`Write`, and ``phase_ids``: the phases
#: whose criteria or targets the write edits. Receivers return a list of ``(key, message)``
#: refusals (``key`` of the write refused, a Vietnamese message); an empty list lets it go.
#: The submissions app refuses writes into accepted reporting periods this way.
data_changing = Signal()

#: The earliest date: a write whose dates are unknown may change the figures of any date.
EARLIEST = datetime.date.min


@dataclass(frozen=True)
class Write:
    """A write about to change the figures of club ``club_id`` at every date from ``since``
    on (a ``date``; :data:`EARLIEST` when unknown). ``key`` names it back in refusals (an
    import's row number, say; ``None`` otherwise). A club not stored yet has no id: its
    ``provinces`` are then ``(new-era province id, old-era province id)``, either ``None``."""

    club_id: int | None
    since: datetime.date
    key: object = None
    provinces: tuple | None = None


class WriteRefused(ValidationError):
    """A write that a ``data_changing`` receiver refused (a ``ValidationError`` whose
    messages say why, in Vietnamese): forms and the admin show it as the form's error."""


def refusals(sender, writes=(), phase_ids=()) -> list[tuple[object, str]]:
    """The ``(key, message)`` refusals of ``data_changing`` receivers for ``writes`` (an
    iterable of :class:`Write`) and for edits of the phases ``phase_ids``; ``[]`` when every
    receiver lets them go."""
    writes = list(writes)
    phase_ids = frozenset(i for i in phase_ids if i is not None)
    if not writes and not phase_ids:
        return []
    found = []
    for _receiver, response in data_changing.send(
        sender=sender, writes=writes, phase_ids=phase_ids
    ):
        found.extend(response or ())
    return found


def check_writes(sender, writes=(), phase_ids=()) -> None:
    """Raise :class:`WriteRefused` (its messages, each once) when a receiver refuses
    ``writes`` or the edit of ``phase_ids`` (see :func:`refusals`)."""
    found = refusals(sender, writes, phase_ids)
    if found:
        raise WriteRefused(list(dict.fromkeys(message for _key, message in found)))


def send_data_changed(sender, club_ids=None, since=EARLIEST) -> None:
    """Send ``data_changed`` for a write to ``sender`` (a model class) touching ``club_ids``
    (an iterable of club ids; ``None``: not tied to clubs), after checking it with
    ``data_changing``: ``since`` is the earliest date whose figures the write changes (a
    ``date``, :data:`EARLIEST` when unknown), or ``None`` when the caller checked each of its
    rows already (an import, an undo whose deletes and saves went through :func:`track`).
    Raises :class:`WriteRefused` (call it inside the write's transaction)."""
    ids = None if club_ids is None else frozenset(i for i in club_ids if i is not None)
    if since is not None and ids:
        check_writes(sender, [Write(club_id, since) for club_id in sorted(ids)])
    data_changed.send(sender=sender, club_ids=ids)


@dataclass(frozen=True)
class Tracking:
    """How the writes of a tracked model change figures: ``club_path`` (see :func:`track`),
    ``dated`` (lookups of the dates the row's figures depend on: the row counts from the
    earliest of them on), ``ignored`` (fields no figure reads: names, codes, notes, phones) and
    ``phase_path`` (the lookup to the phase whose criteria or targets the row is)."""

    club_path: object
    dated: tuple = ()
    ignored: frozenset = frozenset()
    phase_path: str | None = None
    #: for a club itself (``club_path="pk"``): the lookups of its new-era province (the first
    #: found) and of its old-era province, read from a club not stored yet
    units: tuple = ()


#: model class -> its :class:`Tracking`, filled by :func:`track`.
TRACKED: dict = {}


def _get(instance, lookup):
    value = instance
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def state_of(model, instance) -> dict:
    """The values a tracked ``instance`` holds now (in memory): its concrete fields by
    attribute name and its ``dated`` lookups."""
    tracking = TRACKED[model]
    state = {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}
    for lookup in tracking.dated:
        if "__" in lookup:
            state[lookup] = _get(instance, lookup)
    return state


def _stored_state(model, pk) -> dict | None:
    tracking = TRACKED[model]
    names = [f.attname for f in model._meta.concrete_fields]
    names += [lookup for lookup in tracking.dated if "__" in lookup]
    return model._base_manager.filter(pk=pk).values(*names).first()


def figures_since(model, before: dict | None, after: dict | None) -> datetime.date | None:
    """The earliest date whose figures a write of a ``model`` row changes, from its state
    ``before`` and ``after`` (dicts of attribute names and ``dated`` lookups; ``None``: created
    or deleted), or ``None`` when it changes none (only ignored fields changed). A changed date
    moves the figures from the earlier of its old and new values; any other changed field (a
    member's sex or birth year, a club's commune, an amount) those of every date the row counts
    in, from its earliest date; a row without dates, of every date (:data:`EARLIEST`)."""
    tracking = TRACKED[model]

    def dates(state, lookups):
        return [state.get(k) for k in lookups if isinstance(state.get(k), datetime.date)]

    if before is None or after is None:
        found = dates(before or after or {}, tracking.dated)
        return min(found) if found else EARLIEST
    changed = {k for k in after if k not in tracking.ignored and before.get(k) != after.get(k)}
    if not changed:
        return None
    if changed - set(tracking.dated):
        found = dates(before, tracking.dated) + dates(after, tracking.dated)
    else:
        found = dates(before, changed) + dates(after, changed)
    return min(found) if found else EARLIEST


def _phase_ids(model, before, after) -> set:
    path = TRACKED[model].phase_path
    if path is None:
        return set()
    return {state.get(path) for state in (before, after) if state}


def check_save(model, instance) -> None:
    """Check the save of ``instance`` with ``data_changing`` (:func:`check_writes`): run by
    :func:`track` before every save, and by ``full_clean`` so that forms and the admin show a
    refusal as the form's error. Raises :class:`WriteRefused`."""
    if model not in TRACKED or getattr(instance, "_skip_write_check", False):
        return
    before = _stored_state(model, instance.pk) if instance.pk is not None else None
    after = state_of(model, instance)
    since = figures_since(model, before, after)
    if since is None:
        return
    clubs = _club_ids_before_after(model, instance, before)
    writes = [Write(club_id, since) for club_id in sorted(clubs)]
    units = TRACKED[model].units
    if instance.pk is None and units:
        new_lookups, old_lookup = units
        new = next((v for v in (_get(instance, k) for k in new_lookups) if v is not None), None)
        writes.append(Write(None, since, provinces=(new, _get(instance, old_lookup))))
    check_writes(model, writes, _phase_ids(model, before, after))


def _club_ids_before_after(model, instance, before) -> set:
    path = TRACKED[model].club_path
    if path is None:
        return set()
    ids = set()
    if instance.pk is not None:
        ids |= _club_ids(instance, path)
    if path == "pk":
        return ids
    paths = (path,) if isinstance(path, str) else tuple(path)
    return (ids | {_get(instance, p) for p in paths}) - {None}


def club_ids_of(instance) -> set:
    """The clubs a tracked ``instance`` belongs to, read from its attributes (in memory)."""
    path = TRACKED[type(instance)].club_path
    if path is None:
        return set()
    if path == "pk":
        return {instance.pk} - {None}
    paths = (path,) if isinstance(path, str) else tuple(path)
    return {_get(instance, p) for p in paths} - {None}


def check_delete(model, instance) -> None:
    """Check the delete of ``instance`` with ``data_changing``. Raises :class:`WriteRefused`."""
    if model not in TRACKED:
        return
    before = _stored_state(model, instance.pk)
    if before is None:
        return
    since = figures_since(model, before, None)
    path = TRACKED[model].club_path
    clubs = set() if path is None else _club_ids(instance, path)
    check_writes(
        model,
        [Write(club_id, since) for club_id in sorted(clubs)],
        _phase_ids(model, before, None),
    )


def _club_ids(instance, path):
    """The clubs ``instance`` belongs to as stored now (``path`` from the model to a club id,
    or a tuple of such paths; ``"pk"`` for a club itself, which needs no query). A path that
    leads to no club (a loan's member never transferred) gives none."""
    if path == "pk":
        return {instance.pk}
    paths = (path,) if isinstance(path, str) else tuple(path)
    rows = type(instance)._base_manager.filter(pk=instance.pk).values_list(*paths)
    return {club_id for row in rows for club_id in row if club_id is not None}


def track(
    model,
    club_path: str | None,
    *,
    dated=None,
    ignored=(),
    phase_path: str | None = None,
    units=(),
) -> None:
    """Send ``data_changed`` on every save and delete of ``model``, with the clubs of the row
    before and after the write (``club_path``: the lookup from ``model`` to a club id, e.g.
    ``"member__club_id"``, or a tuple of lookups when a row belongs to several clubs; ``None``
    for data not tied to clubs). Call from ``AppConfig.ready``.

    Before each save and delete, and in ``full_clean`` (forms, the admin), the write is checked
    with ``data_changing`` (:func:`check_save`, :func:`check_delete`): ``dated`` are the
    lookups of the dates the row's figures depend on (default: the model's date fields),
    ``ignored`` the fields no figure reads, ``phase_path`` the lookup to the phase whose
    criteria or targets the row is, ``units`` the lookups of a new club's provinces (see
    :class:`Tracking`)."""
    label = model._meta.label
    if dated is None:
        dated = tuple(
            f.attname for f in model._meta.concrete_fields if f.get_internal_type() == "DateField"
        )
    TRACKED[model] = Tracking(club_path, tuple(dated), frozenset(ignored), phase_path, units)
    if not getattr(model, "_write_check_in_clean", False):
        original = model.full_clean

        def full_clean(self, *args, **kwargs):
            original(self, *args, **kwargs)
            check_save(type(self), self)

        model.full_clean = full_clean
        model._write_check_in_clean = True

    def before_save(sender, instance, raw=False, **kwargs):
        if raw:
            return
        check_save(sender, instance)
        if club_path and instance.pk is not None:
            instance._clubs_before_save = _club_ids(instance, club_path)

    def after_save(sender, instance, raw=False, **kwargs):
        if raw:
            return
        if club_path is None:
            send_data_changed(sender, since=None)
            return
        before = getattr(instance, "_clubs_before_save", set())
        send_data_changed(sender, before | _club_ids(instance, club_path), since=None)

    def before_delete(sender, instance, **kwargs):
        check_delete(sender, instance)
        send_data_changed(
            sender, None if club_path is None else _club_ids(instance, club_path), since=None
        )

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=f"dc-pre-{label}")
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=f"dc-post-{label}")
    pre_delete.connect(before_delete, sender=model, weak=False, dispatch_uid=f"dc-del-{label}")


def track_m2m(through) -> None:
    """Send ``data_changed`` when rows of the many-to-many table ``through`` (between clubs and
    another model) are added or removed through the relation's manager."""

    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action.startswith("pre_"):
            model = type(instance)
            if model in TRACKED:
                since = figures_since(model, None, state_of(model, instance))
                clubs = {instance.pk} if reverse else set(pk_set or ())
                if not reverse and pk_set is None:  # clear(): every club it had
                    clubs = set(_club_ids(instance, TRACKED[model].club_path))
                check_writes(through, [Write(c, since) for c in sorted(clubs)])
            return
        if not action.startswith("post_"):
            return
        if reverse:  # from the club's side: instance is the club
            send_data_changed(through, {instance.pk}, since=None)
        elif pk_set is not None:
            send_data_changed(through, pk_set, since=None)
        else:  # clear() from the other side: every club it had
            send_data_changed(through, None, since=None)

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"dc-m2m-{through}")
