"""Load test on loopback: signed-in users browse while an import writes members

Runs gunicorn (``make serve``'s settings, plain HTTP on 127.0.0.1) against a PostgreSQL
database that already holds data (``bench/generate.py``), then:

1. a baseline: 1 user browsing for ``--baseline`` seconds, nothing else running;
2. the load: ``--users`` users (default 50; 40 officers, the rest administrators) browsing the
   pages of ``bench/locustfile.py`` (home, club list and club pages, national and province
   dashboards) for ``--duration`` seconds (default 120) while this process imports members
   in batches through the real import service (``spreadsheets.services.import_file``, a members .csv
   of ``--batch-size`` new members per batch, signed as an administrator);
3. checks: no failed request, no refused import, every imported row present exactly once
   (members before + imported == members after, no member code twice in a club).

Bounded: each user stops after ``LOAD_MAX_REQUESTS_PER_USER`` requests (default 150), locust
after the duration, the import after the duration or ``--import-rows``. Only a loopback host
is accepted. Usage::

    python bench/generate.py --database-url postgres://postgres@127.0.0.1:5432/ishc_load
    python bench/loadtest.py --database-url postgres://postgres@127.0.0.1:5432/ishc_load

Prints p50/p95/max latency per page and overall, and the p95 ratio to the baseline.
"""

import argparse
import math
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "bench-" + secrets.token_hex(8)


def django_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no redirect to HTTPS, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "LOAD_PASSWORD": PASSWORD,
    }


def setup_django(env: dict):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(officers: int, admins: int):
    """Migrate, cache table, static files, today's kept figures, and the load users (officers
    get one new-era province that has clubs, most clubs first, and view rights on clubs and
    members)."""
    from django.contrib.auth.models import Permission
    from django.core.management import call_command
    from django.db.models import Count

    from accounts.models import User
    from clubs.models import Club, Era, OfficerAssignment, Province

    call_command("migrate", "--no-input", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    # Today's figures kept, as the nightly scheduled keep_figures leaves them in production
    # (README): the load measures a working day, not the first view after the data was made.
    call_command("keep_figures", verbosity=0)
    view = Permission.objects.filter(
        content_type__app_label__in=["clubs", "members"], codename__startswith="view_"
    )
    provinces = list(
        Province.objects.filter(era=Era.POST2025)
        .annotate(n=Count("clubs"))
        .filter(n__gt=0)
        .order_by("-n", "code")
    )
    assert provinces, "no clubs: run bench/generate.py first"
    User.objects.filter(username__startswith="bench_").delete()
    for i in range(1, officers + 1):
        user = User.objects.create_user(
            f"bench_officer_{i}", password=PASSWORD, role="officer", is_staff=True
        )
        user.user_permissions.set(view)
        OfficerAssignment.objects.create(user=user, province=provinces[(i - 1) % len(provinces)])
    for i in range(1, admins + 1):
        User.objects.create_user(
            f"bench_admin_{i}", password=PASSWORD, role="admin", is_staff=True, is_superuser=True
        )
    return Club.objects.count(), len({p.code for p in provinces[:officers]})


MEMBER_HEADERS = ["Mã CLB", "Mã thành viên", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
MEMBER_HEADERS += ["Ngày tham gia", "Ban Chủ nhiệm", "Số điện thoại"]
STATUSES = ["Hộ nghèo", "Hộ cận nghèo", "Khó khăn", "Không"]


def members_csv(prefix: str, batch: int, size: int, user) -> bytes:
    """A members .csv (UTF-8, the Vietnamese headers of the members template) of ``size`` new
    members (codes ``<prefix>-<batch>-<i>``) of active clubs ``user`` may see, each joining on
    or after its club's founding date (dd/mm/yyyy). As a province's officer would, each batch
    is one province's register: the provinces take turns, batch by batch."""
    import csv
    import datetime
    import io

    from django.utils import timezone

    from clubs.models import Club

    today = timezone.localdate()
    provinces = sorted(set(Club.objects.values_list("province_id", flat=True)))
    clubs = list(
        Club.objects.for_user(user)
        .filter(dissolved_on__isnull=True, founded_on__lte=today)
        .filter(province_id=provinces[batch % len(provinces)])
        .order_by("?")
        .values_list("code", "founded_on")[:size]
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEMBER_HEADERS)
    for i in range(size):
        code, founded_on = clubs[i % len(clubs)]
        joined_on = min(today, founded_on + datetime.timedelta(days=i % 90))
        writer.writerow(
            [
                code,
                f"{prefix}-{batch}-{i}",
                f"Nguyễn Văn Nhập {batch} {i}",
                "Nam" if i % 3 else "Nữ",
                f"{15 + i % 13:02d}/{1 + i % 12:02d}/{1950 + i % 20}" if i % 2 else 1950 + i % 20,
                STATUSES[i % len(STATUSES)],
                joined_on.strftime("%d/%m/%Y"),
                "Có" if i % 10 == 0 else "Không",
                f"09{i % 10**8:08d}",
            ]
        )
    return out.getvalue().encode("utf-8")


def import_batch(prefix: str, batch: int, size: int, user) -> tuple[int, str]:
    """Import one members .csv of ``size`` new members through the real import service (one
    transaction, bumping the data version). Returns ``(rows imported, "")``, or ``(0, why)``
    when the import was refused."""
    from spreadsheets.services import import_file

    content = members_csv(prefix, batch, size, user)
    report = import_file(kind="members", content=content, filename="batch.csv", user=user)
    counts = report.counts
    if not report.imported or not report.ok or counts["new"] != size:
        first = report.errors[0] if report.errors else None
        return 0, f"imported={report.imported} counts={counts} first error={first}"
    return counts["new"], ""


def run_locust(host, users, seconds, officers, times_file, env):
    return subprocess.Popen(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            host,
            "--users",
            str(users),
            "--spawn-rate",
            "10",
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--officers",
            str(officers),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**env, "LOAD_TIMES_FILE": str(times_file)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def read_times(path) -> list[tuple[str, float, bool]]:
    with open(path) as f:
        return [
            (n, float(ms), ok == "1") for n, ms, ok in (line.rstrip("\n").split("\t") for line in f)
        ]


def percentile(values, share) -> float:
    """The nearest-rank percentile (``share`` 0..1) of ``values`` in ms."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def summary(times) -> str:
    ms = [t for _, t, _ in times]
    fails = sum(1 for *_, ok in times if not ok)
    return (
        f"{len(ms):>8} {fails:>5} {percentile(ms, 0.5):>7.0f} {percentile(ms, 0.95):>7.0f} "
        f"{max(ms, default=0):>7.0f}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ishc_load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--officers", type=int, default=40)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--baseline", type=int, default=20, help="seconds of 1-user baseline")
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (make serve)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--import-rows", type=int, default=50_000)
    args = parser.parse_args(argv)

    host = f"http://127.0.0.1:{args.port}"
    env = django_env(args.database_url)
    setup_django(env)
    assert args.users > args.officers, "at least one administrator (it signs the import)"
    clubs, provinces = prepare(args.officers, args.users - args.officers)
    print(
        f"{clubs} clubs; {args.officers} officers over {provinces} provinces; "
        f"gunicorn with {args.workers} workers of {args.threads} threads on {host}"
    )

    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--keep-alive",
            "75",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    out = Path(tempfile.mkdtemp(prefix="loadtest-"))
    try:
        time.sleep(3)
        base = run_locust(host, 1, args.baseline, 0, out / "base.tsv", env)
        base.wait()
        baseline = read_times(out / "base.tsv")

        from accounts.models import User
        from members.models import Member

        importer = User.objects.get(username="bench_admin_1")
        prefix = "L" + secrets.token_hex(3)
        before = Member.objects.count()
        load = run_locust(host, args.users, args.duration, args.officers, out / "load.tsv", env)
        written = batches = 0
        refused: list[str] = []
        started = time.monotonic()
        while load.poll() is None and written < args.import_rows:
            if time.monotonic() - started < args.duration:
                rows, why = import_batch(prefix, batches, args.batch_size, importer)
                written += rows
                batches += 1
                if why:
                    refused.append(f"batch {batches - 1}: {why}")
            time.sleep(1)
        import_seconds = time.monotonic() - started
        load.wait()
        times = read_times(out / "load.tsv")
    finally:
        server.terminate()
        server.wait(timeout=30)

    from django.db.models import Count

    imported = Member.objects.filter(code__startswith=prefix + "-")
    present = imported.count()
    duplicates = imported.values("club_id", "code").annotate(n=Count("id")).filter(n__gt=1).count()
    after = Member.objects.count()

    print(f"\n{'page':45} {'requests':>8} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for name in sorted({n for n, _, _ in times}):
        print(f"{name[:45]:45} {summary([t for t in times if t[0] == name])}")
    browse = [t for t in times if not t[0].startswith("/login/")]
    base_browse = [t for t in baseline if not t[0].startswith("/login/")]
    print(f"{'all pages (sign-in excluded)':45} {summary(browse)}")
    failed = sum(1 for *_, ok in times if not ok)
    p95 = percentile([t for _, t, _ in browse], 0.95)
    base_p95 = percentile([t for _, t, _ in base_browse], 0.95)
    print(
        f"\nbaseline (1 user, {args.baseline} s, no import): {len(base_browse)} page requests, "
        f"p95 {base_p95:.0f} ms"
    )
    print(
        f"load ({args.users} users, {args.duration} s, import running): {len(times)} requests, "
        f"{failed} failed; pages p95 {p95:.0f} ms = {p95 / max(base_p95, 1):.1f} x baseline"
    )
    print(
        f"import: {written} rows in {batches} batches ({len(refused)} refused) over "
        f"{import_seconds:.0f} s; present {present}, duplicated {duplicates}, "
        f"members {before} -> {after} ({before} + {written} = {before + written})"
    )
    for why in refused[:5]:
        print(f"  refused {why}")
    from django.db import connection, transaction

    from reporting.cache import mark_changed

    # Remove the imported rows, their history included, marking their clubs changed as every
    # write path does (the next run must not read figures kept with these rows counted).
    with transaction.atomic(), connection.cursor() as cursor:
        ids = "SELECT id FROM members_member WHERE code LIKE %s"
        like = [prefix + "-%"]
        cursor.execute("SELECT DISTINCT club_id FROM members_member WHERE code LIKE %s", like)
        mark_changed([club_id for (club_id,) in cursor.fetchall()])
        for table in ("members_historicalhouseholdassessment", "members_householdassessment"):
            cursor.execute(f"DELETE FROM {table} WHERE member_id IN ({ids})", like)  # noqa: S608
        cursor.execute("DELETE FROM members_historicalmember WHERE code LIKE %s", like)
        cursor.execute("DELETE FROM members_member WHERE code LIKE %s", like)
    ok = (
        failed == 0
        and not refused
        and present == written
        and duplicates == 0
        and after == before + written
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
