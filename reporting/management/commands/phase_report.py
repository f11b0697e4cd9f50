"""``python manage.py phase_report PHASE_CODE [--province CODE] [--date YYYY-MM-DD]
[--language vi|en] --output FILE.pdf [--docx FILE.docx]``: render a phase report (national,
or one province's) to a PDF file, and to a Word file with ``--docx``, now, in this process. A
report already kept for the same data (requested from the web pages) is reused instead of
rendered again.

Exit status 0 on success, 2 for a malformed date, an unknown phase or province.
"""

import datetime
from pathlib import Path

from django.conf import settings
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
        parser.add_argument("--docx", help="tệp Word (.docx) sẽ ghi (tuỳ chọn)")
        parser.add_argument(
            "--language",
            default="vi",
            choices=[code for code, _name in settings.LANGUAGES],
            help="ngôn ngữ của báo cáo (mặc định vi)",
        )

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
        language = options["language"]
        kept = ReportDocument.objects.ready(phase, as_of, province, version, language=language)
        word = None
        if kept is not None and (kept.has_docx or not options["docx"]):
            content, word = (
                bytes(value) if value is not None else None
                for value in ReportDocument.objects.values_list("content", "docx").get(pk=kept.pk)
            )
            pages = kept.pages
        else:
            rendered = render_report(
                phase,
                as_of,
                province,
                data_version=version,
                language=language,
                docx=bool(options["docx"]),
            )
            content, pages, word = rendered.content, rendered.pages, rendered.docx
        output = Path(options["output"])
        output.write_bytes(content)
        self.stdout.write(f"{output}: {pages} trang, {len(content)} byte")
        if options["docx"]:
            Path(options["docx"]).write_bytes(word)
            self.stdout.write(f"{options['docx']}: {len(word)} byte")
