"""Training sessions with attending clubs, and monitoring visits, in the workspace."""

import datetime

from django.urls import reverse

from tests import factories
from training.models import MonitoringVisit, TrainingSession


def test_session_with_clubs_keeps_other_provinces_attendance(
    client, officer_a, officer_b, province_a, province_b
):
    club_a = factories.club(code="TA-1")
    club_a2 = factories.club(code="TA-2")
    club_b = factories.club(code="TB-1", province_code="83")
    client.force_login(officer_a)
    client.post(
        reverse("training:create"),
        {
            "code": "S-1",
            "title": "Tập huấn tỉnh",
            "held_on": "10/04/2024",
            "level": "provincial",
            "province": province_a.pk,
            "clubs": [club_a.pk],
            "club_codes": "TA-2",
        },
    )
    session = TrainingSession.objects.get(code="S-1")
    assert sorted(session.clubs.values_list("code", flat=True)) == ["TA-1", "TA-2"]
    session.attendances.create(club=club_b)  # B's club came too (recorded by an administrator)
    client.post(
        reverse("training:edit", args=[session.pk]),
        {
            "code": "S-1",
            "title": "Tập huấn tỉnh",
            "held_on": "10/04/2024",
            "level": "provincial",
            "province": province_a.pk,
            "clubs": [club_a2.pk],
        },
    )
    assert sorted(session.clubs.values_list("code", flat=True)) == ["TA-2", "TB-1"]
    # B sees the session through its club's attendance, but only its own club, and cannot edit.
    client.force_login(officer_b)
    detail = client.get(reverse("training:detail", args=[session.pk]))
    assert [a.club.code for a in detail.context["attendances"]] == ["TB-1"]
    assert client.get(reverse("training:edit", args=[session.pk])).status_code == 403


def test_one_visit_per_club_per_day(client, officer_a, province_a):
    client.force_login(officer_a)
    club = factories.club()
    url = reverse("training:visit_create", args=[club.pk])
    client.post(url, {"visited_on": "01/05/2024", "monitor": "Cán bộ tỉnh"})
    again = client.post(url, {"visited_on": "01/05/2024"})
    assert again.context["form"].errors["visited_on"] == [
        "CLB đã có một lần giám sát vào ngày này."
    ]
    visit = MonitoringVisit.objects.get()
    assert (visit.club, visit.visited_on) == (club, datetime.date(2024, 5, 1))


def test_participants_of_each_ticked_club(client, officer_a, province_a):
    club_a = factories.club(code="TP-1")
    club_b = factories.club(code="TP-2")
    client.force_login(officer_a)
    page = client.get(reverse("training:create"))
    html = page.content.decode()
    # The legend above the list, and the picker's attributes on the list.
    assert "<legend>CLB tham gia</legend>" in html and 'data-picker=""' in html
    assert 'data-key="tp-1 – ' in html
    base = {
        "code": "S-P",
        "title": "Tập huấn tỉnh",
        "held_on": "10/04/2024",
        "level": "provincial",
        "province": province_a.pk,
    }
    refused = client.post(
        reverse("training:create"),
        {**base, "clubs": [club_a.pk], f"participants_{club_b.pk}": "7"},
    )
    assert refused.context["form"].errors[f"participants_{club_b.pk}"] == [
        "Đánh dấu CLB TP-2 tham gia để ghi số người."
    ]
    assert not TrainingSession.objects.filter(code="S-P").exists()
    assert 'value="7"' in refused.content.decode()  # what was typed stays
    client.post(
        reverse("training:create"),
        {**base, "clubs": [club_a.pk, club_b.pk], f"participants_{club_a.pk}": "12"},
    )
    session = TrainingSession.objects.get(code="S-P")
    assert sorted(session.attendances.values_list("club__code", "participants")) == [
        ("TP-1", 12),
        ("TP-2", None),
    ]
    client.post(
        reverse("training:edit", args=[session.pk]),
        {**base, "clubs": [club_a.pk, club_b.pk], f"participants_{club_b.pk}": "5"},
    )
    assert sorted(session.attendances.values_list("club__code", "participants")) == [
        ("TP-1", None),
        ("TP-2", 5),
    ]


def test_a_session_held_after_today_is_refused_and_the_form_keeps_it(
    client, officer_a, province_a, settings
):
    """30/12/9999 was saved as a session: a session is dated the day it was held."""
    client.force_login(officer_a)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    for day in ("30/12/9999", tomorrow):
        response = client.post(
            reverse("training:create"),
            {
                "code": "S-FUT",
                "title": "Lớp chưa tổ chức",
                "held_on": day,
                "level": "provincial",
                "province": province_a.pk,
            },
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Ngày tổ chức không được sau hôm nay." in page
        assert f'value="{day}"' in page
    assert not TrainingSession.objects.filter(code="S-FUT").exists()
