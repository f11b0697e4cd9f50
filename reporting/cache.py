"""Data versions for caches that hold across processes and are never stale.

Every write path sends ``common.signals.data_changed`` in its transaction (model saves and
deletes through ``common.signals.track``, bulk paths themselves); :func:`on_data_changed` bumps
the versions in that same transaction. Cache keys include the versions, so a write makes every
earlier cached figure unreachable at once, in every process.

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

from clubs.models import Club
from common.signals import data_changed, track

from .models import Criterion, DataVersion, Phase, ProvinceDataVersion, ProvinceTarget, Target

#: The layout of the cached values (the engine's result classes): changed with them, so that a
#: new release never reads back values pickled by an older one.
LAYOUT = 2


def bump_data_version(province_ids=None) -> None:
    """Increase the data versions (UPDATEs inside the caller's transaction).

    ``province_ids``: the new-era provinces whose data changed (an iterable of ids); ``None``
    when the change is not tied to provinces, which makes every province's figures stale.
    """
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
    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def scoped_version(province_ids) -> str:
    """The version of the figures of ``province_ids`` (new-era province ids): the unscoped
    version and each province's own, as a string for cache keys."""
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
    return f"ishc:{LAYOUT}:" + ":".join(str(p) for p in (*key_parts, get_language(), version))


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


def on_data_changed(sender, club_ids=None, **kwargs):
    """Receiver of ``common.signals.data_changed``: bump the versions of the provinces of
    ``club_ids``, or every province's when the change is not tied to clubs (``None``) or is a
    club's own row (a club moves to another province when its commune changes)."""
    if club_ids is None or sender is Club:
        bump_data_version()
        return
    provinces = Club.objects.filter(pk__in=club_ids).values_list("province_id", flat=True)
    bump_data_version(set(provinces))


def connect_signals():
    """Subscribe to ``data_changed``; changes to this app's own phases, criteria and targets
    are tracked like any other programme data."""
    data_changed.connect(on_data_changed, dispatch_uid="reporting-data-changed")
    for model in (Phase, Criterion, Target, ProvinceTarget):
        track(model, None)
