"""Data versions for caches that hold across processes and are never stale (DESIGN §6).

Every write path bumps the versions in the same transaction: model saves and deletes through
the signals connected in ``ReportingConfig.ready``, and bulk paths (``bulk_create``,
``update()``, imports) by calling :func:`bump_data_version` themselves. Cache keys include the
versions, so a write makes every earlier cached figure unreachable at once, in every process.

Two granularities: national figures are keyed on the version that every write moves; the
figures of some provinces (a province dashboard, an officer's workspace) are keyed on those
provinces' own versions plus the "unscoped" version, which moves with writes that are not tied
to one province (units, phases, criteria, targets, training sessions, clubs). A write to one
province's members, loans, assessments, attendances or visits leaves the other provinces'
cached figures valid. Provinces here are new-era provinces (``Club.province``); an old-era
province's clubs are all in its successor.
"""

import time

from django.core.cache import cache
from django.db import models
from django.utils.translation import get_language

#: Programme data whose every write bumps the versions, with the path from the model to the
#: new-era province of the club it belongs to (``None``: not tied to one province).
DATA_MODELS = {
    "clubs.Province": None,
    "clubs.Commune": None,
    "clubs.CommuneSuccession": None,
    "clubs.Club": None,  # a club may move to another province when its commune changes
    "members.Member": "club__province_id",
    "members.HouseholdAssessment": "member__club__province_id",
    "loans.Loan": "member__club__province_id",
    "training.TrainingSession": None,
    "training.Attendance": "club__province_id",
    "training.MonitoringVisit": "club__province_id",
    "reporting.Phase": None,
    "reporting.Criterion": None,
    "reporting.Target": None,
    "reporting.ProvinceTarget": None,
}


def bump_data_version(province_ids=None) -> None:
    """Increase the data versions (UPDATEs inside the caller's transaction).

    ``province_ids``: the new-era provinces whose data changed (an iterable of ids); ``None``
    when the change is not tied to provinces, which makes every province's figures stale.
    """
    from .models import DataVersion, ProvinceDataVersion

    fields = {"version": models.F("version") + 1}
    if province_ids is None:
        fields["unscoped"] = models.F("unscoped") + 1
    if not DataVersion.objects.filter(pk=1).update(**fields):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1, "unscoped": 1})
    for province_id in sorted({p for p in province_ids or () if p is not None}):
        updated = ProvinceDataVersion.objects.filter(province_id=province_id).update(
            version=models.F("version") + 1
        )
        if not updated:
            ProvinceDataVersion.objects.get_or_create(
                province_id=province_id, defaults={"version": 1}
            )


def data_version() -> int:
    """The current national data version (an int; 0 before any write)."""
    from .models import DataVersion

    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def scoped_version(province_ids) -> str:
    """The version of the figures of ``province_ids`` (new-era province ids): the unscoped
    version and each province's own, as a string for cache keys."""
    from .models import DataVersion, ProvinceDataVersion

    ids = sorted(set(province_ids))
    unscoped = DataVersion.objects.filter(pk=1).values_list("unscoped", flat=True).first() or 0
    versions = dict(
        ProvinceDataVersion.objects.filter(province_id__in=ids).values_list(
            "province_id", "version"
        )
    )
    return f"u{unscoped}-" + "-".join(f"{i}.{versions.get(i, 0)}" for i in ids)


def cache_key(key_parts: tuple, provinces=None) -> str:
    """The cache key of ``key_parts`` now: with the interface language (cached figures carry
    translated texts: criteria, gap reasons) and the data version, national or of the new-era
    ``provinces`` (ids) when the figures cover only those."""
    version = data_version() if provinces is None else scoped_version(provinces)
    return "ishc:" + ":".join(str(p) for p in (*key_parts, get_language(), version))


def cached(
    key_parts: tuple,
    compute_value,
    timeout: int = 24 * 3600,
    wait: float = 30.0,
    provinces=None,
):
    """Return ``compute_value()`` cached under ``key_parts`` plus the current data version
    (national, or of the new-era ``provinces`` when the value covers only their clubs).

    One process computes a missing value at a time: the others wait (up to ``wait`` seconds,
    polling the shared cache) for its result instead of all computing the same figures after a
    write. A waiter whose computing process gave up computes the value itself.
    """
    key = cache_key(key_parts, provinces)
    value = cache.get(key)
    if value is not None:
        return value
    lock = key + ":computing"
    if not cache.add(lock, 1, timeout=int(wait) + 30):
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(0.05)
            value = cache.get(key)
            if value is not None:
                return value
            if cache.get(lock) is None:
                break
    try:
        value = compute_value()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value


def _province_of(instance, path) -> int | None:
    """The new-era province of ``instance`` as stored now (one query)."""
    return type(instance)._base_manager.filter(pk=instance.pk).values_list(path, flat=True).first()


def _before_save(sender, instance, raw=False, **kwargs):
    """Remember the province an existing row belongs to before the save (it may move)."""
    path = DATA_MODELS[sender._meta.label]
    if path and not raw and instance.pk is not None:
        instance._province_before_save = _province_of(instance, path)


def _after_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    path = DATA_MODELS[sender._meta.label]
    if path is None:
        bump_data_version()
        return
    before = getattr(instance, "_province_before_save", None)
    bump_data_version([before, _province_of(instance, path)])


def _before_delete(sender, instance, **kwargs):
    path = DATA_MODELS[sender._meta.label]
    if path is None:
        bump_data_version()
    else:
        bump_data_version([_province_of(instance, path)])


def _on_attendance_change(sender, **kwargs):
    bump_data_version()


def connect_signals():
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

    for label in DATA_MODELS:
        model = apps.get_model(label)
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"dv-pre-save-{label}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"dv-save-{label}")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"dv-delete-{label}")
    m2m_changed.connect(
        _on_attendance_change,
        sender=apps.get_model("training.TrainingSession").clubs.through,
        dispatch_uid="dv-m2m-attendance",
    )
