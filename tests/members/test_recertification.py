"""The yearly re-certification of a club's household statuses: one date for every active
member; each row saved records an assessment on that date, changed or not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import HouseholdAssessment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(province_a):
    return factories.club(code="C-1", founded_on=datetime.date(2018, 1, 1))


def test_every_active_member_gets_an_assessment_on_the_date(client, club, officer_a):
    poor = factories.member(club, code="TV1", full_name="A Poor", status="poor")
    none = factories.member(club, code="TV2", full_name="B None")
    factories.member(club, code="TV3", full_name="C Left", left_on=datetime.date(2019, 1, 1))
    client.force_login(officer_a)
    url = reverse("members:recertify", args=[club.pk])
    page = client.get(url)
    # by given name, as Vietnamese lists are: "None" before "Poor"; the member who left is not
    rows = page.context["form"].rows()
    assert [(m.code, current) for m, _field, current in rows] == [("TV2", "none"), ("TV1", "poor")]
    data = {"assessed_on": "15/01/2026", f"status_{poor.pk}": "poor"}
    data[f"status_{none.pk}"] = "near_poor"
    response = client.post(url, data)
    assert response["Location"] == reverse("clubs:detail", args=[club.pk])
    day = datetime.date(2026, 1, 15)
    assert sorted(
        HouseholdAssessment.objects.filter(assessed_on=day).values_list("member__code", "status")
    ) == [("TV1", "poor"), ("TV2", "near_poor")]
    # the unchanged status is recorded too: TV1 now has two assessments
    assert poor.assessments.count() == 2


def test_a_date_after_today_saves_nothing(client, club, officer_a):
    member = factories.member(club, code="TV1")
    client.force_login(officer_a)
    url = reverse("members:recertify", args=[club.pk])
    later = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(
        url, {"assessed_on": later.strftime("%d/%m/%Y"), f"status_{member.pk}": "poor"}
    )
    assert response.status_code == 200
    assert "Ngày đánh giá không được sau hôm nay." in response.content.decode()
    assert not HouseholdAssessment.objects.exists()


def test_the_same_date_again_corrects_instead_of_doubling(client, club, officer_a):
    member = factories.member(club, code="TV1")
    client.force_login(officer_a)
    url = reverse("members:recertify", args=[club.pk])
    for status in ("poor", "disadvantaged"):
        client.post(url, {"assessed_on": "15/01/2026", f"status_{member.pk}": status})
    assert list(member.assessments.values_list("assessed_on", "status")) == [
        (datetime.date(2026, 1, 15), "disadvantaged")
    ]


def test_the_board_cannot_recertify(client, club, board):
    client.force_login(board)
    assert client.get(reverse("members:recertify", args=[club.pk])).status_code == 403


def test_a_commune_recertifies_the_members_of_all_its_clubs_on_one_date(client, officer_a, make):
    first = make.club(code="X-1", founded_on=datetime.date(2018, 3, 1))
    second = make.club(
        code="X-2", founded_on=datetime.date(2018, 3, 1), founding_commune=first.founding_commune
    )
    assert first.commune_id and first.commune_id == second.commune_id
    a = make.member(first, joined_on=datetime.date(2018, 3, 1), status="poor")
    b = make.member(second, joined_on=datetime.date(2018, 3, 1), status="near_poor")
    client.force_login(officer_a)
    url = reverse("members:recertify_commune", args=[first.commune_id])
    page = client.get(url)
    assert [m.pk for m, _field, _now in page.context["form"].rows()] == [a.pk, b.pk]
    day = "15/01/2025"
    client.post(url, {"assessed_on": day, f"status_{a.pk}": "poor", f"status_{b.pk}": "none"})
    assert set(
        HouseholdAssessment.objects.filter(assessed_on=datetime.date(2025, 1, 15)).values_list(
            "member_id", "status"
        )
    ) == {(a.pk, "poor"), (b.pk, "none")}


def test_a_date_with_no_active_member_says_so(client, club, officer_a):
    # 01/01/1900: the club's members joined later; nothing to record, and the page says why
    # instead of "recorded for 0 members".
    factories.member(club, code="TV1", joined_on=datetime.date(2018, 3, 1))
    client.force_login(officer_a)
    url = reverse("members:recertify", args=[club.pk])
    response = client.post(url, {"assessed_on": "01/01/1900"})
    assert response.status_code == 200
    assert "Ngày 01/01/1900 không có thành viên nào đang sinh hoạt" in response.content.decode()
    assert HouseholdAssessment.objects.filter(assessed_on=datetime.date(1900, 1, 1)).count() == 0
