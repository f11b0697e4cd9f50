"""Change marks and data versions, for figures that hold across processes and are never stale.

Every write path sends ``common.signals.data_changed`` in its transaction (model saves and
deletes through ``common.signals.track``, bulk paths themselves); :func:`on_data_changed` marks
the clubs it names in that same transaction, by increasing each one's own counter
(``ClubState.seq``), so the mark commits or rolls back with the data and concurrent writers to
different clubs never wait on a shared row. Writes not tied to clubs (units, phases, criteria,
targets, province targets) change how figures are judged, not the clubs' counts: they move the
one ``DataVersion.unscoped`` counter, which such rare writes alone update.

A data version (:func:`data_version`) digests the counters of the clubs a figure covers (all,
or one province's) with the unscoped counter; cache keys include it, so any write to those
clubs makes the cached value unreachable at once, in every process, while a write to another
province's clubs leaves it valid. Provinces here are new-era provinces (``Club.province``); an
old-era province's clubs are all in its successor.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import models
from django.db.models import Count, F, Sum
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import get_language

from clubs.models import Club, Commune, CommuneSuccession, District, Province
from common.signals import data_changed, track

from .models import ClubState, Criterion, DataVersion, Phase, ProvinceTarget, Target

#: The layout of the cached values (the engine's result classes): changed with them, so that a
#: new release never reads back values pickled by an older one.
LAYOUT = 4

#: Senders whose writes change how figures are judged or counted against units, not counts.
JUDGEMENT_MODELS = (Phase, Criterion, Target, ProvinceTarget, Province, District, Commune)


def mark_changed(club_ids) -> None:
    """Increase the change counter of each club of ``club_ids`` (an iterable of ids) inside the
    caller's transaction and stamp it with the transaction's time (``ClubState.changed_at``);
    ``None`` marks every club. Two statements whatever the number."""
    if club_ids is None:
        missing = Club.objects.filter(state__isnull=True).values_list("pk", flat=True)
        ClubState.objects.bulk_create(
            [ClubState(club_id=pk) for pk in missing], ignore_conflicts=True
        )
        ClubState.objects.update(seq=F("seq") + 1, changed_at=Now())
        return
    ids = sorted({i for i in club_ids if i is not None})
    if not ids:
        return
    existing = Club.objects.filter(pk__in=ids, state__isnull=True).values_list("pk", flat=True)
    ClubState.objects.bulk_create([ClubState(club_id=pk) for pk in existing], ignore_conflicts=True)
    ClubState.objects.filter(club_id__in=ids).update(seq=F("seq") + 1, changed_at=Now())


def bump_unscoped() -> None:
    """Increase the counter of writes not tied to clubs (inside the caller's transaction)."""
    if not DataVersion.objects.filter(pk=1).update(
        unscoped=models.F("unscoped") + 1, changed_at=Now()
    ):
        DataVersion.objects.get_or_create(
            pk=1, defaults={"unscoped": 1, "changed_at": timezone.now()}
        )


def unscoped_version() -> int:
    return DataVersion.objects.filter(pk=1).values_list("unscoped", flat=True).first() or 0


def _digest(unscoped: int, n: int, s: int | None, w: int | None) -> str:
    text = f"{unscoped}:{n}:{s or 0}:{w or 0}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def province_versions() -> dict[int, str]:
    """The data version (:func:`data_version`) of each new-era province that has clubs, by
    province id, in one grouped query."""
    unscoped = unscoped_version()
    rows = (
        ClubState.objects.order_by()
        .values("club__province_id")
        .annotate(n=Count("pk"), s=Sum("seq"), w=Sum(F("seq") * F("club_id")))
        .values_list("club__province_id", "n", "s", "w")
    )
    return {pid: _digest(unscoped, n, s, w) for pid, n, s, w in rows}


def data_version(province_ids=None) -> str:
    """The version of the figures of every club, or of the clubs of the new-era provinces
    ``province_ids``: a short digest (12 hexadecimal digits) of the unscoped counter and of
    the clubs' counters (how many, their sum, and a sum weighted by club id, so that a club
    leaving and another changing cannot cancel out). One aggregate query and one row."""
    states = ClubState.objects.all()
    if province_ids is not None:
        states = states.filter(club__province_id__in=sorted(set(province_ids)))
    row = states.aggregate(n=Count("pk"), s=Sum("seq"), w=Sum(F("seq") * F("club_id")))
    return _digest(unscoped_version(), row["n"], row["s"], row["w"])


def report_version(province: Province | None = None) -> str:
    """The data version of what a report shows: every club, or ``province``'s clubs (a
    province of either era: an old-era province's clubs are all in the new province it merged
    into)."""
    if province is None:
        return data_version()
    return data_version([province.successor_id or province.pk])


def cache_key(key_parts: tuple, provinces=None) -> str:
    """The cache key of ``key_parts`` now: with the interface language (cached figures carry
    translated texts: criteria, gap reasons) and the data version of every club, or of the
    new-era ``provinces`` (ids) when the figures cover only those."""
    return cache_key_for(key_parts, data_version(provinces))


def cache_key_for(key_parts: tuple, version: str) -> str:
    """The cache key of ``key_parts`` at data ``version``, in the interface's language."""
    return f"ishc:{LAYOUT}:" + ":".join(str(p) for p in (*key_parts, get_language(), version))


def cached(
    key_parts: tuple,
    compute_value,
    timeout: int = 24 * 3600,
    wait: float = 30.0,
    provinces=None,
    version: str | None = None,
):
    """Return ``compute_value()`` cached under ``key_parts`` plus the current data version
    (of every club, or of the new-era ``provinces`` when the value covers only their clubs;
    ``version`` when the caller read it already, with :func:`data_version` of the same scope).

    One process computes a missing value at a time: the others wait (up to ``wait`` seconds,
    polling the shared cache) for its result instead of all computing the same figures after a
    write. A waiter whose computing process gave up computes the value itself.
    """
    key = cache_key_for(key_parts, data_version(provinces) if version is None else version)
    value = cache.get(key)
    if value is not None:
        return value
    lock = key + ":computing"
    if not cache.add(lock, 1, timeout=int(wait) + 30):
        deadline = time.monotonic() + wait
        pause = 0.05
        while time.monotonic() < deadline:
            # Each look is a query of the shared cache: the pause grows to a quarter second,
            # so many waiters do not load the database they wait on.
            time.sleep(pause)
            pause = min(pause * 1.5, 0.25)
            found = cache.get_many([key, lock])
            if found.get(key) is not None:
                return found[key]
            if lock not in found:
                break
    try:
        value = compute_value()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value


def on_data_changed(sender, club_ids=None, **kwargs):
    """Receiver of ``common.signals.data_changed``: mark the clubs of ``club_ids``; a write not
    tied to clubs moves the unscoped counter, and when it may change counts (a many-to-many
    ``clear()`` of attendances, say) marks every club too."""
    if club_ids is not None:
        mark_changed(club_ids)
        return
    bump_unscoped()
    if not (
        isinstance(sender, type) and issubclass(sender, JUDGEMENT_MODELS + (CommuneSuccession,))
    ):
        mark_changed(None)


def connect_signals():
    """Subscribe to ``data_changed``; changes to this app's own phases, criteria and targets
    are tracked like any other programme data."""
    data_changed.connect(on_data_changed, dispatch_uid="reporting-data-changed")
    track(Phase, None, phase_path="id")
    for model in (Criterion, Target, ProvinceTarget):
        track(model, None, phase_path="phase_id")
