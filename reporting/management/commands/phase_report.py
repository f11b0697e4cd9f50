"""``python manage.py phase_report PHASE_CODE [--province CODE] [--date YYYY-MM-DD]
--output FILE.pdf``: render a phase report (national, or one province's) to a PDF file, now,
in this process. A report already kept for the same data (requested from the web pages) is
reused instead of rendered again.

Exit status 0 on success, 2 for a malformed date, an unknown phase or province.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.cache import report_version
from reporting.compliance import ComplianceError, resolve_phase, resolve_province
from reporting.models import ReportDocument
from reporting.pdf import render_report


class Command(BaseCommand):
    help = "Lập báo cáo sơ kết/tổng kết của một giai đoạn (toàn quốc hoặc một tỉnh) ra tệp PDF."

    def add_arguments(self, parser):
        parser.add_argument("phase", help="mã giai đoạn, ví dụ 2018-2020")
        parser.add_argument("--province", help="mã tỉnh theo danh mục của ngày tính")
        parser.add_argument("--date", help="số liệu tại ngày, YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--output", required=True, help="tệp PDF sẽ ghi")

    def handle(self, *args, **options):
        try:
            as_of = (
                datetime.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError:
            raise CommandError(
                f"Ngày không hợp lệ: {options['date']!r} (cần dạng YYYY-MM-DD).", returncode=2
            ) from None
        try:
            phase = resolve_phase(as_of, options["phase"])
            province = resolve_province(options["province"], as_of) if options["province"] else None
        except ComplianceError as error:
            raise CommandError(str(error), returncode=2) from None
        version = report_version(province)
        kept = ReportDocument.objects.ready(phase, as_of, province, version)
        if kept is not None:
            content = bytes(
                ReportDocument.objects.values_list("content", flat=True).get(pk=kept.pk)
            )
            pages = kept.pages
        else:
            rendered = render_report(phase, as_of, province, data_version=version)
            content, pages = rendered.content, rendered.pages
        output = Path(options["output"])
        output.write_bytes(content)
        self.stdout.write(f"{output}: {pages} trang, {len(content)} byte")
