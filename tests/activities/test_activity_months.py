"""A club's activities by month: the scheme's kinds (as data), whether each was held, how many
members took part, home-care volunteers' visits; the club page counts the kinds held."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityKind, ActivityRecord
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(province_a):
    club = factories.club(code="C-1", founded_on=datetime.date(2018, 1, 1))
    for i in range(3):
        factories.member(club, code=f"TV{i + 1}", joined_on=datetime.date(2018, 3, 1))
    return club


def kind(code):
    return ActivityKind.objects.get(code=code)


def test_the_scheme_s_nine_kinds_are_seeded_with_home_care_counting_visits():
    assert list(ActivityKind.objects.values_list("code", flat=True)) == [
        "planning",
        "income",
        "culture",
        "health",
        "community",
        "home_care",
        "resources",
        "rights",
        "communication",
    ]
    assert list(ActivityKind.objects.filter(counts_visits=True).values_list("code", flat=True)) == [
        "home_care"
    ]


def test_a_month_s_activities_are_recorded(client, club, officer_a):
    client.force_login(officer_a)
    url = reverse("activities:month", args=[club.pk, 2018, 4])
    health, home = kind("health"), kind("home_care")
    data = {f"held_{health.pk}": "on", f"participants_{health.pk}": "3"}
    data |= {f"held_{home.pk}": "on", f"visits_{home.pk}": "7"}
    assert client.post(url, data)["Location"] == url
    assert sorted(
        ActivityRecord.objects.values_list("kind__code", "month", "held", "participants", "visits")
    ) == [
        ("health", datetime.date(2018, 4, 1), True, 3, None),
        ("home_care", datetime.date(2018, 4, 1), True, None, 7),
    ]
    # unticked later: the record stays, as not held
    client.post(url, {f"held_{home.pk}": "on", f"visits_{home.pk}": "7"})
    assert ActivityRecord.objects.get(kind=health).held is False


def test_participants_without_held_or_beyond_the_members_are_errors(client, club, officer_a):
    client.force_login(officer_a)
    url = reverse("activities:month", args=[club.pk, 2018, 4])
    health, culture = kind("health"), kind("culture")
    data = {f"participants_{health.pk}": "2"}
    data |= {f"held_{culture.pk}": "on", f"participants_{culture.pk}": "4"}
    text = client.post(url, data).content.decode()
    assert "Đánh dấu «có tổ chức» khi có người tham gia." in text
    assert "Nhiều hơn số thành viên của CLB (3)." in text
    assert not ActivityRecord.objects.exists()


def test_months_outside_the_club_s_life_are_not_found(client, club, officer_a):
    client.force_login(officer_a)
    for year, month in ((2017, 12), (2099, 1), (2018, 13)):
        url = reverse("activities:month", args=[club.pk, year, month])
        assert client.get(url).status_code == 404


def test_the_board_reads_a_month_and_cannot_post(client, club, board):
    client.force_login(board)
    url = reverse("activities:month", args=[club.pk, 2018, 4])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403


def test_a_kind_counts_from_its_start(client, club, officer_a):
    later = ActivityKind.objects.create(code="new", name="Mới", starts_on=datetime.date(2019, 1, 1))
    client.force_login(officer_a)
    page = client.get(reverse("activities:month", args=[club.pk, 2018, 12]))
    assert later not in [k for k, *_ in page.context["form"].rows()]
    page = client.get(reverse("activities:month", args=[club.pk, 2019, 1]))
    assert later in [k for k, *_ in page.context["form"].rows()]


def test_the_club_page_counts_the_kinds_held_in_twelve_months(client, club, officer_a):
    this_month = timezone.localdate().replace(day=1)
    ActivityRecord.objects.create(club=club, kind=kind("health"), month=this_month, held=True)
    ActivityRecord.objects.create(club=club, kind=kind("culture"), month=this_month, held=False)
    old = datetime.date(this_month.year - 2, 1, 1)
    ActivityRecord.objects.create(club=club, kind=kind("rights"), month=old, held=True)
    client.force_login(officer_a)
    text = client.get(reverse("clubs:detail", args=[club.pk])).content.decode()
    assert "Hoạt động: 1/9 loại đã tổ chức trong 12 tháng qua." in text
