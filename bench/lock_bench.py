"""Benchmark: the cost of the lock on accepted periods on the write paths, on PostgreSQL.

    python bench/lock_bench.py --database-url postgres://USER@HOST:5432/DBNAME [--saves N]
        [--members N] [--repeat N]

Works on a copy of the bench database (``bench/generate.py``), migrated. Each round times, in
the same run: ``--saves`` monitoring visits saved one by one through the model (the path of the
forms and the admin: ``track``'s checks before each save) and an import of ``--members``
members from an .xlsx (``spreadsheets.services.import_file``: every row checked in one call),
first with the lock's receiver disconnected (the baseline: the product before the lock), then
connected with every new-era province accepted for Q3/2025 (each write dated after the period
is checked in full and let through). Everything written is rolled back. Prints each round, the
best time of each side and their ratio.
"""

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction
    from openpyxl import Workbook

    from clubs.models import Club, Era, Province
    from common.signals import data_changing
    from members.resources import MEMBER_COLUMNS
    from spreadsheets.services import import_file
    from submissions import locks
    from submissions.models import Period, Status, Submission
    from training.models import MonitoringVisit

    period = Period.objects.get(ends_on=datetime.date(2025, 9, 30))
    day = datetime.date(2025, 11, 2)  # after the period: every write is checked and goes through
    clubs = list(
        Club.objects.filter(founded_on__lte=datetime.date(2024, 1, 1), dissolved_on__isnull=True)
        .exclude(monitoring_visits__visited_on=day)
        .order_by("pk")
        .values_list("pk", "code")[: max(args.saves, 200)]
    )
    headers = [c.header for c in MEMBER_COLUMNS]
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for i in range(args.members):
        row = {h: "" for h in headers}
        row.update(
            {
                "Mã CLB": clubs[i % 200][1],
                "Họ và tên": f"Nguyễn Thị Đo {i}",
                "Giới tính": "Nữ",
                "Ngày sinh": "1950",
                "Hoàn cảnh": "Hộ nghèo",
                "Ngày tham gia": "01/11/2025",
            }
        )
        sheet.append([row[h] for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()

    def saves():
        started = time.perf_counter()
        try:
            with transaction.atomic():
                for i in range(args.saves):
                    MonitoringVisit(club_id=clubs[i % len(clubs)][0], visited_on=day).save()
                raise Rollback
        except Rollback:
            pass
        return time.perf_counter() - started

    def an_import():
        started = time.perf_counter()
        try:
            with transaction.atomic():
                report = import_file(kind="members", content=content, filename="m.xlsx")
                assert report.imported, report.errors[:3]
                raise Rollback
        except Rollback:
            pass
        return time.perf_counter() - started

    def accepted():
        with transaction.atomic():
            for province in Province.objects.filter(era=Era.POST2025):
                Submission.objects.update_or_create(
                    period=period, province=province, defaults={"status": Status.ACCEPTED}
                )

    accepted()
    best = {}
    for n in range(1, args.repeat + 1):
        data_changing.disconnect(dispatch_uid="submissions-lock")
        base = (saves(), an_import())
        data_changing.connect(locks.refuse_locked, dispatch_uid="submissions-lock")
        lock = (saves(), an_import())
        print(
            f"round {n}: {args.saves} saves {base[0]:.2f} s without the lock, {lock[0]:.2f} s "
            f"with it; import of {args.members} members {base[1]:.2f} s / {lock[1]:.2f} s"
        )
        for key, value in zip(
            ("save0", "import0", "save1", "import1"), (*base, *lock), strict=True
        ):
            best[key] = min(best.get(key, value), value)
    Submission.objects.filter(period=period).delete()
    print(
        f"best: saves {best['save0']:.2f} s → {best['save1']:.2f} s "
        f"(×{best['save1'] / best['save0']:.2f}); import {best['import0']:.2f} s → "
        f"{best['import1']:.2f} s (×{best['import1'] / best['import0']:.2f})"
    )


if __name__ == "__main__":
    main()
