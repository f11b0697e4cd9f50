"""``python manage.py keep_figures [--date YYYY-MM-DD]``: build the kept club figures of a date
(default today, Asia/Ho_Chi_Minh) for every active club, the national dashboard's province
parts and each province's dashboard in the shared cache, keep for good today, the quarter ends
and the phase ends, and evict the other dates not used for ``FIGURES_KEEP_DAYS`` days.

Run it shortly after midnight (cron or a systemd timer; README) so that the first viewer of
the day does not count 20,000 clubs: ages and monitoring windows move with the date. It only
counts clubs whose kept rows are missing or stale, so running it twice costs little.
"""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from clubs.models import Club, Era, Province
from reporting.dashboard import province_head
from reporting.figures import club_counts, evict
from reporting.models import KeptDate, Phase
from reporting.national import national_report
from reporting.quarters import quarter_end, quarter_index


def permanent_dates(today: datetime.date) -> set[datetime.date]:
    """The dates kept for good: ``today``, every quarter end and every phase end (and the
    last day of each phase's first part, the day before a later phase starts)."""
    dates = {today}
    for start, end in Phase.objects.values_list("starts_on", "ends_on"):
        dates.add(end)
        dates.add(start - datetime.timedelta(days=1))
    last = quarter_index(today.year, (today.month - 1) // 3 + 1)
    dates |= {quarter_end(k) for k in range(quarter_index(2016, 1), last + 1)}
    return {d for d in dates if d <= today}


class Command(BaseCommand):
    help = "Build today's kept club figures; evict the dates no longer needed."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        today = timezone.localdate()
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else today
        except ValueError:
            raise CommandError(
                f"Ngày không hợp lệ: {options['date']!r} (cần dạng YYYY-MM-DD).", returncode=2
            ) from None
        started = time.monotonic()
        counts = club_counts(Club.objects.filter(Club.active_q(day)).values("id"), day)
        phase = Phase.objects.containing(day)
        provinces = 0
        if phase is not None:  # the national dashboard's parts, in the shared cache
            with translation.override(settings.LANGUAGE_CODE):
                national_report(day, phase)
                # Each province's dashboard too: its officers open it first thing in the
                # morning, all at once.
                era = Era.of(day)
                with_clubs = Club.objects.values(Club.unit_path(era) + "_id")
                for province in Province.objects.filter(era=era, pk__in=with_clubs):
                    province_head(day, phase, province)  # and the data it is made from
                    provinces += 1
        keep = permanent_dates(today)
        KeptDate.objects.filter(permanent=True).exclude(day__in=keep).update(permanent=False)
        KeptDate.objects.filter(day__in=keep).update(permanent=True)
        dropped = evict(settings.FIGURES_KEEP_DAYS, today)
        self.stdout.write(
            f"{day.isoformat()}: số liệu {len(counts)} CLB và bảng điều khiển {provinces} tỉnh "
            f"trong {time.monotonic() - started:.1f} s; bỏ {dropped} ngày không còn dùng."
        )
