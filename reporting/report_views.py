"""Pages of the phase reports (URLs in ``reporting.urls_reports``, namespace ``reports``):
request a report (the job goes to the background queue), follow its progress, download it as
PDF or as an editable Word file (.docx).

Scoping: the national report is for the board and administrators (an officer gets 403); a
province report for an officer's own provinces only (another province: 404), through
``accounts.access.province_ids_for``, the rule behind ``Club.objects.for_user``.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import audit
from accounts.access import province_ids_for
from clubs.models import Era, Province
from common import formats

from .compliance import ComplianceError, resolve_province
from .models import NUMBER_LENGTH, Phase, ReportDocument
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


class ReportRequestForm(forms.Form):
    """Which report: a phase, an optional province code (in the units of the date's era; empty
    for the national report), the as-of date (dd/mm/yyyy, default today), the language and the
    document number from the issuer's outgoing register (digits; empty: left blank)."""

    phase = forms.ModelChoiceField(
        label=gettext_lazy("Giai đoạn"),
        queryset=Phase.objects.all(),
        to_field_name="code",
        error_messages={"invalid_choice": gettext_lazy("Không có giai đoạn này.")},
    )
    province = forms.CharField(
        label=gettext_lazy("Mã tỉnh/thành phố"),
        required=False,
        max_length=2,
        help_text=gettext_lazy("Để trống cho báo cáo toàn quốc; mã theo danh mục của ngày tính."),
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
        if data.get("province"):
            try:
                data["province_obj"] = resolve_province(data["province"], as_of)
            except ComplianceError as error:
                self.add_error("province", str(error))
        return data


def _recent(user):
    return (
        ReportDocument.objects.for_user(user)
        .select_related("phase", "province")
        .defer("content", "docx")[:10]
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_report(request):
    """GET: the request form and the user's recent reports. POST (also from the dashboards'
    "Tải báo cáo (PDF, Word)" button): check scoping, find the kept report for the same data,
    language and number or queue a new one, and go to its status page."""
    if request.method == "POST":
        form = ReportRequestForm(request.POST)
        if form.is_valid():
            province = form.cleaned_data["province_obj"]
            if province is None and not may_see_national(request.user):
                raise PermissionDenied(_("Báo cáo toàn quốc dành cho Ban điều hành."))
            if province is not None and not may_see_province(request.user, province):
                raise Http404
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
            initial["province"] = first.code if first else ""
        form = ReportRequestForm(initial=initial)
    return render(
        request,
        "reporting/reports/request.html",
        {"form": form, "documents": _recent(request.user)},
        status=400 if form.is_bound else 200,
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
        documents.select_related("phase", "province").defer("content", "docx"), pk=pk
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
        .defer(other),
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
