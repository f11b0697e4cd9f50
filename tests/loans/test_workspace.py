"""Loans in the workspace: disburse in kind, record the outcome and the repayment."""

import datetime

from django.urls import reverse
from django.utils import timezone

from loans.models import Loan
from tests import factories


def test_disburse_in_kind_then_outcome_and_repayment(client, officer_a, province_a):
    client.force_login(officer_a)
    club = factories.club(founded_on=datetime.date(2018, 1, 1))
    member = factories.member(club)
    create = reverse("loans:create", args=[club.pk])
    missing_item = client.post(
        create,
        {
            "member": member.pk,
            "kind": "in_kind",
            "amount_vnd": "5.000.000 đ",
            "disbursed_on": "01/03/2024",
        },
    )
    assert missing_item.context["form"].errors["item"] == [
        "Khoản vay hiện vật cần ghi rõ hiện vật."
    ]
    assert 'value="5.000.000 đ"' in missing_item.content.decode()
    client.post(
        create,
        {
            "member": member.pk,
            "kind": "in_kind",
            "item": "2 con lợn giống",
            "amount_vnd": "5.000.000 đ",
            "disbursed_on": "01/03/2024",
            "due_on": "01/03/2025",
        },
    )
    loan = Loan.objects.get()
    assert (loan.kind, loan.item, loan.amount_vnd) == ("in_kind", "2 con lợn giống", 5_000_000)
    assert loan.disbursed_on == datetime.date(2024, 3, 1)
    page = client.get(reverse("loans:detail", args=[loan.pk])).content.decode()
    assert "5.000.000 đ" in page

    edit = reverse("loans:edit", args=[loan.pk])
    fields = {
        "member": member.pk,
        "kind": "in_kind",
        "item": "2 con lợn giống",
        "amount_vnd": "5.000.000",
        "disbursed_on": "01/03/2024",
        "due_on": "01/03/2025",
        "r-TOTAL_FORMS": "3",
        "r-INITIAL_FORMS": "0",
    }
    early = client.post(
        edit, {**fields, "income_outcome": "improved", "outcome_assessed_on": "01/01/2024"}
    )
    assert early.context["form"].errors["outcome_assessed_on"] == [
        "Ngày đánh giá không được trước ngày giải ngân."
    ]
    # the outcome and two instalments in the one form: 3.000.000 + 2.000.000 = the amount
    saved = client.post(
        edit,
        {
            **fields,
            "income_outcome": "improved",
            "outcome_assessed_on": "01/03/2025",
            "r-0-paid_on": "01/09/2024",
            "r-0-amount_vnd": "3.000.000",
            "r-1-paid_on": "28/02/2025",
            "r-1-amount_vnd": "2.000.000",
        },
    )
    assert saved.status_code == 302
    loan.refresh_from_db()
    assert (loan.income_outcome, loan.outcome_assessed_on) == (
        "improved",
        datetime.date(2025, 3, 1),
    )
    assert loan.repaid_on == datetime.date(2025, 2, 28)
    assert loan.outstanding(datetime.date(2024, 12, 31)) == 2_000_000
    history = client.get(reverse("loans:detail", args=[loan.pk])).context["history"]
    assert [e.kind for e in history] == ["Sửa", "Sửa", "Tạo mới"]
    assert ("Ngày trả xong", "28/02/2025") in [(c.label, c.new) for c in history[0].changes]


def test_impossible_loan_dates_and_a_loan_code_reused_in_the_club_are_refused(
    client, officer_a, province_a
):
    client.force_login(officer_a)
    club = factories.club(founded_on=datetime.date(2018, 1, 1))
    early_member = factories.member(club, joined_on=datetime.date(2018, 1, 1))
    late_member = factories.member(club, joined_on=datetime.date(2020, 6, 1))
    factories.loan(early_member, datetime.date(2019, 1, 1), code="V1")
    create = reverse("loans:create", args=[club.pk])
    cash = {"kind": "cash", "amount_vnd": "1.000.000"}

    before_joining = client.post(
        create, {**cash, "member": late_member.pk, "disbursed_on": "31/05/2020"}
    )
    assert before_joining.context["form"].errors["disbursed_on"] == [
        "Ngày giải ngân không được trước ngày thành viên tham gia CLB."
    ]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    future = client.post(create, {**cash, "member": late_member.pk, "disbursed_on": tomorrow})
    assert future.context["form"].errors["disbursed_on"] == [
        "Ngày giải ngân không được sau hôm nay."
    ]
    reused = client.post(
        create, {**cash, "member": late_member.pk, "disbursed_on": "01/07/2020", "code": "V1"}
    )
    assert reused.context["form"].errors["code"] == ["Mã khoản vay này đã dùng trong CLB."]
    assert Loan.objects.count() == 1


def test_monitoring_visit_cannot_be_in_the_future_or_before_the_founding(
    client, officer_a, province_a
):
    client.force_login(officer_a)
    club = factories.club(founded_on=datetime.date(2018, 1, 1))
    url = reverse("training:visit_create", args=[club.pk])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    future = client.post(url, {"visited_on": tomorrow})
    assert future.context["form"].errors["visited_on"] == ["Ngày giám sát không được sau hôm nay."]
    early = client.post(url, {"visited_on": "31/12/2017"})
    assert early.context["form"].errors["visited_on"] == [
        "Ngày giám sát không được trước ngày thành lập CLB."
    ]
    assert not club.monitoring_visits.exists()
