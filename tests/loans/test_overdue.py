"""The overdue loans' page (``loans:overdue``): every loan of the user's provinces past its due
date, not repaid and without an income outcome, the longest overdue first, 25 a page; the
officers' home page links its count there."""

import datetime

from django.urls import reverse
from django.utils import timezone

from loans.views import OVERDUE_PAGE_SIZE
from tests import factories

DAY = datetime.timedelta(days=1)


def _rows(response):
    return [loan.code for loan in response.context["page"].object_list]


def test_the_page_lists_what_the_home_page_counts(client, officer_a, officer_b, board):
    today = timezone.localdate()
    club = factories.club(code="A-1", founded_on=datetime.date(2018, 1, 1))
    other_club = factories.club(code="A-2", founded_on=datetime.date(2018, 1, 1))
    club_b = factories.club(code="B-1", founded_on=datetime.date(2018, 1, 1), province_code="83")
    hoa, lan = factories.member(club, full_name="Nguyễn Thị Hoà"), factories.member(other_club)
    start = datetime.date(2023, 1, 1)
    factories.loan(hoa, start, code="V-30", due_on=today - 30 * DAY)
    factories.loan(lan, start, code="V-400", due_on=today - 400 * DAY, amount_vnd=3_500_000)
    factories.loan(hoa, start, code="V-1", due_on=today - DAY)
    # Not overdue: due today, repaid, assessed, no due date.
    factories.loan(hoa, start, code="TODAY", due_on=today)
    factories.loan(hoa, start, code="REPAID", due_on=today - 9 * DAY, repaid_on=today - DAY)
    factories.loan(hoa, start, "improved", today - DAY, code="ASSESSED", due_on=today - 9 * DAY)
    factories.loan(hoa, start, code="NO-DUE")
    factories.loan(factories.member(club_b), start, code="B-LATE", due_on=today - 5 * DAY)

    client.force_login(officer_a)
    page = client.get(reverse("loans:overdue"))
    assert page.status_code == 200
    assert _rows(page) == ["V-400", "V-30", "V-1"]
    text = page.content.decode()
    assert "3.500.000 đ" in text and "Nguyễn Thị Hoà" in text and "B-LATE" not in text
    home = client.get(reverse("home"))
    assert home.context["overdue_count"] == 3
    assert f'href="{reverse("loans:overdue")}"' in home.content.decode()

    client.force_login(officer_b)
    assert _rows(client.get(reverse("loans:overdue"))) == ["B-LATE"]
    client.force_login(board)  # reads every province
    assert _rows(client.get(reverse("loans:overdue"))) == ["V-400", "V-30", "B-LATE", "V-1"]


def test_the_page_goes_25_at_a_time(client, officer_a):
    assert OVERDUE_PAGE_SIZE == 25
    today = timezone.localdate()
    member = factories.member(factories.club(founded_on=datetime.date(2018, 1, 1)))
    for n in range(27):  # V-00 is the longest overdue
        factories.loan(
            member, datetime.date(2023, 1, 1), code=f"V-{n:02d}", due_on=today - (100 - n) * DAY
        )
    client.force_login(officer_a)
    first = client.get(reverse("loans:overdue"))
    assert _rows(first) == [f"V-{n:02d}" for n in range(25)]
    assert "?page=2" in first.content.decode()
    assert _rows(client.get(reverse("loans:overdue"), {"page": 2})) == ["V-25", "V-26"]
    # A page past the last, or not a number: the last or the first page, never an error.
    assert _rows(client.get(reverse("loans:overdue"), {"page": 99})) == ["V-25", "V-26"]
    assert _rows(client.get(reverse("loans:overdue"), {"page": "x"}))[0] == "V-00"
    home = client.get(reverse("home"))
    assert home.context["overdue_count"] == 27 and len(home.context["overdue"]) == 20
