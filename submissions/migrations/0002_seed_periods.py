"""Seed the reporting periods from the phases: every quarter end within each phase, and each
phase's end; a year end is a year period, a phase end a phase-end period (one period per
date). Deadlines: the 20th day after a quarter's end, the 31st day after a year's or a phase's
end; administrators edit them."""

import datetime

from django.db import migrations

QUARTER_DAYS = 20
YEAR_DAYS = 31


def quarter_ends(start, end):
    year, month = start.year, ((start.month - 1) // 3 + 1) * 3
    while True:
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        day = nxt - datetime.timedelta(days=1)
        if day > end:
            return
        if day >= start:
            yield day
        year, month = (year + 1, 3) if month == 12 else (year, month + 3)


def periods_of(phases):
    """``{end date: kind}`` for ``phases`` (``(starts_on, ends_on)`` pairs)."""
    found = {}
    ends = {end for _start, end in phases}
    for start, end in phases:
        for day in [*quarter_ends(start, end), end]:
            kind = (
                "phase_end"
                if day in ends
                else "year"
                if (day.month, day.day) == (12, 31)
                else "quarter"
            )
            found[day] = kind
    return found


def seed(apps, schema_editor):
    Phase = apps.get_model("reporting", "Phase")
    Period = apps.get_model("submissions", "Period")
    phases = list(Phase.objects.values_list("starts_on", "ends_on"))
    ending = {}
    for phase in Phase.objects.order_by("starts_on"):
        ending[phase.ends_on] = phase  # the later-started one where two end on one day
    for day, kind in sorted(periods_of(phases).items()):
        days = QUARTER_DAYS if kind == "quarter" else YEAR_DAYS
        Period.objects.get_or_create(
            ends_on=day,
            defaults={
                "kind": kind,
                "deadline": day + datetime.timedelta(days=days),
                "phase": ending.get(day) if kind == "phase_end" else None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("submissions", "0001_initial"), ("reporting", "0002_seed_phases")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
