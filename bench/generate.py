"""Generate a 10x dataset of the 2018–2020 scale on PostgreSQL.

20,000 clubs, 1,020,000 members of whom 1,000,000 active (with about 1,220,000 household
assessments), 600,000 loans, 2,000 training sessions with 40,000 club attendances, 60,000
monitoring visits, a monthly meeting of every club, about 2,000,000 monthly activity records,
the loans' repayment instalments, both funds of (nearly) every club and their movements. Clubs
are founded from 2016 to 2024 in real old-era communes (and so have a new-era commune and
province too). The shares are those of real clubs under the 1336 standard in 2026, like the
demo's: one club in 25 has too many women, one in 25 too many older members, one in 12 lent to
too few members, one in 10 was not monitored in the last 12 months (about 80% compliant), so the
benchmarks exercise passing and failing clubs.
``--scale 0.1`` and ``--scale 0.3`` give the 1x and 3x data of the cost-growth table
(``bench/growth.py``).

Usage (the database is created, migrated and loaded with the units; existing data is replaced):

    python bench/generate.py --database-url postgres://postgres@127.0.0.1:5432/ishc_bench

The rows are inserted with server-side ``generate_series`` statements: the generator is about
the data, not about the ORM, and takes about a minute. Deterministic: the same rows every run.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]

#: At ``--scale 1`` (10x the 2018-2020 scale); ``--scale 0.1`` and ``0.3`` give 1x and 3x.
CLUBS = 20_000
MEMBERS_PER_CLUB = 51
LOANS = 600_000
SESSIONS = 2_000
ATTENDANCES_PER_CLUB = 2
VISITS_PER_CLUB = 3


def statements(clubs: int, loans: int, sessions: int) -> list[str]:
    """The generating statements for ``clubs`` clubs (``MEMBERS_PER_CLUB`` members each),
    ``loans`` loans and ``sessions`` training sessions."""
    return [
        # Clubs: founded 2016-01-01 .. 2024-12-31, 2% dissolved about 14 months later.
        f"""
    INSERT INTO clubs_club (code, name, search_key, commune_id, founding_commune_id, province_id,
                            village, founded_on, dissolved_on)
    SELECT 'B' || lpad(g::text, 6, '0'), 'CLB liên thế hệ ' || g, 'clb lien the he ' || g,
           (SELECT s.new_id FROM clubs_communesuccession s
             WHERE s.old_id = o.id AND s.is_default LIMIT 1),
           o.id, p.successor_id, 'Thôn ' || (g % 40 + 1),
           DATE '2016-01-01' + ((g * 7919) % 3287),
           CASE WHEN g % 50 = 0 THEN DATE '2016-01-01' + ((g * 7919) % 3287) + 420 END
    FROM generate_series(1, {clubs}) g
    JOIN (SELECT c.id, c.province_id, row_number() OVER (ORDER BY c.code) AS rn
            FROM clubs_commune c WHERE c.era = 'pre2025') o
      ON o.rn = 1 + (g * 104729) % 10035
    JOIN clubs_province p ON p.id = o.province_id
    """,
        # Members: 51 per club, one of whom left (so 50 active, the 1336 size's floor); 65% women
        # (about 33 of 50); born 1935..1984, each year once a club (so about 64% are 60 or older in
        # 2026, inside the 1336 standard's 60-70%), one in seven by year only; joined within 200
        # days of the founding.
        f"""
    INSERT INTO members_member (club_id, code, full_name, search_key, given_name_key, sex,
                                birth_year, birth_month, birth_day, joined_on, left_on,
                                leave_reason, is_board_member, is_home_care_volunteer,
                                national_id, phone, note)
    SELECT c.id, 'TV' || ((m - 1) % {MEMBERS_PER_CLUB} + 1),
           'Nguyễn Thị ' || m, 'nguyen thi ' || m, m::text,
           CASE WHEN (m * 31) % 100 < CASE WHEN ((m - 1) / {MEMBERS_PER_CLUB}) % 25 = 0
                                            THEN 85 ELSE 65 END
                THEN 'female' ELSE 'male' END,
           CASE WHEN ((m - 1) / {MEMBERS_PER_CLUB}) % 25 = 1 THEN 1925 + (m * 17) % 30
                ELSE 1935 + (m * 17) % 50 END,
           CASE WHEN m % 7 = 0 THEN NULL ELSE 1 + m % 12 END,
           CASE WHEN m % 7 = 0 THEN NULL ELSE 1 + m % 28 END,
           c.founded_on + (m % 200),
           CASE WHEN m % {MEMBERS_PER_CLUB} = 0 THEN c.founded_on + (m % 200) + 500 END,
           CASE WHEN m % {MEMBERS_PER_CLUB} = 0 THEN 'moved' ELSE '' END,
           (m % {MEMBERS_PER_CLUB}) < 7, m % 25 = 0, '', '', ''
    FROM generate_series(1, {clubs * MEMBERS_PER_CLUB}) m
    JOIN clubs_club c ON c.id = (SELECT min(id) FROM clubs_club) + (m - 1) / {MEMBERS_PER_CLUB}
    """,
        # Household assessments: one at joining for every member (65% poor, near-poor or
        # disadvantaged), and a re-certification two years later for one in five (the same status
        # but for one in ten of them, who left poverty).
        """
    INSERT INTO members_householdassessment (member_id, assessed_on, status)
    SELECT id, joined_on,
           CASE WHEN id % 100 < 30 THEN 'poor' WHEN id % 100 < 50 THEN 'near_poor'
                WHEN id % 100 < 65 THEN 'disadvantaged' ELSE 'none' END
    FROM members_member
    UNION ALL
    SELECT id, joined_on + 730,
           CASE WHEN id % 50 = 0 THEN 'none' WHEN id % 100 < 30 THEN 'poor'
                WHEN id % 100 < 50 THEN 'near_poor' WHEN id % 100 < 65 THEN 'disadvantaged'
                ELSE 'none' END
    FROM members_member WHERE id % 5 = 0
    """,
        # Loans: 600,000 over the members (some members borrow twice); 60% improved, 20% not
        # improved, 20% not yet assessed.
        f"""
    INSERT INTO loans_loan (member_id, club_id, code, kind, amount_vnd, item, disbursed_on,
                            due_on, repaid_on, income_outcome, outcome_assessed_on)
    SELECT mm.id, mm.club_id, 'V' || k,
           CASE WHEN k % 4 = 0 THEN 'in_kind' ELSE 'cash' END,
           1000000 * (1 + k % 10),
           CASE WHEN k % 4 = 0 THEN '1 con bê' ELSE '' END,
           mm.joined_on + 30 + k % 300, mm.joined_on + 395 + k % 300,
           CASE WHEN k % 3 = 0 THEN mm.joined_on + 380 + k % 300 END,
           CASE WHEN k % 10 < 6 THEN 'improved' WHEN k % 10 < 8 THEN 'not_improved' ELSE '' END,
           CASE WHEN k % 10 < 8 THEN mm.joined_on + 400 + k % 300 END
    FROM generate_series(1, {loans}) k
    JOIN members_member mm
      ON mm.id = (SELECT min(id) FROM members_member)
                 + ((k::bigint * 7) % {clubs * MEMBERS_PER_CLUB})
    WHERE NOT (mm.club_id % 12 = 0 AND k % 3 <> 0)
    """,
        f"""
    INSERT INTO training_trainingsession (code, title, held_on, level, province_id)
    SELECT 'L' || s, 'Lớp tập huấn ' || s, DATE '2016-03-01' + (s * 13) % 3300,
           CASE WHEN s % 10 = 0 THEN 'tot' WHEN s % 10 = 1 THEN 'model' ELSE 'provincial' END,
           NULL
    FROM generate_series(1, {sessions}) s
    """,
        f"""
    INSERT INTO training_attendance (session_id, club_id, participants)
    SELECT DISTINCT ON (sid, c.id) sid, c.id, 5
    FROM clubs_club c
    CROSS JOIN generate_series(0, {ATTENDANCES_PER_CLUB - 1}) a
    CROSS JOIN LATERAL (SELECT (SELECT min(id) FROM training_trainingsession)
                               + ((c.id * 3 + a * 1009) % {sessions}) AS sid) x
    """,
        f"""
    INSERT INTO training_monitoringvisit (club_id, visited_on, monitor, notes)
    SELECT c.id,
           CASE WHEN v < {VISITS_PER_CLUB - 1} OR c.id % 10 = 0
                THEN c.founded_on + (90 + v * 300 + c.id % 60)::int
                ELSE GREATEST(c.founded_on + 1, DATE '2025-08-01' + (c.id % 300)::int) END,
           'Cán bộ tỉnh', ''
    FROM clubs_club c CROSS JOIN generate_series(0, {VISITS_PER_CLUB - 1}) v
    ON CONFLICT DO NOTHING
    """,
        # Monthly meetings: the 5th of each month from the club's third month to November
        # 2026, about four in five of its members present; one club in 20 skips every third.
        f"""
    INSERT INTO activities_meeting (club_id, held_on, attendees, topics)
    SELECT c.id, m::date + 4, {MEMBERS_PER_CLUB} * 4 / 5, 'Sinh hoạt định kỳ'
    FROM clubs_club c
    CROSS JOIN LATERAL generate_series(
        date_trunc('month', c.founded_on) + interval '2 month', DATE '2026-11-01',
        interval '1 month') m
    WHERE c.id % 20 <> 0 OR extract(month FROM m)::int % 3 <> 0
    """,
        # Instalments: every loan repaid in full in one instalment on its repaid_on (as the
        # migration that brought instalments did), and a third of the amount half-way to the
        # due date on one open loan in five.
        """
    INSERT INTO loans_repayment (loan_id, paid_on, amount_vnd)
    SELECT id, repaid_on, amount_vnd FROM loans_loan WHERE repaid_on IS NOT NULL
    UNION ALL
    SELECT id, disbursed_on + (due_on - disbursed_on) / 2, amount_vnd / 3
    FROM loans_loan WHERE repaid_on IS NULL AND id % 5 = 0
    """,
        # Activities: each kind in force held in one month in two of the 24 months to
        # November 2026 (from the club's founding), about half the members taking part.
        f"""
    INSERT INTO activities_activityrecord (club_id, kind_id, month, held, participants, visits)
    SELECT c.id, k.id, m::date, true, {MEMBERS_PER_CLUB} / 2,
           CASE WHEN k.counts_visits THEN 8 END
    FROM clubs_club c
    CROSS JOIN activities_activitykind k
    CROSS JOIN LATERAL generate_series(
        GREATEST(date_trunc('month', c.founded_on), DATE '2024-12-01'), DATE '2026-11-01',
        interval '1 month') m
    WHERE k.starts_on <= m::date AND (c.id + k.id + extract(month FROM m)::int) % 2 = 0
    """,
        # Funds: every club's revolving fund, and an activity fund for nine clubs in ten, set up
        # when the club was founded.
        """
    INSERT INTO loans_fund (club_id, kind, opened_on)
    SELECT id, 'revolving', founded_on FROM clubs_club
    UNION ALL
    SELECT id, 'activity', founded_on FROM clubs_club WHERE id % 10 <> 0
    """,
        # Fund movements: the project's grant at the founding (revolving), then each year the
        # members' contribution in January (both funds), interest in December (revolving) and
        # spending in June and November (activity), to 2026.
        """
    INSERT INTO loans_fundmovement (fund_id, moved_on, kind, amount_vnd, note)
    SELECT f.id, f.opened_on, 'grant_project', 30000000, 'Vốn hỗ trợ ban đầu'
    FROM loans_fund f WHERE f.kind = 'revolving'
    UNION ALL
    SELECT f.id, make_date(y, 1, 15), 'contribution',
           CASE WHEN f.kind = 'revolving' THEN 5000000 ELSE 2500000 END, 'Đóng góp năm'
    FROM loans_fund f CROSS JOIN generate_series(2016, 2026) y
    WHERE make_date(y, 1, 15) > f.opened_on
    UNION ALL
    SELECT f.id, make_date(y, 12, 20), 'interest', 800000, 'Phí sử dụng vốn'
    FROM loans_fund f CROSS JOIN generate_series(2016, 2025) y
    WHERE f.kind = 'revolving' AND make_date(y, 12, 20) > f.opened_on
    UNION ALL
    SELECT f.id, make_date(y, mo, 10), 'spending', 1000000, 'Hoạt động của CLB'
    FROM loans_fund f CROSS JOIN generate_series(2016, 2026) y CROSS JOIN (VALUES (6), (11)) s(mo)
    WHERE f.kind = 'activity' AND make_date(y, mo, 10) > f.opened_on
    """,
        # Every club's change counter, and a move of the unscoped one: nothing cached for the
        # previous data is reachable.
        "INSERT INTO reporting_clubstate (club_id, seq) SELECT id, 0 FROM clubs_club",
        "UPDATE reporting_dataversion SET unscoped = unscoped + 1",
        "ANALYZE",
    ]


TABLES = (
    "loans_fundmovement, loans_fund, loans_repayment, activities_activityrecord, "
    "activities_meeting, training_monitoringvisit, training_attendance, training_trainingsession, "
    "loans_loan, members_householdassessment, members_member, clubs_club"
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ishc_bench")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10x, 0.1 = 1x, 0.3 = 3x")
    args = parser.parse_args(argv)
    url = urlparse(args.database_url)
    name = url.path.lstrip("/")
    env = {**os.environ, "DATABASE_URL": args.database_url, "SECRET_KEY": "bench-only"}

    import psycopg

    admin_url = args.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    for command in (["migrate", "--no-input", "-v0"], ["load_units"]):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *command], env=env, check=True, cwd=ROOT
        )
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
        sizes = (round(CLUBS * args.scale), round(LOANS * args.scale), round(SESSIONS * args.scale))
        for statement in statements(*sizes):
            t0 = time.perf_counter()
            conn.execute(statement)
            first = " ".join(statement.split())[:60]
            print(f"{time.perf_counter() - t0:7.1f} s  {first}")
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in [t.strip() for t in TABLES.split(",")]
        }
    print(f"done in {time.perf_counter() - started:.0f} s: {counts}")


if __name__ == "__main__":
    main()
