"""The national and province dashboards, their exports (.csv and .xlsx, written by
``spreadsheets.writers``) and the compliance table of every club a user may see."""

from fractions import Fraction

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts import audit
from accounts.access import province_ids_for
from clubs.models import Club, Era
from common import formats
from spreadsheets import writers

from .cache import cache_key_for
from .compliance import ComplianceError, compute
from .dashboard import (
    CLUB_PAGE_SIZE,
    DashboardForm,
    club_filters,
    club_rows,
    club_sorts,
    national_data,
    province_data,
    province_head,
    province_rows,
    province_target_cards,
    province_version,
    quality_rows,
    reachable_provinces,
    selection_query,
    sort_club_rows,
)
from .maps import tile_map_svg
from .targets import trained_indicator

# --------------------------------------------------------------------------- dashboards


def _selection(request):
    """The bound selection form and its cleaned ``(as_of, phase)``; an invalid form falls back
    to today and the current phase so the page still shows figures beside the errors."""
    form = DashboardForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["as_of"], form.cleaned_data["phase"]
    fallback = DashboardForm({})
    if fallback.is_valid():
        as_of, phase = fallback.cleaned_data["as_of"], fallback.cleaned_data["phase"]
        shown = form if form.is_bound else DashboardForm(initial={"as_of": as_of, "phase": phase})
        return shown, as_of, phase
    raise Http404(_("Không có giai đoạn nào chứa ngày hôm nay."))


def _common_context(form, as_of, phase, data):
    report = data.report
    return {
        "form": form,
        "as_of": as_of,
        "phase": phase,
        "query": selection_query(as_of, phase),
        "report": report,
        "totals": report.national,
        "quality": quality_rows(report),
        "trained": trained_indicator(report),
        "coverage": report.coverage,
        "series": data.series,
        "series_json": {
            "labels": [p.label for p in data.series],
            "clubs": [p.clubs for p in data.series],
            "members": [p.members for p in data.series],
            "names": {"clubs": _("CLB đang hoạt động"), "members": _("Thành viên đang sinh hoạt")},
        },
    }


@login_required
def national(request):
    """The national dashboard (board and administrators see every province).

    An officer is redirected to the dashboard of their first province in the era of the as-of
    date: national targets only make sense over every province, and a "national" page narrowed
    to one province would show those targets as missed. Their other provinces are one click
    away on the province page.
    """
    form, as_of, phase = _selection(request)
    if province_ids_for(request.user) is not None:
        first = reachable_provinces(request.user, Era.of(as_of)).first()
        if first is None:
            raise Http404(_("Tài khoản chưa được phân công tỉnh nào."))
        url = reverse("reporting:province", args=[first.code])
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    data = national_data(request.user, as_of, phase)
    query = selection_query(as_of, phase)

    def link(code):
        return reverse("reporting:province", args=[code]) + "?" + query

    context = _common_context(form, as_of, phase, data)
    context.update(
        {
            # "chỉ số liệu đã chấp nhận": the province table keeps the accepted provinces with
            # the figures of their accepted snapshots (templatetag ``dashboard_submissions``)
            "accepted_only": request.GET.get("accepted") == "1",
            "provinces": province_rows(data),
            "province_targets": sorted(
                data.report.province_targets, key=lambda t: (not t.below_target, t.province_code)
            ),
            "map_svg": mark_safe(  # noqa: S308 - every text in the SVG is escaped
                tile_map_svg(
                    {p.code: p.compliant_share for p in data.report.provinces},
                    data.report.era,
                    link,
                )
            ),
        }
    )
    return render(request, "reporting/national.html", context)


def _province_or_404(request, code, as_of):
    era = Era.of(as_of)
    if not (code.isascii() and code.isdigit() and len(code) <= 3):  # a NUL would fail the query
        raise Http404(_("Không có tỉnh/thành phố này."))
    province = reachable_provinces(request.user, era).filter(code=code).first()
    if province is None:
        raise Http404(_("Không có tỉnh/thành phố này."))
    return province


@login_required
def province(request, code):
    """One province's dashboard (a province of the as-of date's era) with its clubs.

    Everything but the club table comes from the province's small cached head
    (``province_head``); the club table's rendered HTML is kept on the province's data version,
    per filter, sort, page and language, shared by everyone who opens it, so the per-club
    results (``province_data``) are read only to render a table not kept yet (and when a test
    looks at ``clubs`` or ``page``)."""
    form, as_of, phase = _selection(request)
    province = _province_or_404(request, code, as_of)
    version = province_version(province)
    head = province_head(as_of, phase, province, version)
    report = head.data.report
    key = request.GET.get("filter", "")
    filters = club_filters(report)
    if key not in dict(filters):
        key = ""
    sorts = club_sorts(report)
    sort = request.GET.get("sort", "code")
    if sort not in dict(sorts):
        sort = "code"
    descending = request.GET.get("dir") == "desc"
    count = head.filter_counts.get(key, 0)
    number = Paginator(range(count), CLUB_PAGE_SIZE).get_page(request.GET.get("page")).number

    def rows():
        full = province_data(as_of, phase, province, version).report
        return sort_club_rows(club_rows(full, key), sort, descending)

    rows = SimpleLazyObject(rows)
    page = SimpleLazyObject(lambda: Paginator(rows, CLUB_PAGE_SIZE).get_page(number))
    table_query = selection_query(as_of, phase) + (f"&filter={key}" if key else "")
    table_key = cache_key_for(
        (
            "province-club-table",
            province.era,
            province.code,
            as_of.isoformat(),
            phase.code,
            key,
            sort,
            int(descending),
            number,
        ),
        version,
    )
    table = cache.get(table_key)
    if table is None:
        table = render_to_string(
            "reporting/includes/club_table.html",
            {
                "page": page,
                "sorts": sorts,
                "sort": sort,
                "descending": descending,
                "table_query": table_query,
                "report": report,
            },
        )
        cache.set(table_key, table, TABLE_TIMEOUT)
    context = _common_context(form, as_of, phase, head.data)
    context.update(
        {
            "page": page,
            "club_table": mark_safe(table),  # noqa: S308 - rendered by the template above
            "club_count": count,
            "province": province,
            # an officer's other provinces (the board goes back to the national page)
            "others": reachable_provinces(request.user, province.era).exclude(pk=province.pk)
            if province_ids_for(request.user) is not None
            else [],
            "clubs": rows,
            "filters": filters,
            "filter": key,
            "province_targets": report.province_targets,
            "target_cards": province_target_cards(report),
            "user_is_officer": province_ids_for(request.user) is not None,
        }
    )
    return render(request, "reporting/province.html", context)


#: How long a rendered club table is kept (its key names the data version it shows).
TABLE_TIMEOUT = 24 * 3600


# --------------------------------------------------------------------------- exports


def _cell(value):
    """A cell value for a table export: shares as percentages with two decimals (a number),
    yes/no results as "Đạt"/"Không đạt", labels as text; dates, numbers and text as they are
    (the writers format dates and neutralise text that starts like a formula)."""
    if isinstance(value, Fraction):
        return round(float(value * 100), 2)
    if isinstance(value, bool):
        return _("Đạt") if value else _("Không đạt")
    if isinstance(value, Promise):  # a lazily translated label
        return str(value)
    return value


class Table:
    """One exported table: ``headers``, ``rows`` (lists of values, see :func:`_cell`) and a
    ``title`` for the workbook."""

    def __init__(self, headers, rows, title):
        self.headers = [str(h) for h in headers]
        self.rows = [[_cell(v) for v in row] for row in rows]
        self.title = str(title)


def _series_table(series):
    return Table(
        [_("Quý"), _("Ngày cuối quý"), _("CLB đang hoạt động"), _("Thành viên đang sinh hoạt")],
        [(p.label, p.day, p.clubs, p.members) for p in series],
        _("Theo quý"),
    )


def _quality_table(report):
    return Table(
        [_("Tiêu chí"), _("Số CLB đạt"), _("Tỷ lệ CLB đạt (%)")],
        [(r["label"], r["clubs"], r["share"]) for r in quality_rows(report)],
        _("Chất lượng"),
    )


def _province_targets_table(report):
    return Table(
        [
            _("Mã tỉnh"),
            _("Tỉnh/thành phố"),
            _("Chỉ tiêu CLB"),
            _("CLB"),
            _("Đạt chỉ tiêu CLB (%)"),
            _("Chỉ tiêu thành viên"),
            _("Thành viên"),
            _("Đạt chỉ tiêu thành viên (%)"),
            _("Dưới chỉ tiêu"),
        ],
        [
            (
                t.province_code,
                t.province_name,
                t.target_clubs,
                t.clubs,
                t.clubs_reached,
                t.target_members,
                t.members,
                t.members_reached,
                _("Có") if t.below_target else _("Không"),
            )
            for t in report.province_targets
        ],
        _("Chỉ tiêu của tỉnh"),
    )


def _national_tables(data):
    report = data.report
    targets = Table(
        [_("Chỉ tiêu"), _("Mức chỉ tiêu"), _("Thực hiện"), _("Đạt (%)"), _("Kết quả")],
        [(t.label, t.target, t.actual, t.reached, t.met) for t in report.targets],
        _("Chỉ tiêu giai đoạn"),
    )
    provinces = Table(
        [
            _("Mã tỉnh"),
            _("Tỉnh/thành phố"),
            _("CLB"),
            _("Thành viên"),
            _("Người cao tuổi"),
            _("Tỷ lệ CLB đạt chuẩn (%)"),
            *[f"{c.label} (%)" for c in report.criteria],
        ],
        [
            (
                r["code"],
                r["name"],
                r["clubs"],
                r["members"],
                r["older"],
                r["compliant_share"],
                *r["criteria"],
            )
            for r in province_rows(data)
        ],
        _("Tỉnh"),
    )
    return {
        "chi-tieu": targets,
        "chat-luong": _quality_table(report),
        "tinh": provinces,
        "chi-tieu-tinh": _province_targets_table(report),
        "theo-quy": _series_table(data.series),
    }


def compliance_table(report, title) -> Table:
    """The compliance table of the report's clubs, one row per club: code, name, province,
    founding date, active members; for each criterion its figure (share in percent, or count),
    its result and what it needs; then, when the phase has a "trained and monitored"
    criterion, whether the club was trained and its last visit in the window; and whether it
    is compliant. The data page's export and the province dashboard's club export use it."""
    headers = [_("Mã CLB"), _("Tên CLB"), _("Tỉnh/thành phố"), _("Ngày thành lập"), _("Thành viên")]
    for c in report.criteria:
        headers += [c.label, f"{c.label}: {_('kết quả')}", f"{c.label}: {_('cần')}"]
    trained_code = report.trained_code
    if trained_code:
        headers += [_("Đã tập huấn"), _("Giám sát gần nhất")]
    headers.append(_("Đạt chuẩn"))
    rows = []
    for club in report.clubs:
        row = [club.code, club.name, club.province_name, club.founded_on, club.active_members]
        for c in report.criteria:
            result = club.criteria[c.code]
            shown = result.share if result.share is not None else result.count
            row += [shown, result.passed, result.gap.reason if result.gap else ""]
        if trained_code:
            tm = club.criteria[trained_code]
            row += [_("Có") if tm.trained else _("Không"), tm.last_visit]
        row.append(club.compliant)
        rows.append(row)
    return Table(headers, rows, title)


def _province_tables(data):
    report = data.report
    return {
        "clb": compliance_table(report, _("CLB")),
        "chat-luong": _quality_table(report),
        "chi-tieu-tinh": _province_targets_table(report),
        "theo-quy": _series_table(data.series),
    }


def _export_response(request, table: Table, name: str, fmt: str, audit_detail: str = ""):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    detail = audit_detail or f"{name}.{fmt}"
    audit.record(request, audit.EXPORT, f"{detail}: {len(table.rows)} dòng")
    return writers.table_response(
        table.headers, table.rows, fmt=fmt, basename=name, title=table.title
    )


@login_required
def national_export(request, table, fmt):
    """One table of the national dashboard as .csv or .xlsx (same selection and scope)."""
    _form, as_of, phase = _selection(request)
    if province_ids_for(request.user) is not None:
        raise Http404
    tables = _national_tables(national_data(request.user, as_of, phase))
    if table not in tables:
        raise Http404
    return _export_response(request, tables[table], f"{table}-{as_of.isoformat()}", fmt)


@login_required
def province_export(request, code, table, fmt):
    """One table of a province dashboard as .csv or .xlsx (same selection and scope)."""
    _form, as_of, phase = _selection(request)
    province = _province_or_404(request, code, as_of)
    tables = _province_tables(province_data(as_of, phase, province))
    if table not in tables:
        raise Http404
    return _export_response(request, tables[table], f"{table}-{code}-{as_of.isoformat()}", fmt)


@login_required
def compliance_export(request, fmt):
    """The compliance table (:func:`compliance_table`) of every club the user may see at
    ``?as_of=dd/mm/yyyy`` (default today), as .csv or .xlsx."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = DashboardForm(request.GET or None)
    as_of = timezone.localdate()
    if form.is_bound:
        if not form.is_valid():
            raise Http404
        as_of = form.cleaned_data["as_of"]
    try:
        report = compute(as_of, clubs=Club.objects.for_user(request.user), with_targets=False)
    except ComplianceError as error:
        messages.error(request, str(error))
        return redirect("spreadsheets:index")
    table = compliance_table(report, _("Bảng đạt chuẩn ngày %(d)s") % {"d": formats.day(as_of)})
    return _export_response(
        request,
        table,
        f"tuan-thu-{as_of.isoformat()}",
        fmt,
        audit_detail=f"compliance.{fmt} {formats.day(as_of)}",
    )
