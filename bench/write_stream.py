"""Benchmark: pages read while a stream of imports writes, with kept per-club figures.

Against a PostgreSQL database holding the 10x data (``bench/generate.py``), in one process
(Django's test client, a process-local cache: the figures themselves are kept in the
database), for ``--batches`` rounds: import a 500-row members .csv into one province (the
provinces take turns, as ``bench/loadtest.py`` does), then open

- the national dashboard right after the import (its cached value is stale: the figures of
  the written clubs are counted again, the others read as kept), and again (warm);
- the dashboard of the province just written, and an officer's home page of that province;
- one touched club's figures refreshed on their own (``reporting.figures.club_counts``).

Baseline, in the same run with the same session settings: one hand-written SQL statement
computing every club's counts from scratch (``bench/compliance_bench.py``'s ``HAND_SQL``).
Prints median and p95 of each, the ratios to the baseline and the hit rate of kept figures.
The imported members are deleted at the end.

    python bench/generate.py --database-url postgres://postgres@127.0.0.1:5432/ishc_bench
    python bench/write_stream.py --database-url postgres://postgres@127.0.0.1:5432/ishc_bench
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ishc_bench")
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args(argv)
    os.environ.update(
        DATABASE_URL=args.database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        CACHE_URL="locmemcache://",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from bench.compliance_bench import HAND_SQL, hand_params, session_settings
    from bench.loadtest import import_batch
    from clubs.models import OfficerAssignment, Province
    from members.models import Member
    from reporting.cache import mark_changed
    from reporting.figures import Stats, club_counts

    call_command("collectstatic", "--no-input", verbosity=0)  # the pages' hashed static names
    today = timezone.localdate()
    print(f"session settings (both sides): {session_settings()}; as of {today}")

    User.objects.filter(username__startswith="stream_").delete()
    admin = User.objects.create_user(
        "stream_admin", password="x" * 12, role="admin", is_staff=True, is_superuser=True
    )
    board = User.objects.create_user("stream_board", password="x" * 12, role="board")
    officers = {}
    prefix = "WS" + secrets.token_hex(3)

    params = hand_params(today)

    def hand():
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, params)
            return cursor.fetchall()

    def timed(fn, *args):
        t0 = time.perf_counter()
        fn(*args)
        return time.perf_counter() - t0

    board_client = Client()
    board_client.force_login(board)
    # Warm start: today's figures kept (as the nightly build leaves them), pages rendered once.
    t0 = time.perf_counter()
    assert board_client.get("/dashboard/").status_code == 200
    print(f"first national view of the day (counting every club): {time.perf_counter() - t0:.2f} s")
    hand()

    times = {k: [] for k in ("sql", "national_after", "national_warm", "province", "home", "club")}
    imported = 0
    for batch in range(args.batches):
        rows, why = import_batch(prefix, batch, args.batch_size, admin)
        assert rows, why
        imported += rows
        written = Member.objects.filter(code__startswith=f"{prefix}-{batch}-")
        province_id = written.values_list("club__province_id", flat=True).first()
        province = Province.objects.get(pk=province_id)
        if province_id not in officers:
            officer = User.objects.create_user(
                f"stream_officer_{province.code}", password="x" * 12, role="officer"
            )
            OfficerAssignment.objects.create(user=officer, province=province)
            client = Client()
            client.force_login(officer)
            officers[province_id] = client
        times["national_after"].append(timed(lambda: board_client.get("/dashboard/")))
        times["national_warm"].append(timed(lambda: board_client.get("/dashboard/")))
        times["province"].append(timed(board_client.get, f"/dashboard/province/{province.code}/"))
        times["home"].append(timed(officers[province_id].get, "/"))
        club_id = written.values_list("club_id", flat=True).first()
        mark_changed([club_id])
        times["club"].append(timed(club_counts, [club_id], today))
        times["sql"].append(timed(hand))

    Member.objects.filter(code__startswith=prefix).delete()
    User.objects.filter(username__startswith="stream_").delete()

    sql = statistics.median(times["sql"])
    print(f"{args.batches} imports of {args.batch_size} rows ({imported} members, deleted after)")
    print(f"{'page':<34} {'median':>9} {'p95':>9} {'÷ SQL':>7}")
    labels = {
        "sql": "hand-written SQL, from scratch",
        "national_after": "national dashboard after import",
        "national_warm": "national dashboard, warm",
        "province": "province dashboard after import",
        "home": "officer's home after import",
        "club": "one touched club refreshed",
    }
    for key, label in labels.items():
        med = statistics.median(times[key])
        print(
            f"{label:<34} {med * 1000:>7.0f}ms {p95(times[key]) * 1000:>7.0f}ms {med / sql:>6.2f}x"
        )
    total = Stats.kept + Stats.refreshed
    print(f"kept figures hit rate: {Stats.kept / total:.1%} ({Stats.refreshed} rows counted again)")
    print("goals: national after import <= 0.25x SQL; one club < 50 ms; warm national < 100 ms")


if __name__ == "__main__":
    main()
