"""The officers' workspace for clubs: home page, club list, club page, create, edit, dissolve,
the "confirm the current commune" list and the commune picker's JSON.

Every object is loaded through ``accounts.access.scoped_object`` (404 for another province's
club); every write goes through ``writer_required`` (403 for the steering board).
"""

from dataclasses import dataclass
from fractions import Fraction

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import submissions
from accounts.access import (
    can_write,
    check_province_write,
    province_ids_for,
    scoped_object,
    writer_required,
)
from common.http import form_data, parse_id
from common.text import picker_key, search_key, vietnamese_sort_key
from loans.models import Loan
from reporting.cache import cached, data_version
from reporting.club_life import club_life_card
from reporting.compliance import (
    ComplianceError,
    club_compliance,
    compute,
    province_target_progress,
)
from reporting.gaps import unmonitored_clubs_label
from reporting.rules import monitored_q

from .forms import ClubFilterForm, ClubForm, ConfirmCommuneForm, DissolveForm
from .history import history_entries
from .models import Club, Commune, Era, Province

PAGE_SIZE = 25
ATTENTION_LIMIT = 20
#: Members and loans listed at a time on a club's page.
MEMBERS_PAGE_SIZE = 20
LOANS_PAGE_SIZE = 10


def _safe_compute(today, **kwargs):
    """``compute(...)``, or ``None`` when no phase covers ``today``."""
    try:
        return compute(today, **kwargs)
    except ComplianceError:
        return None


@dataclass
class ScopeSummary:
    """What the workspace shows of the compliance of every club a user may see: small enough
    to cache across processes (the full report of 20,000 clubs is not)."""

    phase_code: str
    monitoring_months: int | None  # the window of the phase's trained-and-monitored criterion
    active_clubs: int
    active_members: int
    failing: list  # the first ATTENTION_LIMIT non-compliant ClubResults
    failing_count: int
    compliant_ids: list[int]
    #: ``{province code: (active clubs, failing clubs)}`` (new-era provinces)
    by_province: dict | None = None


def _scope(user) -> tuple[list[int] | None, str]:
    """The new-era province ids ``user`` may see (``None``: all) and their cache-key part."""
    ids = province_ids_for(user)
    return ids, "all" if ids is None else ",".join(map(str, sorted(ids)))


def _scope_summary(user, today, version: str | None = None) -> ScopeSummary | None:
    """The compliance summary of every club ``user`` may see at ``today``, cached on the data
    version of those clubs (``version`` when the caller read it: ``data_version`` of the
    user's provinces), so a write to them makes it unreachable at once; ``None`` when no phase
    covers ``today``. Users of the same provinces share it."""
    ids, scope = _scope(user)

    def build():
        report = _safe_compute(today, clubs=Club.objects.for_user(user), with_targets=False)
        if report is None:
            return None
        failing = [c for c in report.clubs if not c.compliant]
        by_province = {}
        for c in report.clubs:
            active, bad = by_province.get(c.province_code, (0, 0))
            by_province[c.province_code] = (active + 1, bad + (not c.compliant))
        return ScopeSummary(
            by_province=by_province,
            phase_code=report.phase.code,
            monitoring_months=report.monitoring_months,
            active_clubs=report.national.active_clubs,
            active_members=report.national.active_members,
            failing=failing[:ATTENTION_LIMIT],
            failing_count=len(failing),
            compliant_ids=[c.id for c in report.clubs if c.compliant],
        )

    return cached(
        ("workspace-scope-summary", 2, today.isoformat(), scope),
        build,
        provinces=ids,
        version=version,
    )


@dataclass
class Attention:
    """The home page's lists beside compliance, for every club a user may see: the ids of the
    first ``ATTENTION_LIMIT`` rows of each, in order, and how many there are. Ids only: the
    rows themselves (names may change in another province's write) are read when shown."""

    unmonitored_ids: list[int]  # clubs, by code
    unmonitored_count: int
    overdue_ids: list[int]  # loans, by due date
    overdue_count: int
    awaiting_count: int
    #: ``{province id: clubs not monitored}``
    unmonitored_by_province: dict | None = None


def _attention(user, today, months: int | None, version: str) -> Attention:
    """Active clubs not monitored in the last ``months`` months (none listed when ``months``
    is ``None``), loans past due without an income outcome and clubs awaiting their new
    commune, among the clubs ``user`` may see at ``today``: cached on those clubs' data
    ``version`` (a loan's write marks its lending club and its member's), shared by users of
    the same provinces."""
    ids, scope = _scope(user)

    def build():
        clubs = Club.objects.for_user(user)
        unmonitored, unmonitored_count, by_province = [], 0, {}
        if months is not None:
            rows = clubs.active_on(today).exclude(monitored_q(today, months)).order_by("code")
            unmonitored = list(rows.values_list("pk", flat=True)[:ATTENTION_LIMIT])
            unmonitored_count = rows.count()
            by_province = dict(rows.order_by().values_list("province_id").annotate(n=Count("pk")))
        overdue = Loan.objects.overdue_for(user, today)
        return Attention(
            unmonitored_ids=unmonitored,
            unmonitored_count=unmonitored_count,
            overdue_ids=list(overdue.values_list("pk", flat=True)[:ATTENTION_LIMIT]),
            overdue_count=overdue.count(),
            awaiting_count=clubs.awaiting_commune().count(),
            unmonitored_by_province=by_province,
        )

    key = ("workspace-attention", 2, today.isoformat(), scope, months)
    return cached(key, build, provinces=ids, version=version)


def _in_order(queryset, ids: list[int]) -> list:
    """The rows of ``queryset`` with the primary keys ``ids``, in that order (one query)."""
    found = queryset.in_bulk(ids) if ids else {}
    return [found[pk] for pk in ids if pk in found]


@login_required
@require_safe
def home(request):
    """What needs the user's attention today: clubs failing a criterion, active clubs not
    monitored in the window of the phase's "trained and monitored" criterion (no such list when
    the phase has none), and loans past their due date without an income outcome."""
    today = timezone.localdate()
    # One read of the version of the user's clubs keys both cached parts: a few queries
    # whatever the number of clubs, the figures counted once per version for every user of
    # the same provinces.
    version = data_version(province_ids_for(request.user))
    summary = _scope_summary(request.user, today, version)
    months = summary.monitoring_months if summary else None
    attention = _attention(request.user, today, months, version)
    active_clubs = summary.active_clubs if summary else None
    if active_clubs is None:
        active_clubs = Club.objects.for_user(request.user).active_on(today).count()
    context = {
        "today": today,
        "summary": summary,
        "active_clubs": active_clubs,
        "active_members": summary.active_members if summary else None,
        "failing": summary.failing if summary else [],
        "failing_count": summary.failing_count if summary else 0,
        "monitoring_months": months,
        "unmonitored_label": unmonitored_clubs_label(months) if months is not None else "",
        "unmonitored": _in_order(
            Club.objects.select_related("province"), attention.unmonitored_ids
        ),
        "unmonitored_count": attention.unmonitored_count,
        "overdue": _in_order(Loan.objects.select_related("member__club"), attention.overdue_ids),
        "overdue_count": attention.overdue_count,
        "awaiting_count": attention.awaiting_count,
        "national": province_ids_for(request.user) is None,
    }
    if context["national"]:
        # The board and administrators: where the programme stands by province, not rows of
        # villagers (the overdue loans are the officers' to follow).
        context["overdue"] = []
        context["provinces_behind"] = _provinces_behind(summary, attention)
    return render(request, "clubs/home.html", context)


#: Provinces listed on the national home page, those with the most failing clubs first.
PROVINCES_LISTED = 10


def _provinces_behind(summary, attention) -> dict:
    """The provinces whose clubs fall short, for the national home page: ``rows`` of
    ``{"province", "active", "failing", "unmonitored"}``, the ``PROVINCES_LISTED`` with the
    largest share of failing clubs first (ties: more failing clubs, then by name), and
    ``count``, how many provinces have a failing or unmonitored club."""
    by_code = summary.by_province if summary and summary.by_province else {}
    unmonitored = attention.unmonitored_by_province or {}
    provinces = Province.objects.filter(era=Era.POST2025)
    rows = []
    for province in provinces:
        active, failing = by_code.get(province.code, (0, 0))
        late = unmonitored.get(province.pk, 0)
        if failing or late:
            rows.append(
                {"province": province, "active": active, "failing": failing, "unmonitored": late}
            )
    rows.sort(
        key=lambda r: (
            -Fraction(r["failing"], r["active"] or 1),
            -r["failing"],
            vietnamese_sort_key(r["province"].name),
        )
    )
    return {"rows": rows[:PROVINCES_LISTED], "count": len(rows)}


@login_required
@require_safe
def club_list(request):
    """Clubs the user may see, with diacritic-insensitive search on the stored search key,
    filters (province, commune, status, compliant or not), sorting and pagination."""
    today = timezone.localdate()
    form = ClubFilterForm(request.GET or None, user=request.user)
    clubs = Club.objects.for_user(request.user).select_related("province", "commune")
    sort = "code"
    compliant_filter = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = search_key(data["q"])
        if query:
            clubs = clubs.filter(
                Q(search_key__contains=query) | Q(code__icontains=data["q"].strip())
            )
        if data["province"]:
            clubs = clubs.filter(province=data["province"])
        if data["commune"]:
            clubs = clubs.filter(commune=data["commune"])
        if data["status"] == "active":
            clubs = clubs.active_on(today)
        elif data["status"] == "dissolved":
            clubs = clubs.filter(dissolved_on__lte=today)
        if data.get("monitored") == "no":
            summary = _scope_summary(request.user, today)
            if summary and summary.monitoring_months is not None:
                clubs = clubs.active_on(today).exclude(
                    monitored_q(today, summary.monitoring_months)
                )
        sort = data["sort"] or "code"
        compliant_filter = data["compliant"]
    if compliant_filter:
        summary = _scope_summary(request.user, today)
        compliant_ids = summary.compliant_ids if summary else []
        if compliant_filter == "yes":
            clubs = clubs.filter(pk__in=compliant_ids)
        else:
            clubs = clubs.active_on(today).exclude(pk__in=compliant_ids)
    clubs = clubs.order_by(*ClubFilterForm.SORTS.get(sort, ("code",)))
    page = Paginator(clubs, PAGE_SIZE).get_page(request.GET.get("page"))
    page_ids = [c.pk for c in page.object_list]
    results = {}
    if page_ids:
        report = _safe_compute(
            today, clubs=Club.objects.filter(pk__in=page_ids), with_targets=False
        )
        results = {c.id: c for c in report.clubs} if report else {}
    rows = [(club, results.get(club.pk)) for club in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clubs/club_list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode(), "today": today},
    )


@writer_required
@submissions.guarded
def club_create(request):
    form = ClubForm(form_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        if not check_province_write(request.user, form.cleaned_data["province"].pk):
            raise Http404

        def create():
            club = form.save()
            messages.success(request, _("Đã tạo CLB %(club)s.") % {"club": club})
            return reverse("clubs:detail", args=[club.pk])

        return submissions.once(request, create)
    return render(request, "clubs/club_form.html", {"form": form, "club": None})


@login_required
@require_safe
def club_detail(request, pk):
    """A club's page: facts, management board, home-care volunteers, members, loans, training,
    monitoring visits, the province's target progress, the compliance card and the history."""
    club = scoped_object(request.user, Club.objects.select_related("province", "commune"), pk=pk)
    today = timezone.localdate()
    try:
        compliance = club_compliance(club, today)
        # The province's own targets count only its clubs, which everyone who may see this
        # club may see: one cached value per province, on that province's data version.
        phase, province_targets = cached(
            ("province-target-progress", today.isoformat(), club.province_id),
            lambda: province_target_progress(today, club.province),
            provinces=[club.province_id],
        )
        life = club_life_card(club, today, phase)
    except ComplianceError:
        compliance, phase, province_targets, life = None, None, [], None
    members = list(club.members.order_by("given_name_key", "search_key"))
    active = [m for m in members if m.is_active_on(today)]
    # The members and the loans a page at a time (a club may have a hundred of each): the
    # members with their household status today.
    member_page = Paginator(
        club.members.active_on(today)
        .with_status_on(today)
        .order_by("given_name_key", "search_key", "pk"),
        MEMBERS_PAGE_SIZE,
    ).get_page(request.GET.get("tv"))
    loan_page = Paginator(
        Loan.objects.filter(member__club=club)
        .select_related("member")
        .order_by("-disbursed_on", "-pk"),
        LOANS_PAGE_SIZE,
    ).get_page(request.GET.get("vay"))
    context = {
        "club": club,
        "today": today,
        "compliance": compliance,
        "club_life": life,
        "province_targets": province_targets,
        "phase": phase,
        "active_members": active,
        "former_members": [m for m in members if not m.is_active_on(today)],
        "board_members": [m for m in active if m.is_board_member],
        "volunteers": [m for m in active if m.is_home_care_volunteer],
        "member_page": member_page,
        "loan_page": loan_page,
        "attendances": club.attendances.select_related("session").order_by("-session__held_on"),
        "visits": club.monitoring_visits.all(),
        "history": history_entries(club),
        "can_edit": can_write(request.user),
        "can_confirm": club.commune_id is None and club.founding_commune_id is not None,
    }
    return render(request, "clubs/club_detail.html", context)


@writer_required
def club_edit(request, pk):
    club = scoped_object(request.user, Club, pk=pk)
    form = ClubForm(form_data(request), instance=club, user=request.user)
    if request.method == "POST" and form.is_valid():
        if not check_province_write(request.user, form.cleaned_data["province"].pk):
            raise Http404
        form.save()
        messages.success(request, _("Đã lưu CLB %(club)s.") % {"club": club})
        return redirect("clubs:detail", pk=club.pk)
    return render(request, "clubs/club_form.html", {"form": form, "club": club})


@writer_required
def club_dissolve(request, pk):
    club = scoped_object(request.user, Club, pk=pk)
    form = DissolveForm(form_data(request), instance=club)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã ghi nhận CLB %(club)s giải thể.") % {"club": club})
        return redirect("clubs:detail", pk=club.pk)
    return render(request, "clubs/club_dissolve.html", {"form": form, "club": club})


@login_required
@require_safe
def awaiting_commune(request):
    """Clubs founded in an old commune that the reform of 1 July 2025 split across several new
    communes, until an officer picks the new commune among that commune's successors."""
    clubs = (
        Club.objects.for_user(request.user)
        .awaiting_commune()
        .select_related("founding_commune__district", "founding_commune__province", "province")
        .order_by("province__name", "code")
    )
    page = Paginator(clubs, PAGE_SIZE).get_page(request.GET.get("page"))
    writable = can_write(request.user)
    rows = [
        (club, ConfirmCommuneForm(club=club, prefix=f"c{club.pk}") if writable else None)
        for club in page.object_list
    ]
    return render(request, "clubs/awaiting_commune.html", {"page": page, "rows": rows})


@writer_required
def confirm_commune(request, pk):
    club = scoped_object(request.user, Club.objects.awaiting_commune(), pk=pk)
    form = ConfirmCommuneForm(form_data(request), club=club, prefix=f"c{club.pk}")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            club.commune = form.cleaned_data["commune"]
            club.full_clean()
            club.save()
        messages.success(
            request,
            _("Đã xác nhận CLB %(club)s thuộc %(commune)s.")
            % {"club": club, "commune": club.commune},
        )
        return redirect("clubs:awaiting")
    return render(request, "clubs/confirm_commune.html", {"form": form, "club": club})


@login_required
@require_safe
def communes_json(request):
    """Communes of one province for the pickers: ``?province=<new-era id>&era=post2025`` lists
    the new communes of that province, ``era=pre2025`` the old communes that merged into it.
    Answers 404 for a province the user may not see. Returns
    ``{"communes": [[id, name, key]...]}`` (``key``: ``common.text.picker_key`` of the name,
    which the picker matches)."""
    era = request.GET.get("era", Era.POST2025)
    province_id = parse_id(request.GET.get("province"))
    if era not in Era.values or province_id is None:
        raise Http404
    ids = province_ids_for(request.user)
    if ids is not None and province_id not in ids:
        raise Http404
    if era == Era.POST2025:
        qs = Commune.objects.filter(era=era, province_id=province_id)
        rows = sorted(qs.values_list("pk", "name"), key=lambda r: vietnamese_sort_key(r[1]))
        rows = [[pk, name, picker_key(name)] for pk, name in rows]
    else:
        qs = Commune.objects.filter(era=era, province__successor_id=province_id)
        found = sorted(
            qs.values_list("pk", "name", "district__name"),
            key=lambda r: (vietnamese_sort_key(r[2] or ""), vietnamese_sort_key(r[1])),
        )
        rows = [
            [pk, label, picker_key(label)]
            for pk, label in ((pk, f"{name} – {district}") for pk, name, district in found)
        ]
    return JsonResponse({"communes": rows})
