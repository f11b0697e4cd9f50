"""Pages to import and export spreadsheets (URL names under the ``io`` namespace).

Import is two steps: upload → preview of every row's outcome (new, updated, unchanged, error)
→ confirm. Between the two the file is kept in the MEDIA storage (shared by every app server)
under a random name, and the page carries a signed token naming that file and the user, so a
confirm works on any server and only for the user who uploaded.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.tmp_storages import MediaStorage

from accounts import audit

from . import exports
from . import spreadsheets as sheets
from .models import Club
from .services import KINDS, export_rows, import_file, resource_class

KIND_LABELS = {
    "clubs": gettext_lazy("Câu lạc bộ"),
    "members": gettext_lazy("Thành viên"),
    "loans": gettext_lazy("Khoản vay"),
    "training": gettext_lazy("Tập huấn"),
    "monitoring": gettext_lazy("Giám sát"),
}
FILE_NAMES = {
    "clubs": "danh-sach-clb",
    "members": "danh-sach-thanh-vien",
    "loans": "danh-sach-khoan-vay",
    "training": "danh-sach-tap-huan",
    "monitoring": "danh-sach-giam-sat",
}
TOKEN_SALT = "clubs.views_io.import"
TOKEN_MAX_AGE = 6 * 3600
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại dữ liệu"), choices=KIND_LABELS.items())
    file = forms.FileField(
        label=gettext_lazy("Tệp (.xlsx, .xls, .ods, .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            sheets.file_format(upload.name)
        except sheets.FileError as error:
            raise forms.ValidationError(str(error)) from None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn quá 20 MB."))
        return upload


def _require_writer(user):
    if not user.can_write:
        raise PermissionDenied


def _storage(user, name=None):
    return MediaStorage(name=name, MEDIA_FOLDER=f"imports/{user.pk}")


@login_required
def index(request):
    """Links to every template, export and the import form."""
    kinds = [(kind, KIND_LABELS[kind]) for kind in KINDS]
    return render(
        request,
        "imports/index.html",
        {"kinds": kinds, "today": timezone.localdate(), "form": ImportForm()},
    )


@login_required
def upload(request):
    """GET: the upload form; POST: check the file without saving and show the preview."""
    _require_writer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        upload_file = form.cleaned_data["file"]
        content = upload_file.read()
        report = import_file(
            kind=kind,
            content=content,
            filename=upload_file.name,
            user=request.user,
            dry_run=True,
        )
        token = None
        if report.ok:
            storage = _storage(request.user)
            storage.save(content)
            token = signing.dumps(
                {"n": storage.name, "u": request.user.pk, "k": kind, "f": upload_file.name},
                salt=TOKEN_SALT,
            )
        return render(
            request,
            "imports/preview.html",
            {"report": report, "token": token, "kind_label": KIND_LABELS[kind], "kind": kind},
        )
    return render(request, "imports/upload.html", {"form": form})


@login_required
@require_POST
def confirm(request):
    """Import the file checked on the preview page (for the user who uploaded it)."""
    _require_writer(request.user)
    try:
        data = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("Phiên nhập dữ liệu đã hết hạn; hãy tải tệp lên lại."))
        return redirect("io:upload")
    if data.get("u") != request.user.pk or data.get("k") not in KINDS:
        raise Http404
    storage = _storage(request.user, data["n"])
    try:
        content = storage.read()
    except (FileNotFoundError, OSError):
        messages.error(request, _("Không còn tệp đã tải lên; hãy tải tệp lên lại."))
        return redirect("io:upload")
    report = import_file(
        kind=data["k"], content=content, filename=data["f"], user=request.user, dry_run=False
    )
    if not report.imported:
        return render(
            request,
            "imports/preview.html",
            {"report": report, "token": None, "kind_label": KIND_LABELS[data["k"]]},
        )
    storage.remove()
    counts = report.counts
    messages.success(
        request,
        _("Đã nhập %(kind)s: %(new)s mới, %(updated)s cập nhật, %(unchanged)s không đổi.")
        % {"kind": KIND_LABELS[data["k"]].lower(), **counts},
    )
    return redirect("io:index")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _write(headers, rows, fmt, basename, columns=None, title=""):
    if fmt == "csv":
        return _download(exports.write_csv(headers, rows), f"{basename}.csv", exports.CSV_TYPE)
    if fmt == "xlsx":
        content = exports.write_xlsx(headers, rows, columns, title)
        return _download(content, f"{basename}.xlsx", exports.XLSX_TYPE)
    raise Http404


@login_required
def export(request, kind, fmt):
    """The list of ``kind`` the user may see, in its import template."""
    if kind not in KINDS or fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows, resource = export_rows(kind=kind, user=request.user)
    audit.record(request, audit.EXPORT, f"{kind}.{fmt}: {len(rows)} dòng")
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _write(
        headers, rows, fmt, f"{FILE_NAMES[kind]}-{stamp}", resource.columns, resource.title
    )


@login_required
def template(request, kind):
    """A blank template (.xlsx) with an instructions sheet."""
    if kind not in KINDS:
        raise Http404
    cls = resource_class(kind)
    content = exports.blank_template(cls.columns, cls.title)
    return _download(content, f"mau-{FILE_NAMES[kind]}.xlsx", exports.XLSX_TYPE)


def compliance_rows(report):
    """Headers and rows of the compliance table of ``report`` (``reporting.compliance``)."""
    headers = [
        _("Mã CLB"),
        _("Tên CLB"),
        _("Tỉnh/Thành phố"),
        _("Ngày thành lập"),
        _("Số thành viên đang tham gia"),
    ]
    for criterion in report.criteria:
        headers += [f"{criterion.label}: {_('đạt')}", f"{criterion.label}: {_('còn thiếu')}"]
    headers.append(_("Đạt chuẩn"))
    rows = []
    for club in report.clubs:
        row = [club.code, club.name, club.province_name, club.founded_on, club.active_members]
        for criterion in report.criteria:
            result = club.criteria.get(criterion.code)
            row.append(_("Có") if result and result.passed else _("Không"))
            row.append(result.gap.reason if result and result.gap else "")
        row.append(_("Có") if club.compliant else _("Không"))
        rows.append(row)
    return headers, rows


@login_required
def compliance(request, fmt):
    """The compliance table at ``?ngay=dd/mm/yyyy`` (default today), for the user's clubs."""
    from reporting.compliance import ComplianceError, compute

    if fmt not in ("csv", "xlsx"):
        raise Http404
    as_of = timezone.localdate()
    if request.GET.get("ngay"):
        try:
            as_of = sheets.parse_date(request.GET["ngay"]) or as_of
        except ValueError:
            raise Http404 from None
    try:
        report = compute(as_of, clubs=Club.objects.for_user(request.user), with_targets=False)
    except ComplianceError as error:
        messages.error(request, str(error))
        return redirect("io:index")
    headers, rows = compliance_rows(report)
    audit.record(request, audit.EXPORT, f"compliance.{fmt} {as_of:%d/%m/%Y}: {len(rows)} dòng")
    name = f"tuan-thu-{as_of:%Y%m%d}"
    return _write(headers, rows, fmt, name, title=_("Bảng đạt chuẩn ngày %(d)s") % {"d": _d(as_of)})


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")
