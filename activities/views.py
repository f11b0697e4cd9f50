"""A club's life in the workspace: the year grid of its meetings, its activities by month."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can_write, require_writer, scoped_object
from clubs.models import Club
from common.dates import add_months
from common.http import form_data
from members.models import Member

from .forms import ActivityMonthForm, meeting_formset
from .models import ActivityKind, ActivityRecord


def _save_meetings(formset) -> int | None:
    """Save the grid's rows in one transaction, the deleted rows first; the number of meetings
    saved, or ``None`` (nothing saved, an error on the grid) when a date meets one of the
    club's meetings stored meanwhile (another user's save, or two rows trading dates)."""
    try:
        with transaction.atomic():
            for form in formset.forms:
                if form.cleaned_data.get("DELETE") and form.instance.pk:
                    form.instance.delete()
            saved = 0
            for form in formset.forms:
                if form.cleaned_data.get("DELETE"):
                    continue
                if form.has_changed() and form.cleaned_data.get("held_on"):
                    form.save()
                    saved += 1
    except IntegrityError:
        formset._non_form_errors.append(  # noqa: SLF001 - the formset's own error list
            _(
                "Chưa lưu: một ngày họp trùng với buổi sinh hoạt đã có của CLB (có thể vừa được "
                "người khác lưu, hoặc hai dòng đổi ngày cho nhau). Hãy tải lại trang rồi nhập lại."
            )
        )
        return None
    return saved


@login_required
def meeting_grid(request, club_pk, year):
    """The meetings of a club in ``year`` as a grid: every row saved in one transaction, or
    nothing saved and every row keeping what was typed. Readers (the board) see the list."""
    club = scoped_object(request.user, Club, pk=club_pk)
    if request.method == "POST":
        require_writer(request.user)
    if not club.founded_on.year <= year <= timezone.localdate().year:
        raise Http404
    formset = meeting_formset(club, year, form_data(request))
    if request.method == "POST" and formset.is_valid():
        saved = _save_meetings(formset)
        if saved is not None:
            messages.success(
                request,
                _("Đã lưu %(n)s buổi sinh hoạt năm %(year)s.") % {"n": saved, "year": year},
            )
            return redirect("activities:meetings", club_pk=club.pk, year=year)
    years = range(timezone.localdate().year, club.founded_on.year - 1, -1)
    return render(
        request,
        "activities/meeting_grid.html",
        {
            "club": club,
            "year": year,
            "years": years,
            "formset": formset,
            "can_edit": can_write(request.user),
        },
    )


def _month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


@login_required
def activity_month(request, club_pk, year, month):
    """A club's activities of one month (the kinds in force that month): writers record them,
    all in one transaction; readers (the board) see them."""
    club = scoped_object(request.user, Club, pk=club_pk)
    if not 1 <= month <= 12:
        raise Http404
    first = datetime.date(year, month, 1)
    today = timezone.localdate()
    if first > today or _month_end(first) < club.founded_on:
        raise Http404
    if request.method == "POST":
        require_writer(request.user)
    last = min(_month_end(first), today)
    kinds = list(ActivityKind.objects.filter(starts_on__lte=last))
    stored = {r.kind_id: r for r in ActivityRecord.objects.filter(club=club, month=first)}
    members = Member.objects.filter(club=club).active_on(last).count()
    form = ActivityMonthForm(form_data(request), kinds=kinds, stored=stored, members=members)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for kind in kinds:
                values = {
                    "held": form.cleaned_data[f"held_{kind.pk}"],
                    "participants": form.cleaned_data[f"participants_{kind.pk}"],
                    "visits": form.cleaned_data.get(f"visits_{kind.pk}"),
                }
                if kind.pk in stored or values["held"]:
                    ActivityRecord.objects.update_or_create(
                        club=club, kind=kind, month=first, defaults=values
                    )
        messages.success(
            request, _("Đã lưu hoạt động tháng %(month)s.") % {"month": f"{month:02d}/{year}"}
        )
        return redirect("activities:month", club_pk=club.pk, year=year, month=month)
    previous = add_months(first, -1)
    following = add_months(first, 1)
    return render(
        request,
        "activities/activity_month.html",
        {
            "club": club,
            "form": form,
            "first": first,
            "members": members,
            "previous": previous if _month_end(previous) >= club.founded_on else None,
            "following": following if following <= today else None,
            "can_edit": can_write(request.user),
        },
    )
