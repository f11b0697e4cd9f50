"""Clubs' monthly meetings: the year grid (all rows saved or none, typed values kept), the
rules of a meeting (not after today, within the club's life, no more members present than the
club has that day), the spreadsheet kind, the club page's panel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Meeting
from spreadsheets.services import import_file
from tests import factories
from tests.spreadsheet_files import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(province_a):
    club = factories.club(code="C-1", founded_on=datetime.date(2018, 1, 1))
    for i in range(3):  # three members from 1 March 2018
        factories.member(club, code=f"TV{i + 1}", joined_on=datetime.date(2018, 3, 1))
    return club


def grid(rows, initial=0):
    data = {"g-TOTAL_FORMS": str(max(len(rows), 12)), "g-INITIAL_FORMS": str(initial)}
    data["g-MIN_NUM_FORMS"], data["g-MAX_NUM_FORMS"] = "0", "400"
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"g-{i}-{key}"] = value
    return data


def test_the_grid_saves_the_typed_rows_and_skips_blank_ones(client, club, officer_a):
    client.force_login(officer_a)
    url = reverse("activities:meetings", args=[club.pk, 2018])
    rows = [
        {"held_on": "05/03/2018", "attendees": "3", "topics": "Bình xét cho vay"},
        {},
        {"held_on": "05/04/2018", "attendees": "", "topics": ""},
    ]
    response = client.post(url, grid(rows))
    assert response["Location"] == url
    assert list(Meeting.objects.values_list("held_on", "attendees", "topics")) == [
        (datetime.date(2018, 4, 5), None, ""),
        (datetime.date(2018, 3, 5), 3, "Bình xét cho vay"),
    ]


def test_a_bad_row_saves_nothing_and_keeps_what_was_typed(client, club, officer_a):
    client.force_login(officer_a)
    url = reverse("activities:meetings", args=[club.pk, 2018])
    rows = [
        {"held_on": "05/03/2018", "attendees": "3", "topics": "Họp tháng 3"},
        {"held_on": "05/02/2018", "attendees": "2", "topics": "Trước khi có thành viên"},
        {"held_on": "05/05/2019", "attendees": "", "topics": ""},
        {"held_on": "", "attendees": "", "topics": "Không có ngày"},
        {"held_on": "05/03/2018", "attendees": "", "topics": "Trùng ngày"},
    ]
    response = client.post(url, grid(rows))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Số thành viên dự họp (2) nhiều hơn số thành viên của CLB ngày đó (0)." in text
    assert "Ngày họp phải trong năm 2018." in text
    assert "Hãy nhập ngày họp." in text
    assert "Ngày này đã có ở dòng 1." in text
    assert 'value="Họp tháng 3"' in text
    assert not Meeting.objects.exists()


def test_a_meeting_after_today_is_refused(client, club, officer_a):
    client.force_login(officer_a)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    url = reverse("activities:meetings", args=[club.pk, tomorrow.year])
    response = client.post(url, grid([{"held_on": tomorrow.strftime("%d/%m/%Y")}]))
    if tomorrow.year > today.year:  # 31 December: next year's grid does not exist yet
        assert response.status_code == 404
    else:
        assert "Ngày họp không được sau hôm nay." in response.content.decode()
    assert not Meeting.objects.exists()


def test_stored_meetings_are_edited_and_deleted_in_the_grid(client, club, officer_a):
    kept = Meeting.objects.create(club=club, held_on=datetime.date(2018, 3, 5), attendees=2)
    gone = Meeting.objects.create(club=club, held_on=datetime.date(2018, 4, 5))
    client.force_login(officer_a)
    url = reverse("activities:meetings", args=[club.pk, 2018])
    rows = [
        {"id": kept.pk, "held_on": "05/03/2018", "attendees": "3", "topics": "Sửa"},
        {"id": gone.pk, "held_on": "05/04/2018", "attendees": "", "topics": "", "DELETE": "on"},
    ]
    client.post(url, grid(rows, initial=2))
    assert list(Meeting.objects.values_list("pk", "attendees", "topics")) == [(kept.pk, 3, "Sửa")]


def test_the_board_reads_the_year_and_cannot_post(client, club, board):
    Meeting.objects.create(club=club, held_on=datetime.date(2018, 3, 5), attendees=2, topics="A")
    client.force_login(board)
    url = reverse("activities:meetings", args=[club.pk, 2018])
    page = client.get(url)
    assert page.status_code == 200 and '<td data-label="Nội dung">A</td>' in page.content.decode()
    assert client.post(url, grid([{"held_on": "06/03/2018"}])).status_code == 403
    assert Meeting.objects.count() == 1


def test_another_province_s_club_is_not_found(client, club, officer_b):
    client.force_login(officer_b)
    assert client.get(reverse("activities:meetings", args=[club.pk, 2018])).status_code == 404


def test_the_meetings_file_imports_and_reimports_unchanged(club, officer_a):
    head = ["Mã CLB", "Ngày họp", "Số thành viên dự họp", "Nội dung"]
    rows = [head, ["C-1", "05/03/2018", "3", "Bình xét"], ["C-1", "05/04/2018", "", ""]]
    report = import_file(kind="meetings", content=csv_bytes(rows), filename="h.csv", user=officer_a)
    assert report.imported, [str(e) for e in report.errors]
    assert Meeting.objects.count() == 2
    again = import_file(
        kind="meetings", content=csv_bytes(rows), filename="h.csv", user=officer_a, dry_run=True
    )
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 2, "error": 0}
    too_many = [head, ["C-1", "06/03/2018", "4", ""]]
    refused = import_file(
        kind="meetings", content=csv_bytes(too_many), filename="h.csv", user=officer_a
    )
    assert [(e.row, e.column) for e in refused.errors] == [(2, "Số thành viên dự họp")]


def test_the_club_page_shows_the_last_twelve_months(client, club, officer_a):
    today = timezone.localdate()
    Meeting.objects.create(club=club, held_on=today, attendees=3, topics="Họp tháng này")
    client.force_login(officer_a)
    text = client.get(reverse("clubs:detail", args=[club.pk])).content.decode()
    assert "1 buổi sinh hoạt từ" in text
    assert "Họp tháng này" in text
    assert reverse("activities:meetings", args=[club.pk, today.year]) in text


def test_the_year_is_written_without_a_thousands_separator(client, club, officer_a):
    client.force_login(officer_a)
    text = client.get(reverse("activities:meetings", args=[club.pk, 2018])).content.decode()
    assert "Sinh hoạt hằng tháng năm 2018" in text
    assert "2.018" not in text


def test_visits_and_meetings_share_the_club_s_dates_rule(club):
    """One rule dates what a club did: not after today, not before its founding, not after
    its dissolution (``Club.event_day_error``), for meetings and monitoring visits alike."""
    from django.core.exceptions import ValidationError

    from training.models import MonitoringVisit

    club.dissolved_on = datetime.date(2020, 6, 30)
    club.save()
    for day, reason in (
        (datetime.date(2017, 12, 31), "không được trước ngày thành lập CLB."),
        (datetime.date(2020, 7, 1), "không được sau ngày giải thể CLB."),
    ):
        for record, what in (
            (Meeting(club=club, held_on=day), "Ngày họp"),
            (MonitoringVisit(club=club, visited_on=day), "Ngày giám sát"),
        ):
            with pytest.raises(ValidationError) as refused:
                record.clean()
            assert list(refused.value.message_dict.values()) == [[f"{what} {reason}"]]
    Meeting(club=club, held_on=datetime.date(2020, 6, 30)).clean()  # the last day still counts


def test_a_row_naming_another_club_s_meeting_is_refused(client, club, officer_a):
    # A crafted grid row with the id of another club's meeting on the same day: a row error,
    # not a server error; neither meeting changes.
    other = factories.club(code="C-2", founded_on=datetime.date(2018, 1, 1))
    theirs = Meeting.objects.create(club=other, held_on=datetime.date(2018, 3, 5), attendees=1)
    ours = Meeting.objects.create(club=club, held_on=datetime.date(2018, 3, 5), attendees=2)
    client.force_login(officer_a)
    url = reverse("activities:meetings", args=[club.pk, 2018])
    rows = [{"id": theirs.pk, "held_on": "05/03/2018", "attendees": "3", "topics": "X"}]
    response = client.post(url, grid(rows, initial=1))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["id"]
    assert list(Meeting.objects.order_by("pk").values_list("club", "attendees")) == [
        (other.pk, 1),
        (club.pk, 2),
    ]
    assert ours.pk


def test_two_rows_trading_dates_save_nothing_and_say_why(client, club, officer_a):
    march = Meeting.objects.create(club=club, held_on=datetime.date(2018, 3, 5), attendees=2)
    april = Meeting.objects.create(club=club, held_on=datetime.date(2018, 4, 5), attendees=3)
    client.force_login(officer_a)
    url = reverse("activities:meetings", args=[club.pk, 2018])
    rows = [
        {"id": march.pk, "held_on": "05/04/2018", "attendees": "2", "topics": ""},
        {"id": april.pk, "held_on": "05/03/2018", "attendees": "3", "topics": ""},
    ]
    response = client.post(url, grid(rows, initial=2))
    assert response.status_code == 200
    assert "Chưa lưu: một ngày họp trùng" in response.content.decode()
    assert list(Meeting.objects.order_by("pk").values_list("held_on", flat=True)) == [
        datetime.date(2018, 3, 5),
        datetime.date(2018, 4, 5),
    ]
