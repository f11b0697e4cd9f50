"""``python manage.py clean_uploads``: delete uploads kept longer than their preview's token
lives (6 hours) and spooled request files left by killed requests (README, "Scheduled
work"). Run it every hour by cron or a systemd timer."""

from django.core.management.base import BaseCommand

from spreadsheets import uploads


class Command(BaseCommand):
    help = "Xoá các tệp đã tải lên quá hạn xem trước (6 giờ) và tệp tạm của yêu cầu bị ngắt."

    def handle(self, *args, **options):
        removed = uploads.remove_expired()
        self.stdout.write(f"Đã xoá {removed} tệp.")
