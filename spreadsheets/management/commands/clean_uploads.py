"""``python manage.py clean_uploads``: delete uploads kept longer than their preview's token
lives (6 hours), spooled request files left by killed requests, and the create forms' claimed
tokens older than two days (``accounts.submissions``; README, "Scheduled work"). Run it every
hour by cron or a systemd timer."""

from django.core.management.base import BaseCommand

from accounts import submissions
from spreadsheets import uploads


class Command(BaseCommand):
    help = "Xoá các tệp đã tải lên quá hạn xem trước (6 giờ) và tệp tạm của yêu cầu bị ngắt."

    def handle(self, *args, **options):
        removed = uploads.remove_expired()
        tokens = submissions.forget_old()
        self.stdout.write(f"Đã xoá {removed} tệp, {tokens} mã biểu mẫu cũ.")
