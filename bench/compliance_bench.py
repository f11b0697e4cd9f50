"""Benchmark: the national compliance computation against one hand-written SQL statement.

Both compute the same per-club counts at the as-of date (active members, women, older members
at the phase's age threshold, poor/near-poor/disadvantaged by their latest assessment, members
with a loan (an improved one where the phase's criterion says so), trained, last monitoring
visit on or before the date) over the 10x dataset of ``bench/generate.py``; from the phases
that set the club-life targets of Decision 1336/QĐ-TTg §I.2 on (2021), the hand-written side
also runs a second statement, ``HAND_LIFE_SQL``, for each club's activity kinds held in the
window, monthly meetings in it, both funds reported in it and each fund set up.
They run alternately in the same process; the script prints the median of each, the ratio, and
checks that both give the same numbers.

    python bench/compliance_bench.py --database-url postgres://postgres@127.0.0.1:5432/ishc_bench
    python bench/compliance_bench.py --database-url … --date 2025-06-30   # with club life
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


HAND_LIFE_SQL = """
WITH active_clubs AS (
    SELECT c.id, c.code FROM clubs_club c
    WHERE c.founded_on <= %(d)s AND (c.dissolved_on IS NULL OR c.dissolved_on > %(d)s)
),
held AS (
    SELECT r.club_id, count(DISTINCT r.kind_id) AS n
    FROM activities_activityrecord r JOIN activities_activitykind k ON k.id = r.kind_id
    WHERE r.held AND k.starts_on <= %(d)s AND r.month <= %(d)s
      AND r.month >= greatest(%(first_month)s, date_trunc('month', k.starts_on)::date)
    GROUP BY r.club_id
),
meetings AS (
    SELECT club_id, count(*) AS n FROM activities_meeting
    WHERE held_on > %(start)s AND held_on <= %(d)s GROUP BY club_id
),
funds AS (
    SELECT club_id, bool_or(kind = 'revolving') AS revolving, bool_or(kind = 'activity') AS activity
    FROM loans_fund WHERE opened_on <= %(d)s GROUP BY club_id
),
moved AS (
    SELECT f.club_id, bool_or(f.kind = 'revolving') AS revolving,
           bool_or(f.kind = 'activity') AS activity
    FROM loans_fundmovement mv JOIN loans_fund f ON f.id = mv.fund_id
    WHERE f.opened_on <= %(d)s AND mv.moved_on > %(start)s AND mv.moved_on <= %(d)s
    GROUP BY f.club_id
),
lent AS (
    SELECT club_id FROM loans_loan WHERE disbursed_on > %(start)s AND disbursed_on <= %(d)s
    UNION
    SELECT l.club_id FROM loans_repayment p JOIN loans_loan l ON l.id = p.loan_id
    WHERE p.paid_on > %(start)s AND p.paid_on <= %(d)s
)
SELECT ac.code, coalesce(h.n, 0), coalesce(m.n, 0),
       coalesce((mv.revolving OR (f.revolving AND ln.club_id IS NOT NULL)) AND mv.activity, false),
       coalesce(f.revolving, false), coalesce(f.activity, false)
FROM active_clubs ac
LEFT JOIN held h ON h.club_id = ac.id
LEFT JOIN meetings m ON m.club_id = ac.id
LEFT JOIN funds f ON f.club_id = ac.id
LEFT JOIN moved mv ON mv.club_id = ac.id
LEFT JOIN (SELECT DISTINCT club_id FROM lent) ln ON ln.club_id = ac.id
ORDER BY ac.code
"""


def hand_life_params(day: datetime.date) -> dict | None:
    """The parameters of ``HAND_LIFE_SQL`` at ``day`` (the window of the club-life targets in
    force then), or ``None`` before any phase that sets them."""
    from common.dates import add_months, months_before
    from reporting.life_counts import life_params

    life = life_params(day)
    if life is None:
        return None
    return {
        "d": day,
        "start": months_before(day, life.months),
        "first_month": add_months(day.replace(day=1), 1 - life.months),
    }


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
    life_params = hand_life_params(day)

    from reporting.figures import club_counts
    from reporting.life_counts import LIFE_FIELDS
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
            rows = cursor.fetchall()
            lives = []
            if life_params is not None:
                cursor.execute(HAND_LIFE_SQL, life_params)
                lives = cursor.fetchall()
            return rows, lives

    # Warm up both (caches, plans), then alternate.
    report, (rows, lives) = orm(), hand()
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
    kept = club_counts([c.id for c in report.clubs], day)
    for code, *life in lives:
        counts = kept[by_code[code].id]
        if tuple(counts[name] for name in LIFE_FIELDS) != tuple(life):
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
    side = "two statements, with club life" if life_params else "one statement"
    print(
        f"hand-written SQL:    median {sql_median:.2f} s {[round(t, 2) for t in times['sql']]} "
        f"({side})"
    )
    print(f"ratio compute/SQL:   {orm_median / sql_median:.2f}x (goal <= 1.5x)")
    print(f"per-club mismatches: {mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
