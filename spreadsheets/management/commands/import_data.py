"""``python manage.py import_data KIND FILE [--dry-run] [--user USERNAME] [--day-first HEADER]``.

Imports a spreadsheet (.xlsx, .xls, .ods, .csv) of clubs, members, loans, training or
monitoring through the same path as the browser (``spreadsheets.services.import_file``). Exit
status: 0 imported (or, with ``--dry-run``, would import), 1 rejected (every bad row is listed on
stderr), 2 bad call (unknown kind, unreadable path, unknown user). What the browser's preview
says of the file is printed too: the header row found under a title block, the footer rows and
columns not read, the rows read in a particular way, warnings (a namesake already stored) and
date columns whose date cells look month-first (``--day-first HEADER`` reads them day-first).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from spreadsheets import registry
from spreadsheets.services import import_file


class Command(BaseCommand):
    help = "Nhập dữ liệu từ tệp bảng tính (CLB, thành viên, khoản vay, tập huấn, giám sát)."

    def add_arguments(self, parser):
        parser.add_argument("kind", help=", ".join(k.key for k in registry.kinds()))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Kiểm tra, không lưu.")
        parser.add_argument("--user", help="Tên đăng nhập: giới hạn theo tỉnh và ghi lịch sử.")
        parser.add_argument(
            "--day-first",
            action="append",
            default=[],
            metavar="HEADER",
            help="Đọc các ô kiểu ngày của cột này theo ngày/tháng (có thể ghi nhiều lần).",
        )

    def handle(self, *args, kind, file, dry_run, user, day_first, **options):
        keys = [k.key for k in registry.kinds()]
        if kind not in keys:
            raise CommandError(
                f"Loại dữ liệu không hợp lệ «{kind}»; hãy dùng: {', '.join(keys)}.", returncode=2
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp «{file}».", returncode=2)
        account = None
        if user:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"Không có người dùng «{user}».", returncode=2)
            if not account.can_write:
                raise CommandError(f"Người dùng «{user}» chỉ được xem.", returncode=2)
        report = import_file(
            kind=kind,
            content=path.read_bytes(),
            filename=path.name,
            user=account,
            dry_run=dry_run,
            day_first=day_first,
        )
        self.describe(report)
        counts = report.counts
        summary = (
            f"mới {counts['new']}, cập nhật {counts['updated']}, "
            f"không đổi {counts['unchanged']}, lỗi {counts['error']}"
        )
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Tệp bị từ chối, không dòng nào được lưu ({len(report.errors)} lỗi).",
                returncode=1,
            )
        if dry_run:
            self.stdout.write(f"Kiểm tra xong, chưa lưu: {summary}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập: {summary}."))

    def describe(self, report):
        """What the preview would say of how the file was read, on stdout."""
        say = self.stdout.write
        if report.header_row > 1:
            say(f"Dòng tiêu đề cột: dòng {report.header_row}.")
        if report.skipped:
            say(f"Không đọc (tiêu đề của biểu): dòng {', '.join(map(str, report.skipped))}.")
        for row, text in report.footer:
            say(f"Không đọc (cuối biểu): dòng {row}: {text}")
        if report.unread:
            say("Các cột không đọc: " + ", ".join(f"«{h}»" for h in report.unread) + ".")
        for header in report.day_first:
            say(f"Các ô kiểu ngày của cột «{header}» được đọc theo ngày/tháng.")
        for flagged in report.month_first:
            say(
                f"Cảnh báo: cột «{flagged.header}»: {flagged.reason} Dùng --day-first "
                f"«{flagged.header}» để đọc theo ngày/tháng."
            )
        for row in report.rows:
            for note in row.notes:
                say(f"Dòng {row.row}: {note}")
            for warning in row.warnings:
                say(f"Cảnh báo: dòng {row.row}: {warning}")
