"""A club's funds: balances, outstanding loans, repayment rate and PAR30 at dates around a
disbursement, an instalment and an overdue loan, computed by hand; the instalments' rules;
the migration of loans repaid before instalments existed."""

import datetime
import importlib
from fractions import Fraction

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from loans.funds import fund_figures
from loans.models import FundMovement, Loan, Repayment
from tests import factories

D = datetime.date


@pytest.fixture
def book(db, province_a):
    """Revolving fund: 10.000.000 contributed on 10/01/2024, 5.000.000 from the project on
    15/01; loan A in cash 6.000.000 on 01/02 due 01/08, repaid 4.000.000 on 15/07 (on time)
    and 2.000.000 on 10/09 (late); loan B in kind (a calf) worth 4.000.000 on 01/03 due 01/09,
    never repaid; interest 300.000 on 20/07; spending 500.000 on 05/08."""
    club = factories.club(founded_on=D(2020, 1, 1))
    member = factories.member(club, joined_on=D(2020, 1, 1))
    other = factories.member(club, joined_on=D(2020, 1, 1))
    fund = factories.fund(club, "revolving", D(2020, 1, 1))
    factories.movement(fund, D(2024, 1, 10), 10_000_000)
    factories.movement(fund, D(2024, 1, 15), 5_000_000, kind="grant_project")
    a = factories.loan(member, D(2024, 2, 1), amount_vnd=6_000_000, due_on=D(2024, 8, 1))
    b = factories.loan(
        other, D(2024, 3, 1), kind="in_kind", amount_vnd=4_000_000, due_on=D(2024, 9, 1)
    )
    Repayment.objects.create(loan=a, paid_on=D(2024, 7, 15), amount_vnd=4_000_000)
    Repayment.objects.create(loan=a, paid_on=D(2024, 9, 10), amount_vnd=2_000_000)
    factories.movement(fund, D(2024, 7, 20), 300_000, kind="interest")
    factories.movement(fund, D(2024, 8, 5), 500_000, kind="spending")
    return {"club": club, "fund": fund, "a": a, "b": b}


@pytest.mark.parametrize(
    ("day", "cash", "outstanding", "value"),
    [
        (D(2024, 1, 31), 15_000_000, 0, 15_000_000),
        # the cash loan moves 6.000.000 from cash to loans outstanding
        (D(2024, 2, 1), 9_000_000, 6_000_000, 15_000_000),
        # the calf is lent at its value, not paid in cash
        (D(2024, 3, 1), 9_000_000, 10_000_000, 19_000_000),
        (D(2024, 7, 14), 9_000_000, 10_000_000, 19_000_000),
        (D(2024, 7, 15), 13_000_000, 6_000_000, 19_000_000),
        (D(2024, 8, 5), 12_800_000, 6_000_000, 18_800_000),
        (D(2024, 9, 10), 14_800_000, 4_000_000, 18_800_000),
    ],
)
def test_the_revolving_fund_at_dates_around_its_loans(book, day, cash, outstanding, value):
    figures = fund_figures(book["fund"], day)
    assert (figures.cash, figures.outstanding, figures.value) == (cash, outstanding, value)


@pytest.mark.parametrize(
    ("day", "due", "on_time", "rate"),
    [
        (D(2024, 7, 31), 0, 4_000_000, None),  # nothing due yet
        (D(2024, 8, 1), 6_000_000, 4_000_000, Fraction(2, 3)),  # A due: 4 of 6 on time
        (D(2024, 8, 31), 6_000_000, 4_000_000, Fraction(2, 3)),
        (D(2024, 9, 1), 10_000_000, 4_000_000, Fraction(2, 5)),  # B due too, nothing repaid
        (D(2024, 9, 10), 10_000_000, 4_000_000, Fraction(2, 5)),  # A's late 2.000.000
    ],
)
def test_the_repayment_rate_counts_what_was_repaid_by_the_due_date(book, day, due, on_time, rate):
    figures = fund_figures(book["fund"], day)
    assert figures.due == due
    assert figures.repayment_rate == rate
    if due:
        assert figures.repaid_on_time == on_time


@pytest.mark.parametrize(
    ("day", "at_risk", "outstanding", "par"),
    [
        # A is 30 days past due on 31/08 (due 01/08): not yet at risk
        (D(2024, 8, 31), 0, 6_000_000, Fraction(0)),
        # 31 days on 01/09: A's 2.000.000 left of 6.000.000 outstanding
        (D(2024, 9, 1), 2_000_000, 6_000_000, Fraction(1, 3)),
        # A repaid in full on 10/09; B (due 01/09) is 30 days past due on 01/10
        (D(2024, 10, 1), 0, 4_000_000, Fraction(0)),
        (D(2024, 10, 2), 4_000_000, 4_000_000, Fraction(1)),
    ],
)
def test_par30_counts_loans_more_than_30_days_past_due(book, day, at_risk, outstanding, par):
    figures = fund_figures(book["fund"], day)
    assert (figures.at_risk, figures.outstanding, figures.par30) == (at_risk, outstanding, par)


def test_the_activity_fund_moves_by_its_entries_only(book):
    club = book["club"]
    fund = factories.fund(club, "activity", D(2024, 1, 1))
    factories.movement(fund, D(2024, 1, 5), 2_000_000)
    factories.movement(fund, D(2024, 6, 1), 1_000_000, kind="grant_commune")
    factories.movement(fund, D(2024, 6, 10), 1_500_000, kind="spending")
    assert fund_figures(fund, D(2024, 6, 9)).cash == 3_000_000
    assert fund_figures(fund, D(2024, 6, 10)).cash == 1_500_000
    assert fund_figures(fund, D(2024, 6, 10)).outstanding == 0  # the loans are the other fund's


def test_the_loan_is_repaid_on_the_day_its_instalments_reach_the_amount(book):
    a = book["a"]
    a.refresh_from_db()
    assert a.repaid_on == D(2024, 9, 10)
    assert a.outstanding(D(2024, 9, 9)) == 2_000_000
    Repayment.objects.get(loan=a, paid_on=D(2024, 9, 10)).delete()
    a.refresh_from_db()
    assert a.repaid_on is None  # overdue again
    assert list(Loan.objects.overdue(D(2024, 12, 1)).order_by("pk")) == [a, book["b"]]


def test_instalments_never_exceed_the_loan_nor_precede_it(book):
    b = book["b"]
    with pytest.raises(ValidationError) as error:
        Repayment(loan=b, paid_on=D(2024, 10, 1), amount_vnd=4_000_001).full_clean()
    assert error.value.message_dict["amount_vnd"] == [
        "Tổng số đã trả (4.000.001 đ) vượt số tiền vay (4.000.000 đ)."
    ]
    with pytest.raises(ValidationError) as error:
        Repayment(loan=b, paid_on=D(2024, 2, 29), amount_vnd=1).full_clean()
    assert error.value.message_dict["paid_on"] == ["Ngày trả không được trước ngày giải ngân."]
    a = book["a"]
    a.amount_vnd = 5_999_999
    with pytest.raises(ValidationError) as error:
        a.full_clean()
    assert error.value.message_dict["amount_vnd"] == [
        "Số tiền không được nhỏ hơn số đã trả (6.000.000 đ)."
    ]


def test_a_movement_before_the_fund_was_set_up_is_refused(book):
    fund = factories.fund(book["club"], "activity", D(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        FundMovement(
            fund=fund, moved_on=D(2023, 12, 31), kind="interest", amount_vnd=1
        ).full_clean()
    assert error.value.message_dict["moved_on"] == [
        "Ngày không được trước ngày lập quỹ (01/01/2024)."
    ]


def test_a_loan_repaid_before_instalments_gets_one_instalment_of_its_amount(db, province_a):
    club = factories.club(founded_on=D(2020, 1, 1))
    member = factories.member(club, joined_on=D(2020, 1, 1))
    repaid = factories.loan(member, D(2021, 1, 1), amount_vnd=3_000_000)
    open_loan = factories.loan(member, D(2021, 2, 1), due_on=D(2021, 6, 1))
    Loan.objects.filter(pk=repaid.pk).update(repaid_on=D(2021, 12, 31))  # as stored before
    migration = importlib.import_module("loans.migrations.0005_one_instalment_per_repaid_loan")
    migration.forward(apps, None)
    assert list(Repayment.objects.values_list("loan_id", "paid_on", "amount_vnd")) == [
        (repaid.pk, D(2021, 12, 31), 3_000_000)
    ]
    Loan.objects.filter(pk__in=[repaid.pk, open_loan.pk]).refresh_repaid()
    assert dict(Loan.objects.values_list("pk", "repaid_on")) == {
        repaid.pk: D(2021, 12, 31),
        open_loan.pk: None,
    }


def test_the_fund_page_shows_the_figures_at_a_date(client, board, book):
    client.force_login(board)
    page = client.get(reverse("loans:funds", args=[book["club"].pk]) + "?on=01/09/2024")
    text = page.content.decode()
    assert page.context["day"] == D(2024, 9, 1)
    assert 'data-testid="outstanding">6.000.000 đ' in text
    assert 'data-testid="repayment-rate">40,0%' in text
    assert 'data-testid="par30">33,3%' in text
    assert "Cho vay hiện vật (1 con bê)" in text
    bad = client.get(reverse("loans:funds", args=[book["club"].pk]) + "?on=31/02/2024")
    assert bad.status_code == 200  # an impossible date shows today


def test_an_officer_enters_a_movement(client, officer_a, book):
    client.force_login(officer_a)
    url = reverse("loans:movement", args=[book["fund"].pk])
    data = {"moved_on": "01/10/2024", "kind": "contribution", "amount_vnd": "1.500.000"}
    assert client.post(url, data).status_code == 302
    assert fund_figures(book["fund"], D(2024, 10, 1)).cash == 14_800_000 + 1_500_000
    refused = client.post(url, {**data, "amount_vnd": "0"})
    assert refused.context["form"].errors["amount_vnd"] == ["Số tiền phải lớn hơn 0."]


@pytest.mark.django_db(transaction=True)
def test_two_editors_adding_instalments_at_once_never_repay_more_than_the_loan(units):
    import threading

    from django.db import connections
    from django.test import Client

    province = factories.province("post2025", "08")
    officer = factories.user("officer_t", role="officer", provinces=[province])
    club = factories.club(founded_on=D(2020, 1, 1))
    member = factories.member(club, joined_on=D(2020, 1, 1))
    loan = factories.loan(member, D(2024, 1, 1), amount_vnd=10_000_000)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def edit(day):
        try:
            client = Client()
            client.force_login(officer)
            data = {
                "member": member.pk,
                "kind": "cash",
                "amount_vnd": "10.000.000",
                "disbursed_on": "01/01/2024",
                "r-TOTAL_FORMS": "1",
                "r-INITIAL_FORMS": "0",
                "r-0-paid_on": day,
                "r-0-amount_vnd": "6.000.000",
            }
            barrier.wait(timeout=10)
            results.append(client.post(reverse("loans:edit", args=[loan.pk]), data).status_code)
        except Exception as error:  # noqa: BLE001 (reported by the assertion)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(d,)) for d in ("01/03/2024", "02/03/2024")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # one saved (redirect), the other refused and shown again; 6.000.000 repaid, not 12.000.000
    assert sorted(results) == [200, 302]
    assert list(Repayment.objects.filter(loan=loan).values_list("amount_vnd", flat=True)) == [
        6_000_000
    ]
