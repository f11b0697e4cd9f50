"""Loans in the officers' workspace: disburse, correct, record repayment and income outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import submissions
from accounts.access import can_write, scoped_object, writer_required
from clubs.history import history_entries
from clubs.models import Club
from common.http import form_data, parse_id

from .forms import LoanForm, OutcomeForm, RepaymentForm
from .models import Loan

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
    return render(
        request,
        "loans/loan_detail.html",
        {
            "loan": loan,
            "club": loan.member.club,
            "today": timezone.localdate(),
            "history": history_entries(loan),
            "can_edit": can_write(request.user),
        },
    )


@writer_required
@submissions.guarded
def loan_create(request, club_pk):
    club = scoped_object(request.user, Club, pk=club_pk)
    initial = {"disbursed_on": timezone.localdate(), "kind": "cash"}
    if parse_id(request.GET.get("member")):
        initial["member"] = parse_id(request.GET["member"])
    form = LoanForm(form_data(request), club=club, initial=initial)
    if request.method == "POST" and form.is_valid():

        def create():
            loan = form.save()
            messages.success(request, _("Đã ghi nhận khoản vay %(loan)s.") % {"loan": loan})
            return reverse("loans:detail", args=[loan.pk])

        return submissions.once(request, create)
    return render(request, "loans/loan_form.html", {"form": form, "club": club, "loan": None})


@writer_required
def loan_edit(request, pk):
    loan = _loan(request, pk)
    form = LoanForm(form_data(request), instance=loan, club=loan.member.club)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu khoản vay."))
        return redirect("loans:detail", pk=loan.pk)
    return render(
        request, "loans/loan_form.html", {"form": form, "club": loan.member.club, "loan": loan}
    )


def _record(request, pk, form_class, title, message):
    loan = _loan(request, pk)
    initial = {}
    for name in form_class._meta.fields:
        if name.endswith("_on") and getattr(loan, name) is None:
            initial[name] = timezone.localdate()
    form = form_class(form_data(request), instance=loan, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, message)
        return redirect("loans:detail", pk=loan.pk)
    return render(request, "loans/loan_record.html", {"form": form, "loan": loan, "title": title})


@writer_required
def loan_repay(request, pk):
    return _record(request, pk, RepaymentForm, _("Ghi nhận trả nợ"), _("Đã ghi nhận trả nợ."))


@writer_required
def loan_outcome(request, pk):
    return _record(
        request,
        pk,
        OutcomeForm,
        _("Ghi nhận kết quả thu nhập"),
        _("Đã ghi nhận kết quả thu nhập."),
    )
