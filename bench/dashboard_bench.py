"""Benchmark: the national and a province dashboard as HTTP requests through Django's test
client, against hand-written SQL computing the same aggregates the pages show (per-club counts
and the quarterly series), in the same run, over the 10x dataset of ``bench/generate.py``.

The bench database is shared and read-only, so this script works on a copy it makes with
``createdb -T`` (it needs a user to sign in, and it checks that a write shows at once):

    python bench/dashboard_bench.py \\
        --source-url postgres://postgres@127.0.0.1:5432/ishc_bench --copy ishc_bench_dashboard

It prints, as medians of ``--rounds`` runs: the cold page (cache cleared), the hand-written SQL
for the same scope, their ratio (goal for the national page: at most 1.5), the repeated view with
no data change (goal: under 100 ms), and the page after one write (fresh numbers, recomputed).
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]

#: Per-club counts at D for the active clubs of a scope (older members at the age of the phase's
#: criterion, borrowed with an improved income as in the 2016 standard, the last visit in the
#: criterion's monitoring window), as the dashboards' compliance engine computes them.
CLUB_SQL = """
WITH active_clubs AS (
    SELECT c.id, c.code FROM clubs_club c
    LEFT JOIN clubs_commune fc ON fc.id = c.founding_commune_id
    WHERE c.founded_on <= %(d)s AND (c.dissolved_on IS NULL OR c.dissolved_on > %(d)s)
      AND (%(province)s::bigint IS NULL
           OR (CASE WHEN %(pre)s THEN fc.province_id ELSE c.province_id END) = %(province)s)
),
m AS (
    SELECT m.id, m.club_id, m.sex = 'female' AS woman,
           (m.birth_year < %(by)s OR (m.birth_year = %(by)s
             AND (coalesce(m.birth_month, 1), coalesce(m.birth_day, 1)) <= (%(bm)s, %(bd)s)))
             AS older
    FROM members_member m JOIN active_clubs ac ON ac.id = m.club_id
    WHERE m.joined_on <= %(d)s AND (m.left_on IS NULL OR m.left_on > %(d)s)
),
status AS (
    SELECT DISTINCT ON (h.member_id) h.member_id, h.status
    FROM members_householdassessment h JOIN m ON m.id = h.member_id
    WHERE h.assessed_on <= %(d)s
    ORDER BY h.member_id, h.assessed_on DESC
),
improved AS (
    SELECT DISTINCT l.member_id FROM loans_loan l JOIN m ON m.id = l.member_id
    WHERE l.disbursed_on <= %(d)s AND l.income_outcome = 'improved'
      AND l.outcome_assessed_on <= %(d)s
),
per_club AS (
    SELECT m.club_id, count(*) AS active, count(*) FILTER (WHERE m.woman) AS women,
           count(*) FILTER (WHERE m.older) AS older,
           count(*) FILTER (WHERE s.status IN ('poor', 'near_poor', 'disadvantaged')) AS poor,
           count(*) FILTER (WHERE i.member_id IS NOT NULL) AS borrowed
    FROM m LEFT JOIN status s ON s.member_id = m.id LEFT JOIN improved i ON i.member_id = m.id
    GROUP BY m.club_id
)
SELECT ac.code, coalesce(p.active, 0), coalesce(p.women, 0), coalesce(p.older, 0),
       coalesce(p.poor, 0), coalesce(p.borrowed, 0),
       EXISTS (SELECT 1 FROM training_attendance a
               JOIN training_trainingsession t ON t.id = a.session_id
               WHERE a.club_id = ac.id AND t.held_on <= %(d)s),
       (SELECT max(v.visited_on) FROM training_monitoringvisit v
        WHERE v.club_id = ac.id AND v.visited_on <= %(d)s AND v.visited_on > %(w)s)
FROM active_clubs ac LEFT JOIN per_club p ON p.club_id = ac.id
ORDER BY ac.code
"""

#: Clubs and members active at each quarter end from 2016 to D, for the same scope: each club
#: (member) counted from the quarter of its start to the quarter before that of its end.
SERIES_SQL = """
WITH q AS (
    SELECT (d + interval '3 months' - interval '1 day')::date AS qe
    FROM generate_series(DATE '2016-01-01', %(d)s::date, interval '3 months') d
),
scoped AS (
    SELECT c.* FROM clubs_club c LEFT JOIN clubs_commune fc ON fc.id = c.founding_commune_id
    WHERE %(province)s::bigint IS NULL
       OR (CASE WHEN %(pre)s THEN fc.province_id ELSE c.province_id END) = %(province)s
),
club_spans AS MATERIALIZED (
    SELECT date_trunc('quarter', founded_on)::date AS s,
           date_trunc('quarter', coalesce(dissolved_on, DATE '9999-12-31'))::date AS e,
           count(*) AS n
    FROM scoped GROUP BY 1, 2
),
member_spans AS MATERIALIZED (
    SELECT date_trunc('quarter', greatest(m.joined_on, c.founded_on))::date AS s,
           date_trunc('quarter', least(coalesce(m.left_on, DATE '9999-12-31'),
                                       coalesce(c.dissolved_on, DATE '9999-12-31')))::date AS e,
           count(*) AS n
    FROM members_member m JOIN scoped c ON c.id = m.club_id GROUP BY 1, 2
)
SELECT q.qe,
       (SELECT coalesce(sum(n), 0) FROM club_spans WHERE s <= q.qe AND e > q.qe),
       (SELECT coalesce(sum(n), 0) FROM member_spans WHERE s <= q.qe AND e > q.qe)
FROM q WHERE q.qe <= %(d)s ORDER BY q.qe
"""


def _ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def _copy_database(source_url, copy, reuse):
    """Copy the source database to ``copy``: ``createdb -T`` when no other session uses the
    source, else through ``pg_dump | pg_restore``. With ``reuse``, keep an existing copy."""
    src = urlparse(source_url)
    base = ["-h", src.hostname or "127.0.0.1", "-p", str(src.port or 5432)]
    base += ["-U", src.username or "postgres"]
    url = src._replace(path="/" + copy).geturl()
    exists = (
        subprocess.run(
            ["psql", *base, "-d", copy, "-c", "select 1"], capture_output=True
        ).returncode
        == 0
    )
    if reuse and exists:
        return url
    subprocess.run(["dropdb", *base, "--if-exists", copy], check=True)
    source = src.path.lstrip("/")
    for _attempt in range(6):
        done = subprocess.run(["createdb", *base, "-T", source, copy], capture_output=True)
        if done.returncode == 0:
            return url
        time.sleep(5)
    # the source stays in use (other readers): copy through a dump instead
    subprocess.run(["createdb", *base, copy], check=True)
    dump = subprocess.Popen(["pg_dump", *base, "-Fc", source], stdout=subprocess.PIPE)
    restore = subprocess.run(["pg_restore", *base, "-d", copy, "-j", "1"], stdin=dump.stdout)
    if dump.wait() == 0 and restore.returncode == 0:
        subprocess.run(["psql", *base, "-d", copy, "-qc", "ANALYZE"], check=True)
        return url
    raise SystemExit(f"could not copy {src.path.lstrip('/')}: it stays in use")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-url", default="postgres://postgres@127.0.0.1:5432/ishc_bench")
    parser.add_argument("--copy", default="ishc_bench_dashboard")
    parser.add_argument("--date", default="31/12/2020", help="as-of date, dd/mm/yyyy")
    parser.add_argument("--phase", default="2018-2020")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep an existing copy")
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = _copy_database(args.source_url, args.copy, args.reuse)
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("createcachetable")  # the shared cache of production (CACHE_URL)
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from clubs.models import Club, Era, Province
    from common.dates import months_before
    from members.models import Member
    from reporting.models import Phase

    setup_test_environment()  # response.context for checking the numbers
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    day = datetime.datetime.strptime(args.date, "%d/%m/%Y").date()
    query = {"as_of": args.date, "phase": args.phase}
    board, _ = User.objects.get_or_create(username="bench-board", defaults={"role": "board"})
    client = Client()
    client.force_login(board)

    # the province with the most clubs in the era of the date
    era = Era.of(day)
    path = Club.unit_path(era)
    top_id = (
        Club.objects.active_on(day)
        .values(path)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list(path, flat=True)
        .first()
    )
    top = Province.objects.get(pk=top_id)

    criteria = {c.metric: c for c in Phase.objects.get(code=args.phase).criteria.all()}
    params = {
        "d": day,
        "w": months_before(day, criteria["trained_monitored"].monitoring_months),
        "by": day.year - criteria["older"].age_threshold,
        "bm": day.month,
        "bd": day.day,
    }

    def hand_sql(province_id):
        p = {**params, "province": province_id, "pre": era == Era.PRE2025}
        with connection.cursor() as cur:
            cur.execute(CLUB_SQL, p)
            clubs = cur.fetchall()
            cur.execute(SERIES_SQL, p)
            series = cur.fetchall()
        return clubs, series

    def page(url):
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        return response

    national_url = "/dashboard/"
    province_url = f"/dashboard/province/{top.code}/"
    page(national_url)  # warm up imports and connections
    hand_sql(None)

    results = {}
    for name, url, province_id in (
        ("national", national_url, None),
        (f"province {top.code} {top.short_name}", province_url, top.pk),
    ):
        cold, base, warm = [], [], []
        for _round in range(args.rounds):
            t = time.perf_counter()
            clubs, series = hand_sql(province_id)
            base.append(time.perf_counter() - t)
            cache.clear()
            t = time.perf_counter()
            response = page(url)
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            page(url)
            warm.append(time.perf_counter() - t)
        # the page shows the numbers the hand-written SQL finds
        totals = response.context["totals"]
        assert totals.active_clubs == len(clubs), (totals.active_clubs, len(clubs))
        assert totals.active_members == sum(r[1] for r in clubs)
        assert totals.older_members == sum(r[3] for r in clubs)
        shown = [(p.day, p.clubs, p.members) for p in response.context["series"]]
        assert shown == [(r[0], r[1], r[2]) for r in series], "series differ"
        results[name] = (statistics.median(cold), statistics.median(base), statistics.median(warm))
        print(
            f"{name:28s} clubs {totals.active_clubs:6d}  members {totals.active_members:8d}  "
            f"size {len(response.content) // 1024} KiB"
        )

    print(f"\nas of {args.date}, phase {args.phase}, medians of {args.rounds} rounds")
    print(f"{'page':28s} {'cold page':>11s} {'hand SQL':>11s} {'ratio':>6s} {'repeat':>11s}")
    for name, (cold, base, warm) in results.items():
        print(f"{name:28s} {_ms(cold)} {_ms(base)} {cold / base:6.2f} {_ms(warm)}")

    # one write: the next view recomputes and shows it
    before = page(national_url).context["totals"].active_members
    club = Club.objects.active_on(day).filter(**{path: top}).first()
    Member.objects.create(
        club=club, full_name="Thành viên mới", sex="female", birth_year=1950, joined_on=day
    )
    t = time.perf_counter()
    after = page(national_url).context["totals"].active_members
    elapsed = time.perf_counter() - t
    print(f"\nafter one write: active members {before} -> {after} (recomputed in {_ms(elapsed)})")
    assert after == before + 1


if __name__ == "__main__":
    main()
