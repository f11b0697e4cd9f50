"""What the national and province dashboards show, shared by the views and their exports: the
as-of date and phase form, the scoped and cached computation, and the rows of each table. Every
figure comes from ``reporting.compliance.compute`` and ``reporting.series.quarterly_series``;
this module only picks and orders them.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import province_ids_for
from clubs.models import Club, Era, Province
from common import formats

from .cache import cached, data_version
from .compliance import ComplianceError, ComplianceReport, compute, province_filter, resolve_phase
from .gaps import unmonitored_clubs_label
from .models import Metric, Phase
from .national import national_report
from .series import QuarterPoint, quarterly_series


class DashboardForm(forms.Form):
    """The as-of date (typed dd/mm/yyyy; default today) and the phase (default: the phase
    containing the date). Cleaned data: ``as_of`` (a ``date``) and ``phase`` (a ``Phase``)."""

    as_of = forms.DateField(
        label=_("Số liệu đến ngày"),
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 31/12/2020.")},
    )
    phase = forms.ModelChoiceField(
        label=_("Giai đoạn"),
        queryset=Phase.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Giai đoạn của ngày báo cáo"),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        phase = data.get("phase")
        as_of = data.get("as_of")
        if as_of is None:
            as_of = timezone.localdate()
            if phase is not None:
                as_of = min(as_of, phase.ends_on)
        try:
            phase = resolve_phase(as_of, phase)
        except ComplianceError as error:
            raise forms.ValidationError({"as_of": str(error)}) from error
        if as_of < phase.starts_on:
            raise forms.ValidationError(
                {
                    "as_of": _("Ngày báo cáo phải từ ngày bắt đầu giai đoạn (%(day)s).")
                    % {"day": formats.day(phase.starts_on)}
                }
            )
        data["as_of"] = as_of
        data["phase"] = phase
        return data


def selection_query(as_of: datetime.date, phase: Phase) -> str:
    """The query string that carries the selection to links and exports."""
    return f"as_of={formats.day(as_of)}&phase={phase.code}"


# --------------------------------------------------------------------------- scope


def scope_key(user) -> str:
    """A cache-key part naming what ``user`` may see: ``"all"`` or the assigned province ids."""
    ids = province_ids_for(user)
    return "all" if ids is None else "p" + "-".join(str(i) for i in sorted(ids))


def reachable_provinces(user, era: str):
    """The provinces of ``era`` whose dashboard ``user`` may open: every one for the board and
    administrators; for an officer, the assigned new-era provinces or, in the old era, the old
    provinces that merged into them."""
    provinces = Province.objects.filter(era=era).order_by("code")
    ids = province_ids_for(user)
    if ids is None:
        return provinces
    if era == Era.POST2025:
        return provinces.filter(pk__in=ids)
    return provinces.filter(successor_id__in=ids)


# --------------------------------------------------------------------------- computation


@dataclass
class DashboardData:
    """What one dashboard shows: the compliance report, the quarterly series and the
    provinces of the era (``[(code, short_name)]``, the national dashboard only)."""

    report: ComplianceReport
    series: list[QuarterPoint]
    provinces: list[tuple[str, str]]


def national_data(user, as_of: datetime.date, phase: Phase) -> DashboardData:
    """The national dashboard's data for ``user``'s scope, cached across processes on the
    as-of date, the phase, the scope and the data version of every club (``reporting.cache``).
    The page lists provinces, not clubs, so the report keeps no per-club results
    (``report.clubs`` is empty) and words no gaps: the cached value stays small (tens of
    kilobytes at 20,000 clubs). For every club (the board, administrators) it is the sum of the
    provinces' cached parts (``reporting.national``): a miss after a write computes again only
    the provinces written, from kept per-club figures (``reporting.figures``)."""

    def build():
        clubs = Club.objects.for_user(user)
        if province_ids_for(user) is None:  # every club: the sum of the provinces' parts
            report, series = national_report(as_of, phase)
        else:
            report = compute(as_of, phase=phase, clubs=clubs, details=False)
            series = quarterly_series(as_of, clubs)
        return DashboardData(
            report=report,
            series=series,
            provinces=list(
                Province.objects.filter(era=Era.of(as_of))
                .order_by("code")
                .values_list("code", "short_name")
            ),
        )

    return cached(("dashboard", "nation", as_of.isoformat(), phase.code, scope_key(user)), build)


def province_data(
    as_of: datetime.date, phase: Phase, province: Province, version: str | None = None
) -> DashboardData:
    """One province's dashboard data (``province`` of ``as_of``'s era), cached likewise but on
    the province and its own clubs' data version (``version`` when the caller read it, with
    :func:`province_version`): every user who may open the province sees all its clubs, so one
    computation serves them all, and a write in another province leaves it valid. The caller
    checks that the user may open ``province``."""

    def build():
        clubs = Club.objects.all()
        return DashboardData(
            report=compute(as_of, phase=phase, clubs=clubs, province=province),
            series=quarterly_series(as_of, clubs.filter(province_filter(province, as_of))),
            provinces=[],
        )

    key = ("dashboard", province.era, province.code, as_of.isoformat(), phase.code)
    return cached(key, build, provinces=[current_province_id(province)], version=version)


@dataclass
class ProvinceHead:
    """What a province's dashboard shows beside its club table: the dashboard data without
    per-club results (``report.clubs`` empty: a few kilobytes instead of a megabyte), and the
    number of clubs each club-table filter keeps (``club_filters`` keys)."""

    data: DashboardData
    filter_counts: dict[str, int]


def province_head(
    as_of: datetime.date, phase: Phase, province: Province, version: str | None = None
) -> ProvinceHead:
    """:class:`ProvinceHead` of ``province``'s dashboard, cached on the same data version as
    :func:`province_data` (``version`` when the caller read it) and made from it."""

    def build():
        data = province_data(as_of, phase, province, version)
        report = data.report
        counts = {key: len(club_rows(report, key)) for key, _label in club_filters(report)}
        head = dataclasses.replace(report, clubs=[])
        return ProvinceHead(DashboardData(head, data.series, data.provinces), counts)

    key = ("dashboard-head", province.era, province.code, as_of.isoformat(), phase.code)
    return cached(key, build, provinces=[current_province_id(province)], version=version)


def province_version(province: Province) -> str:
    """The data version of ``province``'s clubs (``reporting.cache.data_version``)."""
    return data_version([current_province_id(province)])


def current_province_id(province: Province) -> int:
    """The new-era province whose data version covers ``province``'s clubs (itself, or the
    province an old-era province merged into)."""
    return province.successor_id if province.era == Era.PRE2025 else province.pk


# --------------------------------------------------------------------------- table rows


def quality_rows(report: ComplianceReport) -> list[dict]:
    """One row per criterion, then one for all of them: ``label``, ``clubs`` passing, ``share``
    of active clubs (``Fraction`` or ``None``)."""
    totals = report.national
    rows = [
        {
            "code": c.code,
            "label": c.label,
            "clubs": totals.passing.get(c.code, 0),
            "share": totals.pass_share(c.code),
        }
        for c in report.criteria
    ]
    rows.append(
        {
            "code": "all",
            "label": _("Đạt tất cả tiêu chí"),
            "clubs": totals.compliant_clubs,
            "share": totals.compliant_share,
        }
    )
    return rows


def province_rows(data: DashboardData) -> list[dict]:
    """Every province of the era (those without an active club show zeros and no shares):
    ``code``, ``name``, ``clubs``, ``members``, ``older``, ``compliant_share`` and
    ``criteria`` (pass shares in criterion order)."""
    report = data.report
    found = {p.code: p for p in report.provinces}
    names = data.provinces or [(p.code, p.name) for p in report.provinces]
    rows = []
    for code, name in names:
        p = found.get(code)
        rows.append(
            {
                "code": code,
                "name": name,
                "clubs": p.active_clubs if p else 0,
                "members": p.active_members if p else 0,
                "older": p.older_members if p else 0,
                "compliant_share": p.compliant_share if p else None,
                "criteria": [p.pass_share(c.code) if p else None for c in report.criteria],
            }
        )
    return rows


def province_target_cards(report: ComplianceReport) -> list[dict]:
    """The province's own targets as cards: ``code``, ``province``, ``kind`` ("clubs" or
    "members"), ``actual``, ``target``, ``reached`` (``Fraction``) and ``met``."""
    cards = []
    for t in report.province_targets:
        for kind, actual, target, reached in (
            ("clubs", t.clubs, t.target_clubs, t.clubs_reached),
            ("members", t.members, t.target_members, t.members_reached),
        ):
            if target:
                cards.append(
                    {
                        "code": t.province_code,
                        "province": t.province_name,
                        "kind": kind,
                        "actual": actual,
                        "target": target,
                        "reached": reached,
                        "met": actual >= target,
                    }
                )
    return cards


def club_filters(report: ComplianceReport) -> list[tuple[str, str]]:
    """``[(key, label)]`` of the province dashboard's club table filters: all clubs, the
    non-compliant ones, those not monitored in the window of the phase's "trained and
    monitored" criterion and those not trained (both only when the phase has that criterion),
    and ``fail-<code>`` for each other criterion."""
    out = [("", _("Tất cả CLB")), ("non-compliant", _("CLB chưa đạt chuẩn"))]
    months = report.monitoring_months
    if months is not None:
        out += [
            ("not-monitored", unmonitored_clubs_label(months)),
            ("not-trained", _("Chưa được tập huấn")),
        ]
    for c in report.criteria:
        if c.metric != Metric.TRAINED_MONITORED:
            out.append((f"fail-{c.code}", _("Không đạt: %(label)s") % {"label": c.label}))
    return out


def club_rows(report: ComplianceReport, key: str = "") -> list[dict]:
    """The clubs of the report kept by filter ``key`` (see :func:`club_filters`): ``club``
    (a ``ClubResult``), ``criteria`` (its ``CriterionResult`` in criterion order), ``trained``
    and ``last_visit`` from the trained-and-monitored criterion (``None`` without one)."""
    code = report.trained_code
    rows = []
    for club in report.clubs:
        tm = club.criteria.get(code) if code else None
        if key == "non-compliant" and club.compliant:
            continue
        if key == "not-monitored" and (tm is None or tm.monitored):
            continue
        if key == "not-trained" and (tm is None or tm.trained):
            continue
        if key.startswith("fail-"):
            result = club.criteria.get(key[5:])
            if result is None or result.passed:
                continue
        rows.append(
            {
                "club": club,
                "criteria": [club.criteria[c.code] for c in report.criteria],
                "trained": tm.trained if tm else None,
                "monitored": tm.monitored if tm else None,
                "last_visit": tm.last_visit if tm else None,
            }
        )
    return rows


#: Clubs per page of the province dashboard's club table (the whole table is in the exports).
CLUB_PAGE_SIZE = 50


def club_sorts(report: ComplianceReport) -> list[tuple[str, str]]:
    """``[(key, label)]`` of the columns the province dashboard's club table sorts by: the
    club code, active members, each criterion (its share, count or pass), the last visit and
    compliance."""
    out = [("code", _("CLB")), ("members", _("Thành viên"))]
    out += [(f"crit-{c.code}", c.label) for c in report.criteria]
    out += [("visit", _("Giám sát gần nhất")), ("compliant", _("Đạt chuẩn"))]
    return out


def sort_club_rows(rows: list[dict], key: str, descending: bool = False) -> list[dict]:
    """``rows`` (:func:`club_rows`) ordered by ``key`` (see :func:`club_sorts`), ties by club
    code; an unknown key sorts by code."""

    def value(row):
        club = row["club"]
        if key == "members":
            return club.active_members
        if key == "compliant":
            return int(club.compliant)
        if key == "visit":
            return row["last_visit"] or datetime.date.min
        if key.startswith("crit-"):
            r = club.criteria.get(key[5:])
            if r is None:
                return (0, 0)
            measure = r.share if r.share is not None else (r.count if r.count is not None else 0)
            return (int(r.passed), measure)
        return 0

    ordered = sorted(rows, key=lambda row: row["club"].code)
    return (
        sorted(ordered, key=value, reverse=descending)
        if key != "code"
        else (ordered[::-1] if descending else ordered)
    )
