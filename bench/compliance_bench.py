"""Benchmark: the national compliance computation against one hand-written SQL statement.

Both compute the same per-club counts at the as-of date (active members, women, older members
at the phase's age threshold, poor/near-poor/disadvantaged by their latest assessment, members
with a loan (an improved one where the phase's criterion says so), trained, last monitoring
visit on or before the date) over the 10x dataset of ``bench/generate.py``.
They run alternately in the same process; the script prints the median of each, the ratio, and
checks that both give the same numbers.

    python bench/compliance_bench.py --database-url postgres://postgres@127.0.0.1:5432/ishc_bench
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HAND_SQL = """
WITH params AS (SELECT %(d)s::date AS d, %(born_by)s AS by,
                       %(born_month)s AS bm, %(born_day)s AS bd),
active_clubs AS (
    SELECT c.id, c.code FROM clubs_club c, params
    WHERE c.founded_on <= params.d AND (c.dissolved_on IS NULL OR c.dissolved_on > params.d)
),
members AS (
    SELECT m.id, m.club_id, m.sex,
           (m.birth_year < params.by
            OR (m.birth_year = params.by
                AND (coalesce(m.birth_month, 1), coalesce(m.birth_day, 1))
                    <= (params.bm, params.bd))) AS older
    FROM members_member m JOIN active_clubs ac ON ac.id = m.club_id, params
    WHERE m.joined_on <= params.d AND (m.left_on IS NULL OR m.left_on > params.d)
),
latest_status AS (
    SELECT DISTINCT ON (h.member_id) h.member_id, h.status
    FROM members_householdassessment h, params
    WHERE h.assessed_on <= params.d
    ORDER BY h.member_id, h.assessed_on DESC
),
improved AS (
    SELECT DISTINCT l.member_id FROM loans_loan l, params
    WHERE l.disbursed_on <= params.d
      AND (NOT %(require_improved)s
           OR (l.income_outcome = 'improved' AND l.outcome_assessed_on <= params.d))
),
per_club AS (
    SELECT mb.club_id,
           count(*) AS active,
           count(*) FILTER (WHERE mb.sex = 'female') AS women,
           count(*) FILTER (WHERE mb.older) AS older,
           count(*) FILTER (WHERE ls.status IN ('poor', 'near_poor', 'disadvantaged')) AS poor,
           count(*) FILTER (WHERE im.member_id IS NOT NULL) AS borrowed
    FROM members mb
    LEFT JOIN latest_status ls ON ls.member_id = mb.id
    LEFT JOIN improved im ON im.member_id = mb.id
    GROUP BY mb.club_id
)
SELECT ac.code, coalesce(pc.active, 0), coalesce(pc.women, 0), coalesce(pc.older, 0),
       coalesce(pc.poor, 0), coalesce(pc.borrowed, 0),
       EXISTS (SELECT 1 FROM training_attendance a
               JOIN training_trainingsession s ON s.id = a.session_id, params
               WHERE a.club_id = ac.id AND s.held_on <= params.d) AS trained,
       (SELECT max(v.visited_on) FROM training_monitoringvisit v, params
         WHERE v.club_id = ac.id AND v.visited_on <= params.d)
FROM active_clubs ac LEFT JOIN per_club pc ON pc.club_id = ac.id
ORDER BY ac.code
"""


def session_settings() -> str:
    """The reporting session's settings, as both sides of a comparison run with them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
    return f"jit={jit} work_mem={work_mem}"


def hand_params(day: datetime.date) -> dict:
    """The parameters of ``HAND_SQL`` at ``day``, from the criteria of ``day``'s phase."""
    from reporting.models import Phase

    criteria = {c.metric: c for c in Phase.objects.containing(day).criteria.all()}
    return {
        "d": day,
        "require_improved": criteria["borrowed"].require_improved,
        "born_by": day.year - criteria["older"].age_threshold,
        "born_month": day.month,
        "born_day": day.day,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ishc_bench")
    parser.add_argument("--date", default="2020-12-31")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, reset_queries

    from reporting.compliance import compute

    day = datetime.date.fromisoformat(args.date)
    print(f"session settings (both sides, one connection): {session_settings()}")
    params = hand_params(day)

    from reporting.models import ClubFigures

    def orm():
        return compute(day)

    def forget():
        # From scratch: no kept figures for the date, so every club is counted (the engine's
        # cost after a change to every club, or the first view of a new date). Not timed.
        ClubFigures.objects.filter(as_of=day).delete()

    def hand():
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, params)
            return cursor.fetchall()

    # Warm up both (caches, plans), then alternate.
    report, rows = orm(), hand()
    times = {"orm": [], "sql": []}
    for _ in range(args.rounds):
        for name, fn in (("orm", orm), ("sql", hand)):
            reset_queries()
            forget()
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)

    # Same numbers?
    by_code = {c.code: c for c in report.clubs}
    mismatches = 0
    for code, active, women, older, poor, borrowed, trained, last_visit in rows:
        c = by_code[code]
        got = (
            c.active_members,
            c.women,
            c.older_members,
            c.poor,
            c.criteria["borrowed"].count,
            c.criteria["trained"].trained,
            c.criteria["trained"].last_visit,
        )
        if got != (active, women, older, poor, borrowed, trained, last_visit):
            mismatches += 1
    orm_median = statistics.median(times["orm"])
    sql_median = statistics.median(times["sql"])
    print(
        f"as of {day}: {len(report.clubs)} active clubs, "
        f"{report.national.active_members} active members, "
        f"{report.national.compliant_clubs} compliant"
    )
    print(
        f"compute() national:  median {orm_median:.2f} s over {args.rounds} rounds "
        f"{[round(t, 2) for t in times['orm']]}"
    )
    print(f"hand-written SQL:    median {sql_median:.2f} s {[round(t, 2) for t in times['sql']]}")
    print(f"ratio compute/SQL:   {orm_median / sql_median:.2f}x (goal <= 1.5x)")
    print(f"per-club mismatches: {mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
