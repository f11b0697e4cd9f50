"""Loans in the workspace: disburse in kind, record the outcome and the repayment."""

import datetime

from django.urls import reverse

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

    outcome = reverse("loans:outcome", args=[loan.pk])
    early = client.post(
        outcome, {"income_outcome": "improved", "outcome_assessed_on": "01/01/2024"}
    )
    assert early.context["form"].errors["outcome_assessed_on"] == [
        "Ngày đánh giá không được trước ngày giải ngân."
    ]
    client.post(outcome, {"income_outcome": "improved", "outcome_assessed_on": "01/03/2025"})
    client.post(reverse("loans:repay", args=[loan.pk]), {"repaid_on": "28/02/2025"})
    loan.refresh_from_db()
    assert (loan.income_outcome, loan.outcome_assessed_on) == (
        "improved",
        datetime.date(2025, 3, 1),
    )
    assert loan.repaid_on == datetime.date(2025, 2, 28)
    history = client.get(reverse("loans:detail", args=[loan.pk])).context["history"]
    assert [e.kind for e in history] == ["Sửa", "Sửa", "Tạo mới"]
    assert [(c.label, c.new) for c in history[0].changes] == [("Ngày trả xong", "28/02/2025")]
