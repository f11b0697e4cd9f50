"""A data version for caches that hold across processes and are never stale (DESIGN §6).

Every write path bumps the version in the same transaction: model saves and deletes through the
signals connected in ``ReportingConfig.ready``, and bulk paths (``bulk_create``, ``update()``,
imports) by calling :func:`bump_data_version` themselves. Cache keys include the version, so a
write makes every earlier cached figure unreachable at once, in every process.
"""

import time

from django.core.cache import cache
from django.db import models
from django.utils.translation import get_language

DATA_MODELS = (
    "clubs.Province",
    "clubs.Commune",
    "clubs.CommuneSuccession",
    "clubs.Club",
    "members.Member",
    "members.HouseholdAssessment",
    "loans.Loan",
    "training.TrainingSession",
    "training.Attendance",
    "training.MonitoringVisit",
    "reporting.Phase",
    "reporting.Criterion",
    "reporting.Target",
    "reporting.ProvinceTarget",
)


def bump_data_version() -> None:
    """Increase the data version by one (an UPDATE inside the caller's transaction)."""
    from .models import DataVersion

    updated = DataVersion.objects.filter(pk=1).update(version=models.F("version") + 1)
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def data_version() -> int:
    """The current data version (an int; 0 before any write)."""
    from .models import DataVersion

    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def cache_key(key_parts: tuple) -> str:
    """The cache key of ``key_parts`` now: with the interface language (cached figures carry
    translated texts: criteria, gap reasons) and the current data version."""
    return "ishc:" + ":".join(str(p) for p in (*key_parts, get_language(), data_version()))


def cached(key_parts: tuple, compute_value, timeout: int = 24 * 3600, wait: float = 30.0):
    """Return ``compute_value()`` cached under ``key_parts`` plus the current data version.

    One process computes a missing value at a time: the others wait (up to ``wait`` seconds,
    polling the shared cache) for its result instead of all computing the same figures after a
    write. A waiter whose computing process gave up computes the value itself.
    """
    key = cache_key(key_parts)
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


def _on_change(sender, **kwargs):
    if kwargs.get("raw"):
        return
    bump_data_version()


def connect_signals():
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label in DATA_MODELS:
        model = apps.get_model(label)
        post_save.connect(_on_change, sender=model, dispatch_uid=f"dv-save-{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"dv-delete-{label}")
    m2m_changed.connect(
        _on_change,
        sender=apps.get_model("training.TrainingSession").clubs.through,
        dispatch_uid="dv-m2m-attendance",
    )
