"""``python manage.py import_data KIND FILE [--dry-run] [--user USERNAME]``.

Imports a spreadsheet (.xlsx, .xls, .ods, .csv) of clubs, members, loans, training or
monitoring through the same path as the browser (``spreadsheets.services.import_file``). Exit
status: 0 imported (or, with ``--dry-run``, would import), 1 rejected (every bad row is listed on
stderr), 2 bad call (unknown kind, unreadable path, unknown user).
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

    def handle(self, *args, kind, file, dry_run, user, **options):
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
            kind=kind, content=path.read_bytes(), filename=path.name, user=account, dry_run=dry_run
        )
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
