"""Anonymise members who left: those past the retention period (for a daily cron job), or the
members given by ``--member`` (a person's request)."""

from django.core.management.base import BaseCommand, CommandError

from members.models import Member
from members.privacy import anonymisation_due, anonymise


class Command(BaseCommand):
    help = (
        "Ẩn danh hoá thành viên đã rời CLB: quá thời hạn lưu giữ (chạy hằng ngày), "
        "hoặc các thành viên chỉ định bằng --member."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--member",
            type=int,
            action="append",
            default=[],
            help="id of a member who left, to anonymise now (repeatable)",
        )
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")

    def handle(self, *args, member, dry_run, **options):
        if member:
            members = list(Member.objects.filter(pk__in=member))
            missing = set(member) - {m.pk for m in members}
            if missing:
                raise CommandError(f"no member with id {sorted(missing)}")
            active = [m.pk for m in members if m.left_on is None]
            if active:
                raise CommandError(f"members {active} have not left their club")
            reason = "Ẩn danh hoá theo yêu cầu"
        else:
            members = list(anonymisation_due())
            reason = "Ẩn danh hoá khi hết thời hạn lưu giữ"
        if not dry_run:
            for m in members:
                anonymise(m, reason=reason)
        verb = "would anonymise" if dry_run else "anonymised"
        self.stdout.write(f"{verb} {len(members)} member(s)")
