"""Members in the officers' workspace: page, add, edit, mark as left, the quick-entry grid for
many members at once, and household-status assessments over time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts import submissions
from accounts.access import (
    can_see_national_id,
    can_see_phone,
    can_write,
    scoped_object,
    writer_required,
)
from clubs.history import history_entries
from clubs.models import Club, Commune
from common import formats
from common.http import form_data, parse_id
from common.signals import send_data_changed

from .forms import (
    AssessmentForm,
    LeaveForm,
    MemberForm,
    QuickEntryHeaderForm,
    QuickMemberFormSet,
    RecertificationForm,
    TransferForm,
    ask_namesake_confirmation,
    format_birth,
)
from .models import (
    HouseholdAssessment,
    HouseholdStatus,
    Member,
    assessment_change,
    namesake_warning,
    status_at,
)
from .search import CappedPaginator, search_members


@login_required
@require_safe
def member_search(request):
    """Members of every province the user may see (the board and administrators: the whole
    country) by name, code, phone or the last digits of the national ID (``members.search``),
    with club, commune and birth year; paginated, at most ``RESULT_CAP`` listed."""
    text = (request.GET.get("q") or "").strip()[:100]
    found = search_members(Member.objects.for_user(request.user), text, request.user)
    paginator = CappedPaginator(found)
    page = paginator.get_page(request.GET.get("page")) if text else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/member_search.html",
        {
            "q": text,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "by_phone": can_see_phone(request.user),
        },
    )


@login_required
@require_safe
def member_detail(request, pk):
    member = scoped_object(request.user, Member.objects.select_related("club"), pk=pk)
    today = timezone.localdate()
    show_id = can_see_national_id(request.user)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "club": member.club,
            "today": today,
            "age": member.age_on(today),
            "birth": format_birth(member),
            "status_label": HouseholdStatus(member.household_status_on(today)).label,
            "assessments": member.assessments.order_by("-assessed_on"),
            "loans": member.loans.all(),
            "history": history_entries(
                member, show_sensitive=show_id, show_phone=can_see_phone(request.user)
            ),
            "can_edit": can_write(request.user),
        },
    )


@writer_required
@submissions.guarded
def member_create(request, club_pk):
    club = scoped_object(request.user, Club, pk=club_pk)
    form = MemberForm(form_data(request), user=request.user, club=club)
    if request.method == "POST" and form.is_valid():

        def create():
            member = form.save()
            messages.success(request, _("Đã thêm thành viên %(name)s.") % {"name": member})
            if "another" in request.POST:
                return reverse("members:create", args=[club.pk])
            return reverse("clubs:detail", args=[club.pk])

        return submissions.once(request, create)
    return render(request, "members/member_form.html", {"form": form, "club": club, "member": None})


@writer_required
def member_edit(request, pk):
    member = scoped_object(request.user, Member.objects.select_related("club"), pk=pk)
    form = MemberForm(form_data(request), instance=member, user=request.user, club=member.club)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thành viên %(name)s.") % {"name": member})
        return redirect("members:detail", pk=member.pk)
    return render(
        request, "members/member_form.html", {"form": form, "club": member.club, "member": member}
    )


@writer_required
def member_leave(request, pk):
    member = scoped_object(request.user, Member.objects.select_related("club"), pk=pk)
    form = LeaveForm(form_data(request), instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã ghi nhận %(name)s rời CLB.") % {"name": member})
        return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_leave.html", {"form": form, "member": member})


@writer_required
@submissions.guarded
def assessment_create(request, pk):
    member = scoped_object(request.user, Member.objects.select_related("club"), pk=pk)
    form = AssessmentForm(
        form_data(request), member=member, initial={"assessed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():

        def create():
            form.save()
            messages.success(request, _("Đã ghi nhận đánh giá hoàn cảnh."))
            return reverse("members:detail", args=[member.pk])

        return submissions.once(request, create)
    return render(request, "members/assessment_form.html", {"form": form, "member": member})


def grid_errors(header, formset) -> list[tuple[str | None, str]]:
    """Every error of the quick-entry page in page order, as ``(id of the cell, text)`` for the
    error summary at its top (``None``: an error of no one cell): the header's, the grid's,
    then each row's, "Dòng 4, Năm/ngày sinh: …"."""
    found = [(None, str(e)) for e in header.non_field_errors()]
    for field in header:
        found += [(field.id_for_label, f"{field.label}: {e}") for e in field.errors]
    found += [(None, str(e)) for e in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        for field in form.visible_fields():
            found += [
                (
                    field.id_for_label,
                    _("Dòng %(n)s, %(column)s: %(error)s")
                    % {"n": number, "column": field.label, "error": e},
                )
                for e in field.errors
            ]
    return found


def _render_grid(request, club, header, formset):
    return render(
        request,
        "members/quick_entry.html",
        {
            "club": club,
            "header": header,
            "formset": formset,
            "error_summary": grid_errors(header, formset) if header.is_bound else [],
        },
    )


@writer_required
@submissions.guarded
def quick_entry(request, club_pk):
    """Many members in one page: a grid of rows (blank rows are skipped). The whole grid is
    saved in one transaction, or nothing is saved and every row keeps what was typed."""
    club = scoped_object(request.user, Club, pk=club_pk)
    if request.method == "POST":
        header = QuickEntryHeaderForm(request.POST)
        formset = QuickMemberFormSet(request.POST, prefix="m")
        if "more" in request.POST:
            # "Add 10 rows" without JavaScript: what was typed, then 10 blank rows, no errors yet.
            names = list(QuickMemberFormSet.form.base_fields)
            total = min(parse_id(request.POST.get("m-TOTAL_FORMS")) or 0, 200)
            typed = [
                {name: request.POST.get(f"m-{i}-{name}", "") for name in names}
                for i in range(total)
            ]
            typed = [row for row in typed if row["full_name"] or row["birth"]]
            header = QuickEntryHeaderForm(initial={"joined_on": request.POST.get("joined_on")})
            formset = QuickMemberFormSet(prefix="m", initial=typed)
            return _render_grid(request, club, header, formset)
        if header.is_valid() and formset.is_valid():
            typed = [f for f in formset.forms if f.has_changed() and f.cleaned_data]
            rows = [f.cleaned_data for f in typed]
            if rows and not header.cleaned_data.get("namesake_checked"):
                people = [(club, row["full_name"], row["birth"][0]) for row in rows]
                warned = 0
                for form, others in zip(typed, Member.objects.namesakes(people), strict=True):
                    if others:
                        form.add_error("full_name", namesake_warning(others))
                        warned += 1
                if warned:
                    ask_namesake_confirmation(header)
                    header.add_error(
                        "namesake_checked",
                        _(
                            "Kiểm tra các dòng có cảnh báo, rồi đánh dấu ô này nếu đúng là người "
                            "khác."
                        ),
                    )
                    return _render_grid(request, club, header, formset)
            if not rows:
                messages.warning(request, _("Chưa có dòng nào được nhập."))
            else:
                joined_on = header.cleaned_data["joined_on"]

                def create():
                    for row in rows:
                        year, month, day = row["birth"]
                        member = Member(
                            club=club,
                            full_name=row["full_name"],
                            sex=row["sex"],
                            birth_year=year,
                            birth_month=month,
                            birth_day=day,
                            joined_on=joined_on,
                            phone=row["phone"],
                            is_board_member=row["is_board_member"],
                            is_home_care_volunteer=row["is_home_care_volunteer"],
                        )
                        member.full_clean(exclude=["club"])
                        member.save()
                        HouseholdAssessment.objects.create(
                            member=member, assessed_on=joined_on, status=row["status"]
                        )
                    messages.success(
                        request, _("Đã thêm %(n)s thành viên vào CLB.") % {"n": len(rows)}
                    )
                    return reverse("clubs:detail", args=[club.pk])

                return submissions.once(request, create)
    else:
        header = QuickEntryHeaderForm(initial={"joined_on": club.founded_on})
        formset = QuickMemberFormSet(prefix="m")
    return _render_grid(request, club, header, formset)


#: The change reason of a bulk re-certification's history records.
RECERTIFICATION_REASON = "Tái xác nhận hoàn cảnh"


@writer_required
@submissions.guarded
def recertify(request, club_pk):
    """Re-certify the household status of every active member of a club on one date: every
    row saved records an assessment on that date, changed or not (a re-certification;
    ``members.models.assessment_change`` with the date given), all in one transaction."""
    club = scoped_object(request.user, Club, pk=club_pk)
    return _recertify(request, [club], club=club)


@writer_required
@submissions.guarded
def recertify_commune(request, commune_pk):
    """The re-certification of :func:`recertify` for every club of a (current) commune that
    the user may see, in one grid; 404 when there is none."""
    commune = get_object_or_404(Commune, pk=commune_pk)
    clubs = list(
        Club.objects.for_user(request.user)
        .filter(commune=commune, dissolved_on__isnull=True)
        .order_by("code")
    )
    if not clubs:
        raise Http404
    return _recertify(request, clubs, commune=commune)


def _recertify(request, clubs, *, club=None, commune=None):
    day = timezone.localdate()
    if request.method == "POST":
        posted = RecertificationForm(request.POST, members=[], statuses={})
        if "assessed_on" in request.POST and posted.is_valid():
            day = posted.cleaned_data["assessed_on"]
    members = list(
        Member.objects.filter(club__in=clubs)
        .active_on(day)
        .select_related("club")
        .order_by("club__code", "given_name_key", "search_key")
    )
    stored = {}
    for member_id, on, status in HouseholdAssessment.objects.filter(member__in=members).values_list(
        "member_id", "assessed_on", "status"
    ):
        stored.setdefault(member_id, {})[on] = status
    statuses = {m.pk: status_at(stored.get(m.pk, {}).items(), day) for m in members}
    form = RecertificationForm(
        form_data(request), members=members, statuses=statuses, initial={"assessed_on": day}
    )
    if request.method == "POST" and form.is_valid() and not members:
        form.add_error(
            "assessed_on",
            _("Ngày %(day)s không có thành viên nào đang sinh hoạt để đánh giá.")
            % {"day": formats.day(day)},
        )
    if request.method == "POST" and form.is_valid():
        chosen = form.statuses()

        def create():
            new, changed = [], []
            for member in members:
                history = stored.get(member.pk, {})
                change = assessment_change(history, day, chosen[member.pk], dated=True)
                if change == "add":
                    new.append(
                        HouseholdAssessment(
                            member=member, assessed_on=day, status=chosen[member.pk]
                        )
                    )
                elif change == "correct":
                    assessment = HouseholdAssessment.objects.get(member=member, assessed_on=day)
                    assessment.status = chosen[member.pk]
                    changed.append(assessment)
            options = {
                "default_user": request.user,
                "default_change_reason": RECERTIFICATION_REASON,
            }
            bulk_create_with_history(new, HouseholdAssessment, **options)
            if changed:
                bulk_update_with_history(changed, HouseholdAssessment, ["status"], **options)
            send_data_changed(HouseholdAssessment, [c.pk for c in clubs], since=day)
            messages.success(
                request,
                _("Đã ghi nhận hoàn cảnh của %(n)s thành viên ngày %(day)s.")
                % {"n": len(new) + len(changed), "day": formats.day(day)},
            )
            return reverse("clubs:detail", args=[club.pk]) if club else reverse("clubs:list")

        return submissions.once(request, create)
    return render(
        request,
        "members/recertify.html",
        {"club": club, "commune": commune, "clubs": clubs, "form": form, "day": day},
    )


@writer_required
def member_transfer(request, pk):
    """Move a member to another club on a date: the old row leaves, a new row joins (their
    history and loans stay with the old club; see ``Member.transfer``)."""
    member = scoped_object(request.user, Member.objects.select_related("club"), pk=pk)
    clubs = Club.objects.for_user(request.user).filter(dissolved_on__isnull=True)
    form = TransferForm(
        form_data(request),
        member=member,
        clubs=clubs,
        initial={"moved_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            moved = (
                Member.objects.select_for_update()
                .get(pk=member.pk)
                .transfer(form.cleaned_data["club"], form.cleaned_data["moved_on"])
            )
        messages.success(
            request,
            _("Đã chuyển %(name)s sang %(club)s.") % {"name": member, "club": moved.club.name},
        )
        return redirect("members:detail", pk=moved.pk)
    return render(request, "members/member_transfer.html", {"form": form, "member": member})
