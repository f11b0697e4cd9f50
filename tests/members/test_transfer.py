"""A member moving club on D: counted in the old club the day before and in the new one from
D; the loans stay in the old club's fund and count toward the new club's borrowed criterion
from D."""

import datetime

import pytest
from django.urls import reverse

from loans.funds import fund_figures
from members.models import Member
from reporting.figures import club_counts
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date(2024, 6, 1)
BEFORE = D - datetime.timedelta(days=1)


@pytest.fixture
def moved(province_a):
    old = factories.club(code="OLD", founded_on=datetime.date(2020, 1, 1))
    new = factories.club(code="NEW", founded_on=datetime.date(2020, 1, 1))
    lan = factories.member(
        old, full_name="Nguyễn Thị Lan", joined_on=datetime.date(2020, 1, 1), status="poor"
    )
    factories.member(old, joined_on=datetime.date(2020, 1, 1))
    factories.member(new, joined_on=datetime.date(2020, 1, 1))
    loan = factories.loan(lan, datetime.date(2023, 1, 1), amount_vnd=3_000_000)
    fund = factories.fund(old)
    again = lan.transfer(new, D)
    return {"old": old, "new": new, "lan": lan, "again": again, "loan": loan, "fund": fund}


def counts(club, day):
    return club_counts([club.pk], day)[club.pk]


def test_counted_in_the_old_club_before_the_day_and_in_the_new_one_from_it(moved):
    old, new = moved["old"], moved["new"]
    # old: Lan and one other the day before; the other alone on D
    assert (counts(old, BEFORE)["active"], counts(old, D)["active"]) == (2, 1)
    assert (counts(new, BEFORE)["active"], counts(new, D)["active"]) == (1, 2)
    # her loan counts for the old club while she is there, for the new one from D
    assert (counts(old, BEFORE)["borrowed"], counts(old, D)["borrowed"]) == (1, 0)
    assert (counts(new, BEFORE)["borrowed"], counts(new, D)["borrowed"]) == (0, 1)
    # her household status moves with her
    assert (counts(new, BEFORE)["poor"], counts(new, D)["poor"]) == (0, 1)


def test_the_history_and_the_loans_stay_with_the_old_club(moved):
    lan, again, loan = moved["lan"], moved["again"], moved["loan"]
    lan.refresh_from_db()
    assert (lan.left_on, lan.leave_reason) == (D, "moved")
    assert (again.club_id, again.joined_on, again.origin_id) == (moved["new"].pk, D, lan.pk)
    assert again.code == "TV2"  # the next code of the new club
    loan.refresh_from_db()
    assert (loan.member_id, loan.club_id) == (lan.pk, moved["old"].pk)
    assert fund_figures(moved["fund"], D).outstanding == 3_000_000  # still the old fund's


def test_a_second_move_keeps_the_first_rows_loans(moved):
    third = factories.club(code="THIRD", founded_on=datetime.date(2020, 1, 1))
    later = moved["again"].transfer(third, datetime.date(2025, 1, 1))
    assert later.origin_id == moved["lan"].pk
    assert counts(third, datetime.date(2025, 1, 1))["borrowed"] == 1
    assert counts(moved["new"], datetime.date(2025, 1, 1))["borrowed"] == 0


def test_a_loan_written_later_refreshes_the_new_club_figures(moved):
    new = moved["new"]
    assert counts(new, D)["borrowed_improved"] == 0
    loan = moved["loan"]
    loan.income_outcome, loan.outcome_assessed_on = "improved", datetime.date(2023, 12, 1)
    loan.save()
    assert counts(new, D)["borrowed_improved"] == 1


def test_the_transfer_page(client, officer_a, province_a):
    old = factories.club(code="P-OLD", founded_on=datetime.date(2020, 1, 1))
    new = factories.club(code="P-NEW", founded_on=datetime.date(2020, 1, 1))
    member = factories.member(old, joined_on=datetime.date(2020, 1, 1))
    client.force_login(officer_a)
    url = reverse("members:transfer", args=[member.pk])
    same_day = client.post(url, {"club": new.pk, "moved_on": "01/01/2020"})
    assert same_day.context["form"].errors["moved_on"] == [
        "Ngày chuyển phải sau ngày tham gia CLB."
    ]
    response = client.post(url, {"club": new.pk, "moved_on": "01/06/2024"})
    moved = Member.objects.get(club=new)
    assert response["Location"] == reverse("members:detail", args=[moved.pk])
    assert Member.objects.get(pk=member.pk).left_on == D
