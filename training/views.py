"""Training sessions (with the clubs that attended) and monitoring visits in the workspace."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import submissions
from accounts.access import can_write, check_province_write, scoped_object, writer_required
from clubs.models import Club
from common.http import form_data

from .forms import MonitoringVisitForm, TrainingSessionForm
from .models import MonitoringVisit, TrainingSession


def can_edit_session(user, session) -> bool:
    """Officers change the sessions of their provinces; national sessions (no province) only
    administrators; the board nothing."""
    if not can_write(user):
        return False
    if session.province_id is None:
        return user.is_administrator
    return check_province_write(user, session.province_id)


@login_required
@require_safe
def session_list(request):
    sessions = (
        TrainingSession.objects.for_user(request.user)
        .select_related("province")
        .annotate(n_clubs=Count("attendances"))
        .order_by("-held_on", "code")
    )
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "training/session_list.html",
        {"page": page, "can_edit": can_write(request.user)},
    )


@login_required
@require_safe
def session_detail(request, pk):
    session = scoped_object(request.user, TrainingSession.objects.select_related("province"), pk=pk)
    attendances = (
        session.attendances.filter(club__in=Club.objects.for_user(request.user))
        .select_related("club__province")
        .order_by("club__code")
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "attendances": attendances,
            "can_edit": can_edit_session(request.user, session),
        },
    )


@writer_required
@submissions.guarded
def session_create(request):
    form = TrainingSessionForm(
        form_data(request), user=request.user, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():

        def create():
            session = form.save()
            messages.success(request, _("Đã tạo lớp tập huấn %(s)s.") % {"s": session})
            return reverse("training:detail", args=[session.pk])

        return submissions.once(request, create)
    return render(request, "training/session_form.html", {"form": form, "session": None})


@writer_required
def session_edit(request, pk):
    session = scoped_object(request.user, TrainingSession, pk=pk)
    if not can_edit_session(request.user, session):
        raise PermissionDenied
    form = TrainingSessionForm(form_data(request), instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Đã lưu lớp tập huấn."))
        return redirect("training:detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "session": session})


@writer_required
@submissions.guarded
def visit_create(request, club_pk):
    club = scoped_object(request.user, Club, pk=club_pk)
    form = MonitoringVisitForm(
        form_data(request), club=club, initial={"visited_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():

        def create():
            form.save()
            messages.success(request, _("Đã ghi nhận lần giám sát."))
            return reverse("clubs:detail", args=[club.pk])

        return submissions.once(request, create)
    return render(request, "training/visit_form.html", {"form": form, "club": club, "visit": None})


@writer_required
def visit_edit(request, pk):
    visit = scoped_object(request.user, MonitoringVisit.objects.select_related("club"), pk=pk)
    form = MonitoringVisitForm(form_data(request), instance=visit, club=visit.club)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu lần giám sát."))
        return redirect("clubs:detail", pk=visit.club_id)
    return render(
        request, "training/visit_form.html", {"form": form, "club": visit.club, "visit": visit}
    )
