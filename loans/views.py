"""Loans in the officers' workspace: one form for a loan's disbursement, instalments and income
outcome; a grid for several loans of a club at once; the club's funds and their movements."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import submissions
from accounts.access import can_write, scoped_object, writer_required
from clubs.history import history_entries
from clubs.models import Club
from common.fields import date_field
from common.http import form_data, parse_id
from members.views import grid_errors

from . import funds as fund_rules
from .forms import FundForm, LoanForm, LoanGrid, MovementForm, RepaymentFormSet, member_choices
from .models import Fund, FundKind, Loan

#: Overdue loans listed at a time.
OVERDUE_PAGE_SIZE = 25


@login_required
@require_safe
def overdue(request):
    """Every loan of the clubs the user may see that is past its due date, not repaid and
    without an income outcome at today's date (Asia/Ho_Chi_Minh), the longest overdue first,
    ``OVERDUE_PAGE_SIZE`` a page: the full list behind the home page's count."""
    today = timezone.localdate()
    loans = Loan.objects.overdue_for(request.user, today).select_related("member", "club__province")
    page = Paginator(loans, OVERDUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "loans/overdue.html", {"page": page, "today": today})


def _loan(request, pk):
    return scoped_object(request.user, Loan.objects.select_related("member__club"), pk=pk)


@login_required
@require_safe
def loan_detail(request, pk):
    loan = _loan(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "loans/loan_detail.html",
        {
            "loan": loan,
            "club": loan.member.club,
            "today": today,
            "repayments": loan.repayments.order_by("paid_on"),
            "outstanding": loan.outstanding(today),
            "history": history_entries(loan),
            "can_edit": can_write(request.user),
        },
    )


class _Overpaid(Exception):
    """The instalments saved exceed the loan's amount (another editor's rows committed
    meanwhile): the whole save is undone."""


def _loan_page(request, club, loan, form, repayments):
    """Render or save the one loan form: the loan, its instalments and its outcome, saved in
    one transaction or not at all (every row keeping what was typed)."""
    if request.method == "POST" and form.is_valid():
        repayments.amount = form.cleaned_data["amount_vnd"]
        repayments.disbursed_on = form.cleaned_data["disbursed_on"]
    # a POST without the instalments' rows (another client, an old page) leaves them as they are
    rows_ok = not repayments.is_bound or repayments.is_valid()
    if request.method == "POST" and form.is_valid() and rows_ok:

        def save():
            if loan is not None:  # two editors of one loan: one at a time
                Loan.objects.select_for_update().filter(pk=loan.pk).exists()
            saved = form.save()
            if repayments.is_bound:
                repayments.instance = saved
                repayments.save()
            if saved.repaid_total() > saved.amount_vnd:  # another editor's instalments
                raise _Overpaid
            saved.refresh_repaid()
            return saved

        if loan is None:

            def create():
                saved = save()
                messages.success(request, _("Đã ghi nhận khoản vay %(loan)s.") % {"loan": saved})
                return reverse("loans:detail", args=[saved.pk])

            return submissions.once(request, create)
        try:
            with transaction.atomic():
                save()
        except _Overpaid:
            repayments._non_form_errors = repayments.error_class(
                [_("Khoản vay vừa được ghi thêm lần trả ở nơi khác: hãy xem lại rồi lưu.")]
            )
        else:
            messages.success(request, _("Đã lưu khoản vay."))
            return redirect("loans:detail", pk=loan.pk)
    return render(
        request,
        "loans/loan_form.html",
        {"form": form, "repayments": repayments, "club": club, "loan": loan},
    )


def _rows(request):
    """The posted instalment rows, or ``None`` when the POST has none."""
    data = form_data(request)
    return data if data is not None and "r-TOTAL_FORMS" in data else None


@writer_required
@submissions.guarded
def loan_create(request, club_pk):
    club = scoped_object(request.user, Club, pk=club_pk)
    initial = {"disbursed_on": timezone.localdate(), "kind": "cash"}
    if parse_id(request.GET.get("member")):
        initial["member"] = parse_id(request.GET["member"])
    form = LoanForm(form_data(request), club=club, initial=initial)
    repayments = RepaymentFormSet(_rows(request), instance=Loan(), prefix="r")
    return _loan_page(request, club, None, form, repayments)


@writer_required
def loan_edit(request, pk):
    loan = _loan(request, pk)
    club = loan.member.club
    form = LoanForm(form_data(request), instance=loan, club=club)
    repayments = RepaymentFormSet(
        _rows(request), instance=loan, prefix="r", queryset=loan.repayments.order_by("paid_on")
    )
    return _loan_page(request, club, loan, form, repayments)


@writer_required
@submissions.guarded
def loan_grid(request, club_pk):
    """Several loans of a club in one grid (one row per loan; blank rows skipped): every row
    saved in one transaction, or nothing saved and every row keeping what was typed."""
    club = scoped_object(request.user, Club, pk=club_pk)
    grid = LoanGrid(form_data(request), prefix="l", club=club)
    if request.method == "POST" and "more" not in request.POST and grid.is_valid():
        loans = grid.loans()
        if not loans:
            messages.warning(request, _("Chưa có dòng nào được nhập."))
        else:

            def create():
                for loan in loans:
                    loan.save()
                messages.success(
                    request, _("Đã ghi nhận %(n)s khoản vay của CLB.") % {"n": len(loans)}
                )
                return reverse("clubs:detail", args=[club.pk])

            return submissions.once(request, create)
    if request.method == "POST" and "more" in request.POST:
        # "Add 10 rows" without JavaScript: what was typed, then 10 blank rows, no errors yet.
        names = list(LoanGrid.form.base_fields)
        total = min(parse_id(request.POST.get("l-TOTAL_FORMS")) or 0, 200)
        typed = [{n: request.POST.get(f"l-{i}-{n}", "") for n in names} for i in range(total)]
        typed = [row for row in typed if row["member"] or row["amount_vnd"]]
        grid = LoanGrid(prefix="l", club=club, initial=typed)
    bound = grid.is_bound and "more" not in request.POST
    return render(
        request,
        "loans/loan_grid.html",
        {
            "club": club,
            "formset": grid,
            "members": member_choices(club),
            "error_summary": grid_errors(_NoHeader(), grid) if bound else [],
        },
    )


class _NoHeader:
    """The loan grid has no header form: :func:`members.views.grid_errors` reads none."""

    def non_field_errors(self):
        return []

    def __iter__(self):
        return iter(())


# --------------------------------------------------------------------------- funds


def _as_of(request) -> datetime.date:
    from django import forms

    field = date_field("", required=False)
    try:
        day = field.clean(request.GET.get("on", ""))
    except forms.ValidationError:
        day = None
    today = timezone.localdate()
    return min(day, today) if day else today


@login_required
@require_safe
def club_funds(request, club_pk):
    """A club's two funds at a date (``?on=dd/mm/yyyy``, default today): balance, loans
    outstanding, repayment rate and PAR30, and every line of each fund's book."""
    club = scoped_object(request.user, Club, pk=club_pk)
    day = _as_of(request)
    funds = {f.kind: f for f in Fund.objects.filter(club=club)}
    panels = []
    for kind, label in FundKind.choices:
        fund = funds.get(kind)
        figures = fund_rules.fund_figures(fund, day) if fund and fund.opened_on <= day else None
        lines = [x for x in fund_rules.book(fund) if x.day <= day] if fund else []
        panels.append(
            {"kind": kind, "label": label, "fund": fund, "figures": figures, "lines": lines}
        )
    return render(
        request,
        "loans/club_funds.html",
        {"club": club, "day": day, "panels": panels, "can_edit": can_write(request.user)},
    )


@writer_required
@submissions.guarded
def fund_open(request, club_pk, kind):
    """Record that the club set up its fund of ``kind`` on a date."""
    club = scoped_object(request.user, Club, pk=club_pk)
    if kind not in FundKind.values:
        raise Http404
    if Fund.objects.filter(club=club, kind=kind).exists():
        return redirect("loans:funds", club_pk=club.pk)
    fund = Fund(club=club, kind=kind)
    form = FundForm(form_data(request), instance=fund, initial={"opened_on": club.founded_on})
    if request.method == "POST" and form.is_valid():

        def create():
            form.save()
            messages.success(
                request, _("Đã ghi nhận %(fund)s.") % {"fund": fund.get_kind_display()}
            )
            return reverse("loans:funds", args=[club.pk])

        return submissions.once(request, create)
    return render(
        request,
        "loans/fund_form.html",
        {
            "form": form,
            "club": club,
            "title": _("Lập %(fund)s") % {"fund": fund.get_kind_display()},
        },
    )


@writer_required
@submissions.guarded
def movement_create(request, fund_pk):
    """Enter a contribution, a grant, interest or spending on a fund."""
    fund = get_object_or_404(Fund.objects.for_user(request.user).select_related("club"), pk=fund_pk)
    form = MovementForm(form_data(request), fund=fund, initial={"moved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():

        def create():
            form.save()
            messages.success(
                request, _("Đã ghi thu chi vào %(fund)s.") % {"fund": fund.get_kind_display()}
            )
            return reverse("loans:funds", args=[fund.club_id])

        return submissions.once(request, create)
    return render(
        request,
        "loans/fund_form.html",
        {
            "form": form,
            "club": fund.club,
            "title": _("Ghi thu chi: %(fund)s") % {"fund": fund.get_kind_display()},
        },
    )
