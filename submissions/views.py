"""The submissions pages: the status of every province for a period (with the national
figures from accepted snapshots beside the live ones), one province's submission (preview,
submit, review, timeline), and the review's and submit's POSTs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import can_review, can_submit, province_ids_for, writer_required
from clubs.models import Province
from reporting import snapshots

from . import flow
from .forms import PeriodForm, ReviewForm, SubmitForm
from .models import Period, Status, Submission
from .status import national_columns, period_rows


def _province(request, period: Period, code: str) -> Province:
    """The province ``code`` of the era of the period's end, if the user may see it (404)."""
    province = get_object_or_404(Province, era=period.era, code=code)
    ids = province_ids_for(request.user)
    if ids is not None and (province.successor_id or province.pk) not in ids:
        raise Http404
    return province


@login_required
@require_safe
def status(request):
    """Each province's status for the chosen period (officers: their own provinces), late
    when past the deadline, "accepted data only", and the national figures from the accepted
    snapshots beside the live ones."""
    form = PeriodForm(request.GET or None)
    period, accepted_only = form.chosen()
    context = {"form": form, "period": period, "accepted_only": accepted_only}
    if period is not None:
        rows = period_rows(period, request.user)
        if accepted_only:
            rows = [r for r in rows if r.status == Status.ACCEPTED]
        context["rows"] = rows
        context["counts"] = {s.value: sum(1 for r in rows if r.status == s.value) for s in Status}
        context["late_count"] = sum(1 for r in rows if r.late)
        if province_ids_for(request.user) is None:
            context["national"] = national_columns(period, rows, accepted_only)
    return render(request, "submissions/status.html", context)


def _detail_context(request, period, province, submit_form=None, review_form=None):
    submission = Submission.objects.filter(period=period, province=province).first()
    today = timezone.localdate()
    steps = (
        list(submission.steps.select_related("user").prefetch_related("comments__club"))
        if submission
        else []
    )
    frozen = submission.snapshots() if submission else []
    checks = [(s, snapshots.compare(s)) for s in frozen]
    may_submit = (
        can_submit(request.user, province)
        and period.ends_on <= today
        and flow.can_be_submitted(submission)
    )
    may_review = can_review(request.user) and submission and submission.status == Status.SUBMITTED
    context = {
        "period": period,
        "province": province,
        "submission": submission,
        "status_label": (
            submission.get_status_display() if submission else Status.NOT_SUBMITTED.label
        ),
        "late": period.is_late(today)
        and (submission is None or submission.status in ("", Status.RETURNED)),
        "steps": steps,
        "checks": checks,
        "may_submit": may_submit,
        "may_review": may_review,
        "reopening": submission.active_reopening(today) if submission else None,
    }
    if may_submit:
        context["preview"] = flow.preview(period, province)
        context["submit_form"] = submit_form or SubmitForm()
    if may_review:
        clubs = []
        if frozen:
            from clubs.models import Club

            codes = snapshots.stored_figures(frozen[-1]).get("clubs", {}).keys()
            clubs = list(Club.objects.filter(code__in=codes).order_by("code"))
        context["review_form"] = review_form or ReviewForm(clubs=clubs)
    return context


@login_required
@require_safe
def detail(request, period, code):
    """One province's submission for a period: status, timeline of every step with its
    comments, the frozen snapshots against today's data, and the preview and submit form (its
    officers) or the review form (the board, administrators)."""
    period = get_object_or_404(Period, pk=period)
    province = _province(request, period, code)
    return render(request, "submissions/detail.html", _detail_context(request, period, province))


@writer_required
@require_POST
def submit(request, period, code):
    period = get_object_or_404(Period, pk=period)
    province = _province(request, period, code)
    if not can_submit(request.user, province):
        raise PermissionDenied
    form = SubmitForm(request.POST)
    url = reverse("submissions:detail", args=[period.pk, province.code])
    if not form.is_valid():
        return render(
            request,
            "submissions/detail.html",
            _detail_context(request, period, province, submit_form=form),
        )
    try:
        flow.submit(period, province, request.user, form.cleaned_data["comment"])
    except flow.StepRefused as error:
        messages.info(request, str(error))
        return redirect(url)
    messages.success(
        request,
        _("Đã gửi số liệu %(period)s của %(province)s.")
        % {"period": period.label, "province": province.name},
    )
    return redirect(url)


@login_required
@require_POST
def review(request, period, code):
    if not can_review(request.user):
        raise PermissionDenied
    period = get_object_or_404(Period, pk=period)
    province = _province(request, period, code)
    submission = get_object_or_404(Submission, period=period, province=province)
    url = reverse("submissions:detail", args=[period.pk, province.code])
    frozen = submission.snapshots()
    from clubs.models import Club

    codes = snapshots.stored_figures(frozen[-1]).get("clubs", {}).keys() if frozen else []
    form = ReviewForm(request.POST, clubs=list(Club.objects.filter(code__in=codes)))
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            flow.review(
                submission.pk, request.user, accept, form.cleaned_data["comment"], form.comments()
            )
        except flow.StepRefused as error:
            if submission.status == Status.SUBMITTED and not accept:
                form.add_error("comment", str(error))
            else:
                messages.info(request, str(error))
                return redirect(url)
        else:
            messages.success(
                request,
                _("Đã chấp nhận số liệu.") if accept else _("Đã trả lại số liệu cho tỉnh."),
            )
            return redirect(url)
    return render(
        request,
        "submissions/detail.html",
        _detail_context(request, period, province, review_form=form),
    )
