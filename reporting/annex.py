"""The annex of a phase report as a spreadsheet (.xlsx), made beside the PDF by the same
render and from the same figures (``reporting.pdf.build_context``): a province report's list of
every club with its counts, each criterion, compliance and what a failing club lacks; the
national report's table of provinces. Written by ``spreadsheets.writers.write_xlsx``.
"""

from django.utils.translation import gettext as _

from spreadsheets.writers import write_xlsx


def _yes(passed: bool) -> str:
    return _("Đạt") if passed else _("Không")


def club_rows(context: dict):
    """Header and rows of the clubs of a province report (counts as numbers, dates as
    dates)."""
    criteria = [row["criterion"] for row in context["criteria_rows"]]
    headers = [
        _("Mã CLB"),
        _("Tên CLB"),
        _("Ngày thành lập"),
        _("Thành viên đang sinh hoạt"),
        _("Người cao tuổi"),
        _("Nữ"),
        _("Nghèo, cận nghèo, khó khăn"),
        _("Được vay vốn"),
        *[c.label for c in criteria],
        _("Đạt chuẩn"),
        _("Tiêu chí chưa đạt và số người còn thiếu"),
    ]
    rows = []
    for club in context["report"].clubs:
        lacks = "; ".join(f"{r.label}: {r.gap.reason}" if r.gap else r.label for r in club.failing)
        rows.append(
            [
                club.code,
                club.name,
                club.founded_on,
                club.active_members,
                club.older_members,
                club.women,
                club.poor,
                club.borrowed,
                *[_yes(club.criteria[c.code].passed) for c in criteria],
                _yes(club.compliant),
                lacks,
            ]
        )
    return headers, rows


def province_rows(context: dict):
    """Header and rows of the provinces of the national report."""
    criteria = [row["criterion"] for row in context["criteria_rows"]]
    headers = [
        _("Mã tỉnh"),
        _("Tỉnh/thành phố"),
        _("CLB đang hoạt động"),
        _("Thành viên đang sinh hoạt"),
        _("CLB đạt chuẩn"),
        *[_("Số CLB đạt: %(label)s") % {"label": c.label} for c in criteria],
    ]
    rows = [
        [
            p.code,
            p.name,
            p.active_clubs,
            p.active_members,
            p.compliant_clubs,
            *[p.passing.get(c.code, 0) for c in criteria],
        ]
        for p in context["report"].provinces
    ]
    return headers, rows


def annex_xlsx(context: dict) -> bytes:
    """The annex of the report whose context is ``context``, as .xlsx bytes, titled with the
    report's title, subtitle and verification code."""
    headers, rows = club_rows(context) if context["province"] else province_rows(context)
    title = f"{context['title']} — {context['subtitle']}"
    if context.get("verification_code"):
        title += " — " + _("Mã xác minh: %(code)s") % {"code": context["verification_code"]}
    return write_xlsx(headers, rows, title=title)
