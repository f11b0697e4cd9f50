"""Pages to import and export spreadsheets (URL namespace ``spreadsheets``).

Import is two steps: upload → preview of every row's outcome (new, updated, unchanged, error)
→ confirm. Between the two the file is kept in the MEDIA storage (shared by every app server)
under a random name, and the page carries a signed token naming that file and the user, so a
confirm works on any server and only for the user who uploaded.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.access import require_writer

from . import batches, files, jobs, registry, uploads, writers
from . import cells as sheets
from .models import ImportJob
from .services import export_rows, import_file

TOKEN_SALT = "spreadsheets.views.import"
TOKEN_MAX_AGE = uploads.TOKEN_MAX_AGE


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại dữ liệu"), choices=())
    file = forms.FileField(
        label=gettext_lazy("Tệp (.xlsx, .xls, .ods, .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in registry.kinds()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            files.file_format(upload.name)
        except sheets.FileError as error:
            raise forms.ValidationError(str(error)) from None
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(_("Tệp lớn quá %(mb)s MB.") % {"mb": limit})
        return upload


def _storage(user, name=None):
    return uploads.storage(user, name)


@login_required
def index(request):
    """Links to every template, export and the import form."""
    kinds = [(kind.key, kind.label) for kind in registry.kinds()]
    return render(
        request,
        "spreadsheets/index.html",
        {"kinds": kinds, "today": timezone.localdate(), "form": ImportForm()},
    )


@login_required
def upload(request):
    """GET: the upload form; POST: check the file without saving and show the preview."""
    require_writer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        content = upload_file.read()
        storage = _storage(request.user)
        storage.save(content)
        data = {
            "n": storage.name,
            "u": request.user.pk,
            "k": form.cleaned_data["kind"],
            "f": upload_file.name,
            "d": [],
            "m": {},
        }
        return _preview(request, data, content)
    return render(request, "spreadsheets/upload.html", {"form": form})


def _preview(request, data, content):
    """Check the stored file ``data`` names (the token's fields: storage name, user, kind,
    file name, date columns read day-first) without saving, and show the preview with a
    token for the next step (confirm, or read again day-first). A large file is checked by
    the background worker (``spreadsheets.jobs``): the job's page follows it."""
    if jobs.in_background(content, files.file_format(data["f"])):
        return _start_job(request, data, ImportJob.Mode.PREVIEW)
    options = {"kind": data["k"], "content": content, "filename": data["f"]}
    options |= {"user": request.user, "dry_run": True, "day_first": data["d"]}
    report = import_file(**options, renamed=data["m"])
    remembered = False
    if report.missing and not data["m"]:
        saved = batches.remembered_mapping(request.user, data["k"], report.headers_key)
        if saved:
            data["m"], remembered = saved, True
            report = import_file(**options, renamed=saved)
    token = signing.dumps(data, salt=TOKEN_SALT)
    return render(
        request,
        "spreadsheets/preview.html",
        {
            "report": report,
            "token": token,
            "kind_label": registry.get(data["k"]).label,
            "kind": data["k"],
            "remembered": remembered,
        },
    )


def _start_job(request, data, mode):
    job = jobs.start(
        user=request.user,
        kind=data["k"],
        upload=data["n"],
        file_name=data["f"],
        options={"d": data["d"], "m": data["m"]},
        mode=mode,
    )
    return redirect("spreadsheets:job", pk=job.pk)


@login_required
def job_page(request, pk):
    """A background preview or import: its progress while it runs (the page refreshes every
    2 seconds), then the preview, or the saved batch's page."""
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    kind_label = registry.get(job.kind).label
    if job.status == ImportJob.Status.DONE and job.mode == ImportJob.Mode.IMPORT and job.batch:
        return redirect("spreadsheets:batch", pk=job.batch_id)
    if job.status == ImportJob.Status.DONE:
        data = {"n": job.upload, "u": request.user.pk, "k": job.kind, "f": job.file_name}
        data |= {"d": job.options.get("d", []), "m": job.options.get("m", {})}
        report = job.result
        return render(
            request,
            "spreadsheets/preview.html",
            {
                "report": report,
                "token": signing.dumps(data, salt=TOKEN_SALT) if job.mode == "preview" else None,
                "kind_label": kind_label,
                "kind": job.kind,
                "rows": _rows_to_show(report["rows"]),
                "hidden_rows": max(len(report["rows"]) - JOB_ROWS_SHOWN, 0),
            },
        )
    response = render(
        request,
        "spreadsheets/job.html",
        {"job": job, "kind_label": kind_label, "progress": jobs.progress(job)},
    )
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        response["Refresh"] = "2"
    return response


#: A background job's preview shows its rows with an error and this many others.
JOB_ROWS_SHOWN = 200


def _rows_to_show(rows):
    errors = [r for r in rows if r["outcome"] == "error"]
    return errors + [r for r in rows if r["outcome"] != "error"][:JOB_ROWS_SHOWN]


def _token_data(request):
    """The fields of the posted token, or None when it expired or is not this user's (a
    message says so); raises Http404 for a token of another user or kind."""
    try:
        data = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("Phiên nhập dữ liệu đã hết hạn; hãy tải tệp lên lại."))
        return None
    if data.get("u") != request.user.pk or data.get("k") not in {k.key for k in registry.kinds()}:
        raise Http404
    data.setdefault("d", [])
    data.setdefault("m", {})
    return data


def _stored(request, data):
    try:
        return _storage(request.user, data["n"]).read()
    except (FileNotFoundError, OSError):
        messages.error(request, _("Không còn tệp đã tải lên; hãy tải tệp lên lại."))
        return None


@login_required
@require_POST
def reread(request):
    """Preview the uploaded file again: reading the date cells of the posted ``day_first``
    columns day-first (the preview's offer for dates a spreadsheet read month-first), and
    taking each posted ``map:<template header>`` as the file's column of that name (the
    column-mapping step for a required column the file names otherwise)."""
    require_writer(request.user)
    data = _token_data(request)
    content = _stored(request, data) if data else None
    if content is None:
        return redirect("spreadsheets:upload")
    if "day_first" in request.POST:
        data["d"] = sorted({h for h in request.POST.getlist("day_first") if h})[:50]
    for key, value in request.POST.items():
        if key.startswith("map:") and len(data["m"]) < 50:
            if value:
                data["m"][key[4:][:100]] = value[:200]
            else:
                data["m"].pop(key[4:], None)
    return _preview(request, data, content)


@login_required
@require_POST
def cancel(request):
    """Cancel a previewed import: its stored upload is deleted."""
    data = _token_data(request)
    if data:
        _storage(request.user, data["n"]).remove()
        messages.info(request, _("Đã huỷ; tệp đã tải lên được xoá."))
    return redirect("spreadsheets:upload")


@login_required
@require_POST
def confirm(request):
    """Import the file checked on the preview page (for the user who uploaded it)."""
    require_writer(request.user)
    data = _token_data(request)
    done = batches.batch_of_upload(f"{request.user.pk}/{data['n']}") if data else None
    if done is not None:  # a second click on "confirm"
        messages.info(request, _("Tệp này đã được nhập (lô %(batch)s).") % {"batch": done.pk})
        return redirect("spreadsheets:batch", pk=done.pk)
    content = _stored(request, data) if data else None
    if content is None:
        return redirect("spreadsheets:upload")
    if jobs.in_background(content, files.file_format(data["f"])):
        return _start_job(request, data, ImportJob.Mode.IMPORT)
    kind_label = registry.get(data["k"]).label
    storage = _storage(request.user, data["n"])
    report = import_file(
        upload=f"{request.user.pk}/{data['n']}",
        kind=data["k"],
        content=content,
        filename=data["f"],
        user=request.user,
        dry_run=False,
        day_first=data["d"],
        renamed=data["m"],
    )
    if not report.imported:
        return render(
            request,
            "spreadsheets/preview.html",
            {"report": report, "token": None, "kind_label": kind_label},
        )
    storage.remove()
    if report.renamed:
        batches.remember_mapping(report.batch, report.headers_key, report.renamed)
    counts = report.counts
    messages.success(
        request,
        _(
            "Đã nhập %(kind)s (lô %(batch)s): %(new)s mới, %(updated)s cập nhật, "
            "%(unchanged)s không đổi."
        )
        % {"kind": str(kind_label).lower(), "batch": report.batch.pk, **counts},
    )
    return redirect("spreadsheets:batch", pk=report.batch.pk)


BATCHES_PER_PAGE = 30


def _kind_label(key):
    try:
        return registry.get(key).label
    except KeyError:
        return key


@login_required
def batch_list(request):
    """Lịch sử nhập dữ liệu: the batches the user may see, newest first (30 a page), each with
    the undo button where the user may undo it."""
    paginator = Paginator(batches.visible_batches(request.user), BATCHES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(b, _kind_label(b.kind), batches.may_undo(request.user, b)) for b in page.object_list]
    return render(request, "spreadsheets/batches.html", {"page": page, "rows": rows})


def _visible_batch(user, pk):
    return get_object_or_404(batches.visible_batches(user), pk=pk)


def _batch_page(request, batch, *, blockers=None, more=0, status=200):
    allowed = batches.may_undo(request.user, batch)
    if allowed and blockers is None:
        blockers, more = batches.blockers(batch)
    context = {
        "batch": batch,
        "kind_label": _kind_label(batch.kind),
        "may_undo": allowed,
        "blockers": blockers or [],
        "more": more,
        "clubs": len(batch.club_ids or []),
    }
    return render(request, "spreadsheets/batch.html", context, status=status)


@login_required
def batch_detail(request, pk):
    """One batch: what it did, whether it can be undone now (what blocks it) and the button."""
    return _batch_page(request, _visible_batch(request.user, pk))


@login_required
@require_POST
def batch_undo(request, pk):
    """Undo a batch (POST only): for an administrator or the officer who imported it (403
    otherwise). A blocked undo answers 409 with the page listing what blocks it; an undone
    batch says so."""
    require_writer(request.user)
    batch = _visible_batch(request.user, pk)
    if batch.is_undone:
        messages.info(request, _("Lô %(batch)s đã được hoàn tác trước đó.") % {"batch": pk})
        return redirect("spreadsheets:batch", pk=pk)
    if not batches.may_undo(request.user, batch):
        raise PermissionDenied
    result = batches.undo(batch.pk, user=request.user)
    if result.already:
        messages.info(request, _("Lô %(batch)s đã được hoàn tác trước đó.") % {"batch": pk})
    elif result.done:
        messages.success(
            request,
            _("Đã hoàn tác lô %(batch)s: xoá %(deleted)s bản ghi, khôi phục %(restored)s bản ghi.")
            % {"batch": pk, "deleted": result.deleted, "restored": result.restored},
        )
    else:
        messages.error(request, _("Không hoàn tác được lô %(batch)s.") % {"batch": pk})
        return _batch_page(
            request, result.batch, blockers=result.blockers, more=result.more, status=409
        )
    return redirect("spreadsheets:batch", pk=pk)


@login_required
def export(request, kind, fmt):
    """The list of ``kind`` the user may see, in its import template."""
    if kind not in {k.key for k in registry.kinds()} or fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows, resource = export_rows(kind=kind, user=request.user)
    audit.record(request, audit.EXPORT, f"{kind}.{fmt}: {len(rows)} dòng")
    stamp = timezone.localdate().isoformat()
    return writers.table_response(
        headers,
        rows,
        fmt=fmt,
        basename=f"{registry.get(kind).file_name}-{stamp}",
        columns=resource.columns,
        title=resource.title,
    )


@login_required
def template(request, kind):
    """A blank template (.xlsx) with an instructions sheet."""
    try:
        found = registry.get(kind)
    except KeyError:
        raise Http404 from None
    content = writers.blank_template(found.resource.columns, found.resource.title)
    return writers.response(content, f"mau-{found.file_name}.xlsx", "xlsx")
