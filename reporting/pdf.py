"""PDF phase reports (báo cáo sơ kết / tổng kết), rendered with WeasyPrint.

Every number comes from :func:`reporting.compliance.compute`; this module only arranges them
for the templates in ``templates/reporting/pdf/`` and the print stylesheet
``static/reporting/pdf.css``, laid out as Decree 30/2020/NĐ-CP, Appendix I asks: A4, margins
top and bottom 20 mm, left 30 mm, right 15 mm, body 13 pt in a Times New Roman
metric-compatible face (the complete Tinos TTFs under ``static/fonts/tinos/``, SIL OFL 1.1),
page numbers centred in the top margin from page 2, repeated table headers. The file is
PDF/A-3a (archival, tagged: structure tree, language, title in the XMP metadata). The same
HTML gives the Word file (``reporting.word``).

While rendering, WeasyPrint may read only files under the static folders and ``data:`` URLs
(:class:`LocalFetcher`): a report never fetches anything over the network.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_noop, ngettext, override
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from clubs.models import Province
from common import formats

from . import snapshots, svg, word
from .annex import annex_xlsx
from .cache import report_version
from .compliance import resolve_phase
from .models import FigureSnapshot, Metric, Phase, ReportDocument, ReportIssuer, TargetMetric
from .targets import measured_on, trained_indicator

Progress = Callable[[int, str], None]


def _population(metric: str) -> str:
    """Whom a target counts, in words."""
    if metric in (
        TargetMetric.COHORT_CLUBS,
        TargetMetric.COHORT_PROVINCES,
        TargetMetric.COHORT_MEMBERS,
        TargetMetric.COHORT_OLDER_MEMBERS,
    ):
        return _("CLB thành lập trong giai đoạn, đang hoạt động")
    if metric == TargetMetric.EARLIER_CLUBS_ACTIVE:
        return _("CLB hoạt động trước khi giai đoạn bắt đầu; tử số: CLB còn hoạt động")
    if metric == TargetMetric.NEW_CLUBS_ACTIVE:
        return _("CLB thành lập trong giai đoạn đến ngày đo; tử số: CLB còn hoạt động")
    return _("Tất cả CLB đang hoạt động (đơn vị hành chính của ngày đo)")


class ForbiddenFetch(ValueError):
    """Raised for a URL outside the static folders or with a protocol other than file/data."""


def static_roots() -> list[Path]:
    """The folders a report may read from: ``STATICFILES_DIRS`` and ``STATIC_ROOT``."""
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class LocalFetcher(URLFetcher):
    """WeasyPrint's fetcher limited to ``data:`` URLs and ``file:`` URLs under
    :func:`static_roots`; anything else raises :class:`ForbiddenFetch` (no remote fetch)."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"file", "data"}, **kwargs)
        self.roots = static_roots()

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ForbiddenFetch(f"outside the static folders: {url}")
        elif not url.startswith("data:"):
            raise ForbiddenFetch(f"remote fetch refused: {url}")
        return super().fetch(url, headers)


def _base_url() -> str:
    """The file URL of the first static folder holding ``reporting/pdf.css``."""
    for root in static_roots():
        if (root / "reporting" / "pdf.css").is_file():
            return root.as_uri() + "/"
    raise FileNotFoundError("reporting/pdf.css")


# --------------------------------------------------------------------------- context


def _requirement(criterion) -> str:
    """A criterion's bounds in words, from its row (``"60% – 70%"``, ``"≥ 50 người"``)."""
    if criterion.metric == Metric.TRAINED_MONITORED:
        months = criterion.monitoring_months
        return ngettext(
            "Có tập huấn; có giám sát trong %(n)s tháng",
            "Có tập huấn; có giám sát trong %(n)s tháng",
            months,
        ) % {"n": months}

    def share(value):
        return formats.percent(Fraction(value), places=0)

    if criterion.metric == Metric.ACTIVE_MEMBERS:
        low, high = criterion.min_count, criterion.max_count
        unit = _(" người")
        low_text = None if low is None else f"{low}{unit}"
        high_text = None if high is None else f"{high}{unit}"
    else:
        low_text = None if criterion.min_share is None else share(criterion.min_share)
        high_text = None if criterion.max_share is None else share(criterion.max_share)
    if low_text and high_text:
        return _("từ %(low)s đến %(high)s") % {"low": low_text, "high": high_text}
    if low_text:
        return f"≥ {low_text}"
    return f"≤ {high_text}"


def _parameters(criterion) -> str:
    if criterion.metric == Metric.OLDER:
        return _("tuổi từ %(n)s (tuổi tròn tại ngày tính)") % {"n": criterion.age_threshold}
    if criterion.metric == Metric.BORROWED:
        if criterion.require_improved:
            return _("khoản vay giải ngân đến ngày tính, thu nhập được đánh giá là cải thiện")
        return _("khoản vay giải ngân đến ngày tính")
    if criterion.metric == Metric.TRAINED_MONITORED:
        months = criterion.monitoring_months
        return ngettext(
            "giám sát sau ngày tính trừ %(n)s tháng và đến ngày tính",
            "giám sát sau ngày tính trừ %(n)s tháng và đến ngày tính",
            months,
        ) % {"n": months}
    return ""


def _target_number(result, value) -> str:
    if result.is_share:
        return formats.percent(value, places=2)
    return formats.number(int(value))


def lacks(club) -> str:
    """What a club fails, compactly, for the list of clubs: each failing criterion by its
    number (``TC2``), then the count of the needed kind over the active members and the
    fewest joining (``+n``) or leaving (``−n``) that would pass (``reporting.gaps``); for
    trained and monitored, ``TH`` (not trained) and ``GS`` (not monitored in the window).
    ``"TC2 5/10 +3 −2; TC5 TH, GS"``; ``""`` for a compliant club."""
    parts = []
    for number, result in enumerate(club.criteria.values(), 1):
        if result.passed:
            continue
        if result.metric == Metric.TRAINED_MONITORED:
            what = [_("TH")] if not result.trained else []
            what += [_("GS")] if not result.monitored else []
            text = ", ".join(what)
        else:
            text = (
                f"{result.count}/{club.active_members}"
                if result.share is not None
                else str(result.count or 0)
            )
            if result.gap and result.gap.more:
                text += f" +{result.gap.more}"
            if result.gap and result.gap.fewer:
                text += f" −{result.gap.fewer}"
        parts.append(f"TC{number} {text}".rstrip())
    return "; ".join(parts)


def report_title(phase: Phase, as_of: datetime.date) -> str:
    """ "BÁO CÁO SƠ KẾT" before the phase ends, "BÁO CÁO TỔNG KẾT" from its last day."""
    return _("BÁO CÁO TỔNG KẾT") if as_of >= phase.ends_on else _("BÁO CÁO SƠ KẾT")


#: Lines printed in Vietnamese in every language (the national motto, the recipients' heading);
#: a report in another language prints its translation beneath.
FIXED_LINES = {
    "country": gettext_noop("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    "motto": gettext_noop("Độc lập - Tự do - Hạnh phúc"),
    "recipients": gettext_noop("Nơi nhận:"),
    "to_provinces": gettext_noop("Các tỉnh/thành phố tham gia Đề án;"),
    "to_board": gettext_noop("Ban điều hành Đề án trung ương;"),
    "to_communes": gettext_noop("Các xã/phường có CLB;"),
    "archive": gettext_noop("Lưu: VT."),
}

#: Spaces left for the number, written by hand from the outgoing register ("Số:     /BC-BĐH").
BLANK_NUMBER = "\u00a0" * 6


def fixed_lines() -> dict:
    """``{key: {"vi": line, "gloss": translation or ""}}`` of :data:`FIXED_LINES`, the gloss
    in the active language when it is not Vietnamese."""
    vietnamese = (get_language() or "vi").startswith("vi")
    return {
        key: {"vi": line, "gloss": "" if vietnamese else _(line)}
        for key, line in FIXED_LINES.items()
    }


def verification(snapshot: FigureSnapshot, regenerated: bool = False) -> dict:
    """What a report says of its frozen figures: ``verification_code``, ``snapshot``, and for
    a report of a period already reported (``regenerated``, or figures other than the first
    snapshot's) the first snapshot of the same report (``first_snapshot``; else ``None``) and
    how the figures differ from it (``since_first``, a ``snapshots.Comparison``, which
    ``matches`` when they are the same)."""
    first = snapshots.first_of(snapshot)
    shown = first.pk != snapshot.pk or regenerated
    since_first = None
    if shown:
        since_first = snapshots.difference(
            snapshots.stored_figures(first), snapshots.stored_figures(snapshot)
        )
    return {
        "verification_code": snapshot.code,
        "snapshot": snapshot,
        "first_snapshot": first if shown else None,
        "since_first": since_first,
    }


def _target_row(t) -> dict:
    """One row of a report's target table: the ``TargetResult`` ``t``, its target and actual
    in words, the reached share and the population measured."""
    return {
        "result": t,
        "target": _target_number(t, t.target),
        "actual": _target_number(t, t.actual),
        "reached": t.reached,
        "population": _population(t.metric),
    }


def build_context(
    phase: Phase | str | None,
    as_of: datetime.date,
    province: Province | None = None,
    *,
    data_version: str | None = None,
    number: str = "",
    issued_on: datetime.date | None = None,
    user=None,
) -> dict:
    """The template context of a report: ``compute(as_of, phase=..., province=...)`` and the
    rows and charts made from it, in the active language, its figures frozen
    (``reporting.snapshots.freeze``, by ``user``) with their verification code
    (:func:`verification`). ``province`` (a ``Province`` of ``as_of``'s era) makes it a
    province report. The letterhead is the issuer's (``ReportIssuer.objects.for_province``);
    ``number`` the document number typed when issuing (blank by default); ``issued_on`` the
    issue date (default today, Asia/Ho_Chi_Minh), not the as-of date of the figures. Raises
    ``ComplianceError`` as ``compute`` does."""
    phase = resolve_phase(as_of, phase)
    captured = snapshots.capture(province, as_of, phase)
    report = captured.report
    regenerated = FigureSnapshot.objects.filter(
        kind=FigureSnapshot.Kind.REPORT,
        scope=ReportDocument.scope_of(province),
        phase=phase,
        as_of=as_of,
    ).exists()
    snapshot = snapshots.freeze(
        FigureSnapshot.Kind.REPORT,
        province,
        as_of,
        user,
        captured.figures,
        phase=phase,
        data_time=captured.data_time,
    )
    totals = report.national
    criteria_rows = [
        {
            "criterion": c,
            "requirement": _requirement(c),
            "parameters": _parameters(c),
            "passing": totals.passing.get(c.code, 0),
            "share": totals.pass_share(c.code),
        }
        for c in report.criteria
    ]
    target_rows = [_target_row(t) for t in report.targets]
    trained = trained_indicator(report)
    # The trained-and-monitored bar is coloured by the indicator only when both are of the
    # same day (after the phase end, the bar is at the as-of date and the indicator at M).
    trained_met = trained["met"] if trained and trained["measured_on"] == as_of else None
    charts = {
        "criteria": mark_safe(  # noqa: S308 - built by reporting.svg, labels escaped
            svg.share_bars(
                [
                    (
                        row["criterion"].label,
                        row["share"],
                        trained_met if row["criterion"].code == report.trained_code else None,
                    )
                    for row in criteria_rows
                ]
                + [(_("Đạt tất cả tiêu chí"), totals.compliant_share, None)]
            )
        ),
    }
    if report.targets:
        charts["targets"] = mark_safe(  # noqa: S308
            svg.target_bars(
                [(t.label, t.reached, t.met) for t in report.targets],
                threshold_label="100% " + _("chỉ tiêu"),
            )
        )
    if province is None and report.provinces:
        charts["provinces"] = mark_safe(  # noqa: S308
            svg.share_bars(
                [(p.name, p.compliant_share, None) for p in report.provinces],
                bar_height=10,
                gap=6,
                label_width=150,
            )
        )
    issuer = ReportIssuer.objects.for_province(province)
    issued_on = issued_on or timezone.localdate()
    vietnamese = (get_language() or "vi").startswith("vi")
    return {
        "report": report,
        "phase": phase,
        "phase_name": _(phase.name),  # a seeded name reads in the report's language
        "province": province,
        "as_of": as_of,
        "measured_on": measured_on(phase, as_of),
        "title": report_title(phase, as_of),
        "subtitle": (
            _("Kết quả thực hiện Đề án giai đoạn %(years)s tại %(province)s")
            % {"years": phase.code.replace("-", "–"), "province": province.name}
            if province
            else _("Kết quả thực hiện Đề án giai đoạn %(years)s trên toàn quốc")
            % {"years": phase.code.replace("-", "–")}
        ),
        "language": get_language() or "vi",
        "issuer": issuer,
        # the signer's title as typed (Vietnamese), with its English line in English reports
        "signer_title": issuer.signer_title,
        "issuer_gloss": not vietnamese,
        "doc_number": f"Số: {number or BLANK_NUMBER}/{issuer.symbol}",
        "place_date": formats.document_date(issuer.place, issued_on),
        "issued_on": issued_on,
        "fixed": fixed_lines(),
        # The code a reader types to check the figures, printed in every page's footer when
        # given (frozen snapshots).
        "verification_code": None,
        "totals": totals,
        "criteria_rows": criteria_rows,
        "target_rows": target_rows,
        # a province report's club-life targets (Decision 1336/QĐ-TTg §I.2) over its clubs;
        # the national report has them among its targets
        "club_life_rows": [_target_row(t) for t in report.club_life] if province else [],
        "trained": trained,
        "coverage": report.coverage,
        "charts": charts,
        "below_target": [t for t in report.province_targets if t.below_target],
        "province_targets": report.province_targets,
        "club_rows": [(club, lacks(club)) for club in report.clubs] if province else [],
        "data_version": report_version(province) if data_version is None else data_version,
        "rendered_at": timezone.localtime(),
        **verification(snapshot, regenerated),
    }


# --------------------------------------------------------------------------- rendering


@dataclass
class RenderedReport:
    """A rendered report: ``content`` (PDF bytes), ``pages`` (the page count), ``snapshot``
    (its frozen figures), ``annex`` (the list of clubs as ``.xlsx`` bytes) and, when asked
    for, ``docx`` (the same report as a Word file)."""

    content: bytes
    pages: int
    snapshot: FigureSnapshot | None = None
    annex: bytes | None = None
    docx: bytes | None = None


#: WeasyPrint's archival variant: PDF/A-3 level A (tagged, Unicode text), one file for
#: archives and screen readers.
PDF_VARIANT = "pdf/a-3a"


def render_html(context: dict) -> str:
    template = (
        "reporting/pdf/province.html" if context["province"] else "reporting/pdf/national.html"
    )
    return render_to_string(template, context)


def render_report(
    phase: Phase | str | None,
    as_of: datetime.date,
    province: Province | None = None,
    *,
    data_version: str | None = None,
    progress: Progress | None = None,
    language: str = "vi",
    number: str = "",
    docx: bool = False,
    issued_on: datetime.date | None = None,
    user=None,
) -> RenderedReport:
    """Compute and render a phase report as PDF (PDF/A-3a) in ``language`` (a code of
    ``settings.LANGUAGES``), and as .docx too when ``docx``. ``number`` is the document
    number typed when issuing (blank by default), ``issued_on`` the issue date (default
    today); its figures are frozen by ``user`` (:func:`build_context`) and the list of clubs
    comes as ``.xlsx`` too (``annex``). ``progress(percent, step)`` is called between the
    steps (compute, layout, PDF, Word), in the caller's language. Raises
    ``ComplianceError`` for an uncovered date or an unknown phase."""
    progress = progress or (lambda percent, step: None)
    progress(5, _("Đang tính số liệu"))
    with override(language):
        context = build_context(
            phase,
            as_of,
            province,
            data_version=data_version,
            number=number,
            issued_on=issued_on,
            user=user,
        )
        html = render_html(context)
    progress(35, _("Đang dàn trang"))
    rendered = render_pdf(html, progress)
    rendered.snapshot = context["snapshot"]
    with override(language):
        rendered.annex = annex_xlsx(context)
    if docx:
        progress(92, _("Đang xuất tệp Word"))
        rendered.docx = word.from_html(html)
    return rendered


def render_pdf(html: str, progress: Progress | None = None) -> RenderedReport:
    """The PDF (PDF/A-3a) of a report's HTML (:func:`render_html`), read only from the static
    folders; ``progress(80, …)`` between the layout and the writing of the file."""
    document = HTML(string=html, base_url=_base_url(), url_fetcher=LocalFetcher()).render()
    if progress is not None:
        progress(80, _("Đang xuất tệp PDF"))
    return RenderedReport(
        content=document.write_pdf(pdf_variant=PDF_VARIANT), pages=len(document.pages)
    )
