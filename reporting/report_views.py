"""Pages of the phase reports (URLs in ``reporting.urls_reports``, namespace ``reports``):
request a report (the job goes to the background queue), follow its progress, download it as
PDF or as an editable Word file (.docx) and its annex (.xlsx), and verify the figures of a
report by the code printed on its pages (``reporting.snapshots``).

Scoping: the national report is for the board and administrators (an officer gets 403); a
province report for an officer's own provinces only (another province: 404), through
``accounts.access.province_ids_for``, the rule behind ``Club.objects.for_user``.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.validators import RegexValidator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts import audit
from accounts.access import province_ids_for
from clubs.models import REFORM_DATE, Era, Province
from common import formats
from common.fields import PickerSelect
from spreadsheets.writers import XLSX_TYPE

from . import snapshots
from .compliance import ComplianceError, resolve_province
from .models import NUMBER_LENGTH, FigureSnapshot, Phase, ReportDocument
from .tasks import TooManyJobs, reclaim, request_document


def may_see_province(user, province) -> bool:
    """Whether ``user`` may have the report of ``province`` (of either era; an old-era
    province is reached through the new province it merged into)."""
    ids = province_ids_for(user)
    if ids is None:
        return True
    new_id = province.successor_id if province.era == Era.PRE2025 else province.pk
    return new_id in ids


def may_see_national(user) -> bool:
    return province_ids_for(user) is None


def report_provinces(user):
    """The provinces whose reports ``user`` may have, of both eras: every one for the board
    and administrators; an officer's new-era provinces and the old ones merged into them."""
    qs = Province.objects.order_by("name")
    ids = province_ids_for(user)
    if ids is None:
        return qs
    return qs.filter(Q(pk__in=ids) | Q(successor_id__in=ids))


def province_value(province) -> str:
    """The picker's value of ``province``: ``"<era>:<code>"`` (codes were reused across the
    two eras, so a code alone is no province)."""
    return f"{province.era}:{province.code}"


class ReportRequestForm(forms.Form):
    """Which report: a phase, a province (a picker of the provinces ``user`` may have, grouped
    by era: the browser shows those of the as-of date's era; empty for the national report),
    the as-of date (dd/mm/yyyy, default today), the language and the document number from the
    issuer's outgoing register (digits; empty: left blank). A bare code (the dashboards' button)
    is read in the units of the date's era. A province of the other era, or one the user may not
    have, is refused in words (``forbidden`` set for the latter: the page answers 403)."""

    phase = forms.ModelChoiceField(
        label=gettext_lazy("Giai đoạn"),
        queryset=Phase.objects.all(),
        to_field_name="code",
        error_messages={"invalid_choice": gettext_lazy("Không có giai đoạn này.")},
    )
    province = forms.CharField(
        label=gettext_lazy("Tỉnh/thành phố"),
        required=False,
        widget=PickerSelect(search_label=gettext_lazy("Tìm tỉnh/thành phố")),
        help_text=gettext_lazy(
            "Theo danh mục của ngày tính (trước 01/07/2025: 63 tỉnh; từ đó: 34 tỉnh)."
        ),
    )
    date = forms.DateField(
        label=gettext_lazy("Số liệu tại ngày"),
        required=False,
        help_text=gettext_lazy("dd/mm/yyyy; để trống là hôm nay."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Ngôn ngữ của báo cáo"),
        choices=settings.LANGUAGES,
        required=False,
    )
    number = forms.CharField(
        label=gettext_lazy("Số văn bản"),
        required=False,
        max_length=NUMBER_LENGTH,
        validators=[
            RegexValidator(r"^[0-9]+$", gettext_lazy("Số văn bản chỉ gồm chữ số, ví dụ 15."))
        ],
        help_text=gettext_lazy(
            "Số trong sổ văn bản đi khi ban hành; để trống thì in “Số:      /…” để ghi tay."
        ),
    )

    def clean_language(self):
        return self.cleaned_data.get("language") or "vi"

    def clean_number(self):
        number = (self.cleaned_data.get("number") or "").strip()
        return str(int(number)) if number else ""  # "05" is number 5

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.forbidden = False
        provinces = list(report_provinces(user))
        groups = []
        for era in (Era.POST2025, Era.PRE2025):
            rows = [(province_value(p), p.name) for p in provinces if p.era == era]
            if rows:
                groups.append((Era(era).label, rows))
        national = _("Toàn quốc") if may_see_national(user) else "—"
        widget = self.fields["province"].widget
        widget.choices = [("", national), *groups]
        widget.attrs["data-era-of"] = "id_date"
        widget.attrs["data-reform-date"] = formats.day(REFORM_DATE)

    def clean(self):
        data = super().clean()
        phase = data.get("phase")
        if phase is None or "date" in self.errors:
            return data
        as_of = data.get("date") or timezone.localdate()
        data["date"] = as_of
        if as_of < phase.starts_on:
            self.add_error(
                "date",
                _("Ngày tính phải từ ngày bắt đầu giai đoạn (%(day)s).")
                % {"day": formats.day(phase.starts_on)},
            )
            return data
        data["province_obj"] = None
        value = (data.get("province") or "").strip()
        if not value:
            if not may_see_national(self.user):
                self.forbidden = True
                self.add_error(
                    "province", _("Báo cáo toàn quốc dành cho Ban điều hành; hãy chọn tỉnh.")
                )
            return data
        era, _sep, code = value.rpartition(":")
        day_era = Era.of(as_of)
        if (era and era not in Era.values) or len(value) > 12:
            self.add_error("province", _("Hãy chọn tỉnh/thành phố trong danh sách."))
            return data
        try:
            province = resolve_province(code, as_of if not era else _day_of(era))
        except ComplianceError as error:
            self.add_error("province", str(error))
            return data
        if province.era != day_era:
            self.add_error(
                "province",
                _(
                    "%(province)s thuộc danh mục %(its)s, còn số liệu tại ngày %(day)s theo "
                    "danh mục %(era)s: hãy chọn tỉnh trong danh mục đó."
                )
                % {
                    "province": province.name,
                    "its": Era(province.era).label,
                    "day": formats.day(as_of),
                    "era": Era(day_era).label,
                },
            )
            return data
        if not may_see_province(self.user, province):
            self.forbidden = True
            own = ", ".join(p.name for p in report_provinces(self.user).filter(era=day_era)) or "—"
            self.add_error(
                "province",
                _(
                    "Bạn chỉ lập được báo cáo của tỉnh mình phụ trách (%(own)s); mã %(code)s "
                    "là %(province)s."
                )
                % {"own": own, "code": province.code, "province": province.name},
            )
            return data
        data["province_obj"] = province
        return data


def _day_of(era: str):
    """A day of ``era`` (its units are what a code is read in)."""
    return REFORM_DATE if era == Era.POST2025 else REFORM_DATE - datetime.timedelta(days=1)


def _recent(user):
    return (
        ReportDocument.objects.for_user(user)
        .select_related("phase", "province")
        .defer("content", "docx", "annex")[:10]
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_report(request):
    """GET: the request form and the user's recent reports. POST (also from the dashboards'
    "Tải báo cáo (PDF, Word)" button): check scoping, find the kept report for the same data,
    language and number or queue a new one, and go to its status page."""
    if request.method == "POST":
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            province = form.cleaned_data["province_obj"]
            try:
                document, _enqueued = request_document(
                    phase=form.cleaned_data["phase"],
                    as_of=form.cleaned_data["date"],
                    province=province,
                    user=request.user,
                    language=form.cleaned_data["language"],
                    number=form.cleaned_data["number"],
                )
            except TooManyJobs as error:
                form.add_error(None, str(error))
                return render(
                    request,
                    "reporting/reports/request.html",
                    {"form": form, "documents": _recent(request.user)},
                    status=429,
                )
            return redirect("reports:status", pk=document.pk)
    else:
        initial = {
            "language": request.LANGUAGE_CODE,
            "date": timezone.localdate(),
            "phase": Phase.objects.containing(timezone.localdate()),
        }
        ids = province_ids_for(request.user)
        if ids:
            first = Province.objects.filter(pk__in=ids).order_by("code").first()
            initial["province"] = province_value(first) if first else ""
        form = ReportRequestForm(initial=initial, user=request.user)
    status = 200
    if form.is_bound:
        status = 403 if form.forbidden else 400
    return render(
        request,
        "reporting/reports/request.html",
        {"form": form, "documents": _recent(request.user)},
        status=status,
    )


@login_required
def status(request, pk):
    """The progress of one report; reloads itself every 2 seconds (an HTTP ``Refresh``
    header, no script) while the job is queued or running. A job whose lease passed is
    reclaimed first (``reporting.tasks.reclaim``: its worker died, or none took it), so the
    page ends with the file, or with the failure and a button to try again."""
    documents = ReportDocument.objects.for_user(request.user)
    reclaim(documents.filter(pk=pk))
    document = get_object_or_404(
        documents.select_related("phase", "province", "snapshot")
        .defer("content", "docx", "annex", "snapshot__figures")
        .annotate(has_annex=ExpressionWrapper(Q(annex__isnull=False), output_field=BooleanField())),
        pk=pk,
    )
    response = render(request, "reporting/reports/status.html", {"document": document})
    if not document.is_finished:
        response["Refresh"] = "2"
    return response


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _ready(request, pk, field):
    other = "docx" if field == "content" else "content"
    return get_object_or_404(
        ReportDocument.objects.for_user(request.user)
        .select_related("phase", "province")
        .defer(other, "annex"),
        pk=pk,
        status=ReportDocument.Status.READY,
        **{f"{field}__isnull": False},
    )


def _attachment(content, content_type, filename):
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def download(request, pk):
    """The kept PDF (404 while it is not ready)."""
    document = _ready(request, pk, "content")
    audit.record(request, audit.PDF, document.filename())
    return _attachment(document.content, "application/pdf", document.filename())


@login_required
def download_docx(request, pk):
    """The kept Word file of the same report (404 while it is not ready, or for a report
    rendered before Word files were made)."""
    document = _ready(request, pk, "docx")
    filename = document.filename("docx")
    audit.record(request, audit.PDF, filename)
    return _attachment(document.docx, DOCX_TYPE, filename)


@login_required
@require_GET
def annex(request, pk):
    """The report's annex as a spreadsheet (.xlsx; 404 while the report is not ready or was
    rendered before annexes were kept)."""
    document = get_object_or_404(
        ReportDocument.objects.for_user(request.user)
        .select_related("phase", "province")
        .defer("content"),
        pk=pk,
        status=ReportDocument.Status.READY,
        annex__isnull=False,
    )
    name = document.filename("xlsx")
    audit.record(request, audit.EXPORT, name)
    response = HttpResponse(bytes(document.annex), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác minh"),
        max_length=20,
        help_text=gettext_lazy("10 ký tự in ở chân mỗi trang của báo cáo."),
    )


@login_required
@require_GET
def verify_lookup(request):
    """A form for the code printed on a report; a code goes to its verification page."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("reports:verify", code=snapshots.normalise_code(form.cleaned_data["code"]))
    return render(
        request,
        "reporting/reports/verify_lookup.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _snapshot(request, code: str) -> FigureSnapshot:
    """The first snapshot with ``code`` that the user may see (404 otherwise: another
    province's, or a national one for an officer)."""
    found = (
        FigureSnapshot.objects.for_user(request.user)
        .filter(code=snapshots.normalise_code(code))
        .select_related("phase", "province", "created_by")
        .order_by("created_at", "pk")
        .first()
    )
    if found is None:
        raise Http404
    return found


#: Clubs whose figures changed listed on the page at most (the count says how many in all).
CHANGED_CLUBS_SHOWN = 100


def _changes(comparison: snapshots.Comparison | None, phase: Phase) -> dict | None:
    """A comparison in words for ``_changes.html``: criteria and targets by label, at most
    ``CHANGED_CLUBS_SHOWN`` changed clubs."""
    if comparison is None:
        return None
    labels = {c.code: _(c.label) for c in phase.criteria.all()}
    targets = {t.code: _(t.label) for t in phase.targets.all()}
    clubs = [
        {
            "code": club.code,
            "members": club.members,
            "loans": club.loans,
            "gained": [labels.get(code, code) for code in club.gained],
            "lost": [labels.get(code, code) for code in club.lost],
        }
        for club in comparison.clubs_changed[:CHANGED_CLUBS_SHOWN]
    ]
    return {
        "comparison": comparison,
        "criteria": [(labels.get(k, k), v) for k, v in comparison.criteria.items()],
        "targets": [(targets.get(k, k), v) for k, v in comparison.targets.items()],
        "clubs": clubs,
        "more": max(0, len(comparison.clubs_changed) - CHANGED_CLUBS_SHOWN),
    }


@login_required
@require_GET
def verify(request, code):
    """Whether the figures frozen under ``code`` still match today's data for the same scope
    and date (``snapshots.compare``), what changed since, and, when the same report was
    issued earlier with other figures, how they differ from that first one."""
    snapshot = _snapshot(request, code)
    comparison = snapshots.compare(snapshot)
    first = snapshots.first_of(snapshot)
    since_first = None
    if first.pk != snapshot.pk:
        since_first = snapshots.difference(
            snapshots.stored_figures(first), snapshots.stored_figures(snapshot)
        )
    documents = (
        ReportDocument.objects.for_user(request.user)
        .filter(snapshot=snapshot, status=ReportDocument.Status.READY)
        .select_related("phase", "province")
        .defer("content", "annex")
    )
    return render(
        request,
        "reporting/reports/verify.html",
        {
            "snapshot": snapshot,
            "comparison": comparison,
            "now": _changes(comparison, snapshot.phase),
            "first": first if since_first is not None else None,
            "since_first": since_first,
            "from_first": _changes(since_first, snapshot.phase),
            "documents": documents,
        },
    )


@login_required
@require_GET
def verify_figures(request, code):
    """The frozen figures as stored: the canonical JSON whose SHA-256 the page shows."""
    snapshot = _snapshot(request, code)
    response = HttpResponse(snapshot.figures.encode(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="so-lieu-{snapshot.code}.json"'
    return response
