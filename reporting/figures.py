"""Per-club figures, kept: the counts every criterion and target needs, stored per (club,
as-of date) in ``ClubFigures`` and refreshed only for the clubs whose data changed since.

A write marks the clubs it touched (``ClubState.seq``, in its own transaction: see
``reporting.cache``). A read takes each club's counter first, then its kept row: a row is
current when it was read at that counter and names every age threshold the phases use. The
missing and stale rows are counted again (``reporting.rules.member_counts`` and the training
annotations, over those clubs only) and stored with the counter read *before* counting, so a
write that commits while the counting runs leaves the row stale for the next read rather than
hiding: nothing returned is older than the last write committed before the read began.

The club-life counts (``reporting.life_counts``: kinds of activity held, meetings, funds) are
kept on the same row, counted by the parameters in force at its date (``life``: the window
and the activity kinds, ``life_counts.LifeParams.key``; empty before any phase that sets
club-life targets); a row kept by other parameters is counted again.

The same holds for the members-over-time buckets of the quarterly series (``ClubSeries``).
"""

from __future__ import annotations

import datetime
import json

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from clubs.models import Club

from .life_counts import LIFE_FIELDS, LifeParams, life_counts, life_params
from .models import ClubFigures, ClubSeries, Criterion, KeptDate, Metric, Target
from .quarters import member_buckets_by_club
from .rules import empty_counts, member_counts, training_annotations

COUNT_FIELDS = ("active", "women", "poor", "borrowed", "borrowed_improved")
#: The fields a refresh writes on a kept row, in the order ``COPY`` takes them after its key.
KEPT_FIELDS = (
    "seq",
    "ages",
    *COUNT_FIELDS,
    "older",
    "trained",
    "last_visit",
    "life",
    *LIFE_FIELDS,
    "computed_at",
)
#: What a row without club-life counts holds in their fields.
NO_LIFE = dict.fromkeys(LIFE_FIELDS)
#: The kept row's fields a read takes.
READ_FIELDS = ("club_id", "seq", "ages", "older", "trained", "last_visit", "life")


def needed_ages() -> list[int]:
    """Every age threshold of the phases' "older" criteria and older-member targets, sorted."""
    criteria = Criterion.objects.filter(metric=Metric.OLDER, age_threshold__isnull=False)
    targets = Target.objects.filter(age_threshold__isnull=False)
    rows = (
        criteria.order_by()
        .values_list("age_threshold")
        .union(targets.order_by().values_list("age_threshold"))
    )
    return sorted({age for (age,) in rows})


def _counters(club_ids) -> dict[int, int]:
    """The change counter of each club of ``club_ids`` (0 for a club never marked)."""
    rows = Club.objects.filter(pk__in=club_ids).values_list("pk", "state__seq")
    return {pk: seq or 0 for pk, seq in rows}


def _as_counts(row: dict, ages) -> dict:
    counts = {name: row[name] for name in COUNT_FIELDS}
    older = row["older"] or {}
    for age in ages:
        counts[f"older_{age}"] = older.get(str(age), 0)
    counts["trained"] = row["trained"]
    counts["last_visit"] = row["last_visit"]
    counts["life"] = row["life"]
    for name in LIFE_FIELDS:
        counts[name] = row[name]
    return counts


def refresh(
    club_ids,
    day: datetime.date,
    ages,
    counters: dict[int, int],
    source=None,
    life: LifeParams | None = None,
    kept_ids=None,
) -> dict[int, dict]:
    """Count ``club_ids`` (a list) at ``day`` from the data and keep the rows, stamped with
    ``counters`` (read before counting), their club life counted by ``life`` (none when
    ``None``). ``source`` (a queryset of the same ids) is queried instead of the list when
    given: a long list of ids plans worse than its subquery. ``kept_ids``: those of
    ``club_ids`` that had a kept row when read (default: all of them), replaced. Returns the
    counts by club id."""
    if not club_ids:
        return {}
    source = club_ids if source is None else source
    counted = member_counts(source, day, ages)
    training = {
        pk: (trained, last_visit)
        for pk, trained, last_visit in Club.objects.filter(pk__in=source)
        .annotate(**training_annotations(day))
        .values_list("pk", "trained", "last_visit")
    }
    lives = life_counts(source, life) if life is not None else {}
    life_key = life.key if life is not None else ""
    ages_key = ",".join(map(str, ages))
    out, rows = {}, []
    for pk in club_ids:
        counts = counted.get(pk) or empty_counts(ages)
        trained, last_visit = training.get(pk, (False, None))
        counts["trained"], counts["last_visit"] = bool(trained), last_visit
        counts["life"] = life_key
        counts.update(lives.get(pk, NO_LIFE))
        out[pk] = counts
        rows.append(
            {
                "club_id": pk,
                "seq": counters.get(pk, 0),
                "ages": ages_key,
                "older": {str(a): counts[f"older_{a}"] for a in ages},
                **{name: counts[name] for name in (*COUNT_FIELDS, "trained", "last_visit")},
                "life": life_key,
                **{name: counts[name] for name in LIFE_FIELDS},
            }
        )
    if len(rows) >= COPY_FROM and connection.vendor == "postgresql":
        try:
            _copy_rows(rows, day, club_ids if kept_ids is None else kept_ids)
            return out
        except IntegrityError:  # another process kept some of the same rows meanwhile
            pass
    ClubFigures.objects.bulk_create(
        [ClubFigures(as_of=day, **row) for row in rows],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["as_of", "club"],
        update_fields=list(KEPT_FIELDS),
    )
    return out


#: From this many rows, PostgreSQL takes them by ``COPY`` (about 20 times faster than the
#: INSERTs of ``bulk_create``, whose per-row preparation costs about 100 µs).
COPY_FROM = 2000

_COPY_COLUMNS = ("club_id", "as_of", *KEPT_FIELDS)


def _copy_rows(rows: list[dict], day: datetime.date, kept_ids) -> None:
    """Replace the kept rows at ``day`` of the clubs ``kept_ids`` by ``rows`` (each the values
    of a kept row: ``club_id`` and every field of ``KEPT_FIELDS`` but ``computed_at``), with
    PostgreSQL's ``COPY`` in one transaction (raises ``IntegrityError`` when another process
    inserted a row of one of them meanwhile, or when ``kept_ids`` misses a kept row; nothing is
    then changed, and the caller writes them by upsert)."""
    now = timezone.now()
    table = ClubFigures._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if kept_ids:
            ClubFigures.objects.filter(as_of=day, club_id__in=list(kept_ids)).delete()
        columns = ", ".join(_COPY_COLUMNS)
        # the driver's own cursor: its errors are made Django's (IntegrityError) here
        with connection.wrap_database_errors:
            copying = cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN")  # noqa: S608
            with copying as copy:
                for r in rows:
                    values = {**r, "older": json.dumps(r["older"]), "computed_at": now}
                    copy.write_row((r["club_id"], day, *(values[f] for f in KEPT_FIELDS)))


class Stats:
    """How many rows the reads of this process found current and refreshed (benchmarks)."""

    kept = 0
    refreshed = 0


def club_counts(club_ids, day: datetime.date, ages=None) -> dict[int, dict]:
    """The counts of the clubs ``club_ids`` (ids, or a queryset of ids: the clubs active at
    ``day`` of a scope) at ``day``, by club id: ``active``, ``women``, ``older_<age>`` for each
    of ``ages`` (default :func:`needed_ages`), ``poor``, ``borrowed``, ``borrowed_improved``,
    ``trained`` and ``last_visit`` (the shape of ``reporting.rules.member_counts`` plus the
    training fields), and the club-life counts ``kinds_held``, ``meetings``,
    ``funds_reported``, ``revolving_fund``, ``activity_fund`` counted by the parameters in
    force at ``day`` (``reporting.life_counts.life_params``; ``life`` names their key, empty
    and the counts ``None`` where there are none). Kept rows that are
    current are read; the others are counted again and kept. A fixed number of queries
    whatever the number of clubs."""
    ages = needed_ages() if ages is None else sorted(ages)
    life = life_params(day)
    stored_ages = ",".join(map(str, ages))
    life_key = life.key if life is not None else ""
    counters = _counters(club_ids)
    rows = ClubFigures.objects.filter(as_of=day, club_id__in=club_ids).values(
        *READ_FIELDS, *COUNT_FIELDS, *LIFE_FIELDS
    )
    out, stale = {}, []
    kept = {row["club_id"]: row for row in rows}
    for pk, seq in counters.items():
        row = kept.get(pk)
        if (
            row is not None
            and row["seq"] == seq
            and row["ages"] == stored_ages
            and row["life"] == life_key
        ):
            out[pk] = _as_counts(row, ages)
        else:
            stale.append(pk)
    Stats.kept += len(out)
    Stats.refreshed += len(stale)
    if stale:
        if len(stale) > len(counters) // 2:  # most are stale: count them all, by subquery
            out = refresh(
                list(counters), day, ages, counters, source=club_ids, life=life, kept_ids=kept
            )
        else:
            had = [pk for pk in stale if pk in kept]
            out.update(refresh(stale, day, ages, counters, life=life, kept_ids=had))
        _note_date(day)
    return out


def _note_date(day: datetime.date) -> None:
    """Record that ``day``'s figures are kept and were used today."""
    today = timezone.localdate()
    updated = KeptDate.objects.filter(day=day).exclude(last_used=today).update(last_used=today)
    if not updated and not KeptDate.objects.filter(day=day).exists():
        KeptDate.objects.bulk_create([KeptDate(day=day, last_used=today)], ignore_conflicts=True)


def kept_member_buckets(clubs) -> list[tuple[int, int | None, int]]:
    """The members-over-time buckets of ``clubs`` (a ``Club`` queryset):
    ``(first quarter, end quarter or None, members)``, from kept rows, the stale ones counted
    again (``reporting.series.member_buckets_by_club``)."""
    counters = _counters(clubs.values("pk"))
    kept = {
        pk: (seq, buckets)
        for pk, seq, buckets in ClubSeries.objects.filter(
            club_id__in=clubs.values("pk")
        ).values_list("club_id", "seq", "buckets")
    }
    stale = [pk for pk, seq in counters.items() if kept.get(pk, (None,))[0] != seq]
    if stale:
        fresh = member_buckets_by_club(stale)
        ClubSeries.objects.bulk_create(
            [ClubSeries(club_id=pk, seq=counters[pk], buckets=fresh.get(pk, [])) for pk in stale],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["club"],
            update_fields=["seq", "buckets"],
        )
        for pk in stale:
            kept[pk] = (counters[pk], fresh.get(pk, []))
    out = []
    for pk in counters:
        out.extend((s, e, n) for s, e, n in kept[pk][1])
    return out


def evict(days: int, today: datetime.date | None = None) -> int:
    """Delete the kept figures of dates not permanent and not used in the last ``days`` days;
    returns how many dates were dropped."""
    today = today or timezone.localdate()
    old = KeptDate.objects.filter(permanent=False, last_used__lt=today - datetime.timedelta(days))
    dates = list(old.values_list("day", flat=True))
    if dates:
        ClubFigures.objects.filter(as_of__in=dates).delete()
        old.delete()
    # Rows of dates never recorded (a crash between the two writes) go too.
    ClubFigures.objects.filter(~Q(as_of__in=KeptDate.objects.values("day"))).delete()
    return len(dates)
