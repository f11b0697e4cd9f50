"""``python manage.py compliance --date YYYY-MM-DD [--phase CODE] [--province CODE]
[--format table|json|csv]``: each active club's compliance, province and national totals, and
the phase's targets, from ``reporting.compliance.compute``.

Exit status 0 on success, 2 for a malformed date, an unknown phase or province, or a date that
no phase covers (without ``--phase``).
"""

import csv
import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.formats import day, share_string
from reporting.compliance import ComplianceError, compute, resolve_province


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Ngày không hợp lệ: {text!r} (cần dạng YYYY-MM-DD).", returncode=2
        ) from None


class Command(BaseCommand):
    help = "Tính mức đạt chuẩn của các CLB và chỉ tiêu của giai đoạn tại một ngày."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="ngày tính, YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--phase", help="mã giai đoạn, ví dụ 2018-2020")
        parser.add_argument("--province", help="mã tỉnh theo danh mục của ngày tính")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args, **options):
        as_of = _date(options["date"]) if options["date"] else timezone.localdate()
        try:
            province = resolve_province(options["province"], as_of) if options["province"] else None
            report = compute(as_of, phase=options["phase"], province=province)
        except ComplianceError as error:
            raise CommandError(str(error), returncode=2) from None
        getattr(self, f"_write_{options['format']}")(report)

    def _write_json(self, report):
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))

    def _write_csv(self, report):
        """One row per club, from the clubs of the JSON form (``ClubResult.as_dict``), with
        the criterion codes in the headers."""
        data = report.as_dict()
        codes = [c["code"] for c in data["criteria"]]
        writer = csv.writer(self.stdout, lineterminator="\n")
        header = ["code", "name", "province", "active_members"]
        for code in codes:
            header += [f"{code}_count", f"{code}_share", f"{code}_pass"]
        writer.writerow([*header, "compliant"])
        for club in data["clubs"]:
            row = [club["code"], club["name"], club["province"], club["active_members"]]
            for code in codes:
                result = club["criteria"][code]
                count, share = result.get("count"), result.get("share")
                row += ["" if count is None else count, share or "", int(result["pass"])]
            writer.writerow([*row, int(club["compliant"])])

    def _write_table(self, report):
        out = self.stdout
        out.write(
            f"Ngày {day(report.as_of)} — giai đoạn {report.phase.code} "
            f"({report.phase.decision}) — {report.era}"
        )
        codes = [c.code for c in report.criteria]
        out.write(
            f"{'Mã CLB':<16} {'Tỉnh':<5} {'TV':>4} " + " ".join(f"{c:>9}" for c in codes) + "  Đạt"
        )
        for club in report.clubs:
            cells = []
            for code in codes:
                r = club.criteria[code]
                mark = "✓" if r.passed else "✗"
                shown = share_string(r.share, 2) if r.share is not None else ""
                cells.append(f"{mark} {shown:>7}")
            out.write(
                f"{club.code:<16} {club.province_code:<5} {club.active_members:>4} "
                + " ".join(f"{c:>9}" for c in cells)
                + ("  ✓" if club.compliant else "  ✗")
            )
        n = report.national
        older = "—" if n.older_members is None else n.older_members
        out.write(
            f"Toàn quốc: {n.active_clubs} CLB, {report.provinces_with_clubs} tỉnh, "
            f"{n.active_members} thành viên, {older} người cao tuổi, "
            f"{n.compliant_clubs} CLB đạt chuẩn, {n.trained_and_monitored_clubs} CLB được tập "
            "huấn và giám sát"
        )
        for t in report.targets:
            d = t.as_dict()
            out.write(
                f"  {'✓' if t.met else '✗'} {t.label}: {d['actual']} / {d['target']} "
                f"({d['reached']})"
            )
        if report.coverage is not None:
            c = report.coverage
            out.write(
                f"Xã/phường có CLB: {c.communes} / {c.total} ({share_string(c.share, 4)}), "
                f"tính đến {day(c.measured_on)}"
            )


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run through manage.py")
