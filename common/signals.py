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

from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.dispatch import Signal

data_changed = Signal()


def send_data_changed(sender, club_ids=None) -> None:
    """Send ``data_changed`` for a write to ``sender`` (a model class) touching ``club_ids``
    (an iterable of club ids; ``None``: not tied to clubs)."""
    ids = None if club_ids is None else frozenset(i for i in club_ids if i is not None)
    data_changed.send(sender=sender, club_ids=ids)


def _club_ids(instance, path):
    """The clubs ``instance`` belongs to as stored now (``path`` from the model to a club id,
    or a tuple of such paths; ``"pk"`` for a club itself, which needs no query)."""
    if path == "pk":
        return {instance.pk}
    paths = (path,) if isinstance(path, str) else tuple(path)
    rows = type(instance)._base_manager.filter(pk=instance.pk).values_list(*paths)
    return {club_id for row in rows for club_id in row}


def track(model, club_path: str | None) -> None:
    """Send ``data_changed`` on every save and delete of ``model``, with the clubs of the row
    before and after the write (``club_path``: the lookup from ``model`` to a club id, e.g.
    ``"member__club_id"``, or a tuple of lookups when a row belongs to several clubs; ``None``
    for data not tied to clubs). Call from ``AppConfig.ready``."""
    label = model._meta.label

    def before_save(sender, instance, raw=False, **kwargs):
        if club_path and not raw and instance.pk is not None:
            instance._clubs_before_save = _club_ids(instance, club_path)

    def after_save(sender, instance, raw=False, **kwargs):
        if raw:
            return
        if club_path is None:
            send_data_changed(sender)
            return
        before = getattr(instance, "_clubs_before_save", set())
        send_data_changed(sender, before | _club_ids(instance, club_path))

    def before_delete(sender, instance, **kwargs):
        send_data_changed(sender, None if club_path is None else _club_ids(instance, club_path))

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=f"dc-pre-{label}")
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=f"dc-post-{label}")
    pre_delete.connect(before_delete, sender=model, weak=False, dispatch_uid=f"dc-del-{label}")


def track_m2m(through) -> None:
    """Send ``data_changed`` when rows of the many-to-many table ``through`` (between clubs and
    another model) are added or removed through the relation's manager."""

    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not action.startswith("post_"):
            return
        if reverse:  # from the club's side: instance is the club
            send_data_changed(through, {instance.pk})
        elif pk_set is not None:
            send_data_changed(through, pk_set)
        else:  # clear() from the other side: every club it had
            send_data_changed(through, None)

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"dc-m2m-{through}")
