"""A club's monthly meetings: the year grid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can_write, require_writer, scoped_object
from clubs.models import Club
from common.http import form_data

from .forms import meeting_formset


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
        with transaction.atomic():
            saved = 0
            for form in formset.forms:
                if form.cleaned_data.get("DELETE") and form.instance.pk:
                    form.instance.delete()
                elif form.has_changed() and form.cleaned_data.get("held_on"):
                    form.save()
                    saved += 1
        messages.success(
            request, _("Đã lưu %(n)s buổi sinh hoạt năm %(year)s.") % {"n": saved, "year": year}
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
