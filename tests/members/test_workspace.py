"""Member pages: quick entry of many members, birth by year or full date, leaving,
household assessments over time, the masked national ID."""

import datetime
import re

import pytest
from django import forms
from django.urls import reverse

from members.forms import parse_birth
from members.models import Member
from tests import factories


@pytest.fixture
def club(client, officer_a, province_a):
    client.force_login(officer_a)
    return factories.club(code="M-1", founded_on=datetime.date(2018, 1, 1))


def grid(rows, total=10, joined_on="01/02/2018"):
    data = {"joined_on": joined_on, "m-TOTAL_FORMS": str(total), "m-INITIAL_FORMS": "0"}
    for i in range(total):
        data[f"m-{i}-status"] = "none"  # the select's default, as a browser sends it
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"m-{i}-{key}"] = value
    return data


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("1948", (1948, None, None)),
        ("03/1948", (1948, 3, None)),
        ("05/03/1948", (1948, 3, 5)),
        ("5-3-1948", (1948, 3, 5)),
    ],
)
def test_birth_by_year_or_date(typed, parsed):
    assert parse_birth(typed) == parsed


@pytest.mark.parametrize("typed", ["31/02/1948", "48", "1948/03/05", "1870"])
def test_birth_refused(typed):
    with pytest.raises(forms.ValidationError):
        parse_birth(typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/1950", "Ngày 31/02/1950 không có thật: tháng 2/1950 có 28 ngày."),
        ("29/02/1950", "Ngày 29/02/1950 không có thật: tháng 2/1950 có 28 ngày."),
        ("31/4/1962", "Ngày 31/04/1962 không có thật: tháng 4/1962 có 30 ngày."),
        ("13/1950", "Không có tháng 13: tháng từ 1 đến 12."),
        ("05/13/1950", "Không có tháng 13: tháng từ 1 đến 12."),
    ],
)
def test_a_date_that_does_not_exist_says_so(typed, message):
    with pytest.raises(forms.ValidationError) as refused:
        parse_birth(typed)
    assert refused.value.messages == [message]
    assert parse_birth("29/02/1952") == (1952, 2, 29)  # a leap year


def test_quick_entry_saves_the_typed_rows_only(client, club):
    rows = [
        {"full_name": "Nguyễn Thị Hoà", "sex": "female", "birth": "1948", "status": "poor"},
        {"full_name": "Trần Văn Bình", "sex": "male", "birth": "05/03/1950"},
        {},
        {"full_name": "Lê Thị Cúc", "sex": "female", "birth": "1960", "is_board_member": "on"},
    ]
    response = client.post(reverse("members:quick", args=[club.pk]), grid(rows))
    assert response["Location"] == reverse("clubs:detail", args=[club.pk])
    members = {m.full_name: m for m in Member.objects.filter(club=club)}
    assert sorted(members) == ["Lê Thị Cúc", "Nguyễn Thị Hoà", "Trần Văn Bình"]
    hoa = members["Nguyễn Thị Hoà"]
    assert (hoa.birth_year, hoa.birth_month, hoa.birth_day) == (1948, None, None)
    assert hoa.joined_on == datetime.date(2018, 2, 1)
    assert hoa.household_status_on(datetime.date(2018, 2, 1)) == "poor"
    assert members["Trần Văn Bình"].birth_date == datetime.date(1950, 3, 5)
    assert members["Lê Thị Cúc"].is_board_member


def test_quick_entry_error_saves_nothing_and_keeps_every_row(client, club):
    rows = [
        {"full_name": "Nguyễn Thị Hoà", "sex": "female", "birth": "1948"},
        {"full_name": "Trần Văn Bình", "sex": "male", "birth": "31/02/1950"},
        {"full_name": "Lê Thị Cúc", "birth": "1960"},
    ]
    response = client.post(reverse("members:quick", args=[club.pk]), grid(rows))
    assert response.status_code == 200
    assert not Member.objects.exists()
    errors = [form.errors for form in response.context["formset"].forms[:3]]
    assert errors[0] == {}
    assert errors[1]["birth"] == ["Ngày 31/02/1950 không có thật: tháng 2/1950 có 28 ngày."]
    assert errors[2]["sex"] == ["Trường này là bắt buộc."]
    html = response.content.decode()
    assert 'value="Nguyễn Thị Hoà"' in html and 'value="31/02/1950"' in html
    # The error summary at the top links to each bad cell, in the grid's order.
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Chưa lưu dòng nào: 2 lỗi cần sửa" in summary
    assert re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary) == [
        (
            "id_m-1-birth",
            "Dòng 2, Năm/ngày sinh: Ngày 31/02/1950 không có thật: tháng 2/1950 có 28 ngày.",
        ),
        ("id_m-2-sex", "Dòng 3, Giới tính: Trường này là bắt buộc."),
    ]
    assert html.index('id="error-summary"') < html.index('id="quick-grid"')


def test_quick_entry_summary_names_the_header_errors(client, club):
    rows = [{"full_name": "Nguyễn Thị Hoà", "sex": "female", "birth": "1948"}]
    data = grid(rows, joined_on="32/01/2018")
    html = client.post(reverse("members:quick", args=[club.pk]), data).content.decode()
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'<li><a href="#([^"]+)">', summary) == ["id_joined_on"]
    assert "1 lỗi cần sửa" in summary
    assert (
        'id="error-summary"'
        not in client.get(reverse("members:quick", args=[club.pk])).content.decode()
    )


def test_enter_in_the_quick_entry_grid_saves(client, club):
    """The first submit button of a form is the one Enter presses: "Lưu tất cả", not "Thêm 10
    dòng"."""
    html = client.get(reverse("members:quick", args=[club.pk])).content.decode()
    form = html.split("data-quick-entry", 1)[1].split("</form>", 1)[0]
    buttons = re.findall(r"<button [^>]*>[^<]*</button>", form)
    assert buttons[0] == '<button type="submit" class="primary">Lưu tất cả</button>'
    assert 'name="more"' in buttons[1]


def test_quick_entry_columns_carry_their_header_names(client, club):
    """A pasted header row is matched on each column's label and the import template's names."""
    html = client.get(reverse("members:quick", args=[club.pk])).content.decode()
    assert (
        '<th id="quick-col-birth" data-column="birth" '
        'data-aliases="Năm sinh|Ngày sinh|Năm sinh hoặc ngày sinh">' in html
    )
    assert (
        '<th id="quick-col-phone" data-column="phone" '
        'data-aliases="Số điện thoại|SĐT|Điện thoại di động">' in html
    )


def test_quick_entry_more_rows_without_javascript(client, club):
    rows = [{"full_name": "Nguyễn Thị Hoà", "sex": "female", "birth": "1948"}]
    data = {**grid(rows), "more": "1"}
    response = client.post(reverse("members:quick", args=[club.pk]), data)
    formset = response.context["formset"]
    assert len(formset.forms) == 11  # the typed row and ten blank ones
    assert formset.forms[0].initial["full_name"] == "Nguyễn Thị Hoà"
    assert not Member.objects.exists()


def test_national_id_masked_except_for_administrators(client, club, admin_user):
    member = factories.member(club, national_id="001234567890")
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "••••••••7890" in page and "001234567890" not in page
    edit = client.get(reverse("members:edit", args=[member.pk])).content.decode()
    assert "001234567890" not in edit
    # Saving the edit form with the ID box left empty keeps the stored ID.
    client.post(
        reverse("members:edit", args=[member.pk]),
        {
            "full_name": "Nguyễn Thị Mới",
            "sex": "female",
            "birth": "1950",
            "joined_on": "01/01/2018",
            "national_id": "",
        },
    )
    member.refresh_from_db()
    assert (member.full_name, member.national_id) == ("Nguyễn Thị Mới", "001234567890")
    history = client.get(reverse("members:detail", args=[member.pk])).context["history"]
    assert [(c.label, c.old, c.new) for c in history[0].changes] == [
        ("Họ và tên", member.history.last().full_name, "Nguyễn Thị Mới")
    ]
    client.force_login(admin_user)
    assert (
        "001234567890" in client.get(reverse("members:detail", args=[member.pk])).content.decode()
    )


def test_leave_and_assessments_over_time(client, club):
    member = factories.member(club, joined_on=datetime.date(2018, 1, 1))
    url = reverse("members:leave", args=[member.pk])
    refused = client.post(url, {"left_on": "01/01/2017", "leave_reason": "moved"})
    assert refused.context["form"].errors["left_on"] == [
        "Ngày rời CLB không được trước ngày tham gia."
    ]
    client.post(url, {"left_on": "15/06/2024", "leave_reason": "moved"})
    member.refresh_from_db()
    assert (member.left_on, member.leave_reason) == (datetime.date(2024, 6, 15), "moved")

    assess = reverse("members:assess", args=[member.pk])
    client.post(assess, {"assessed_on": "01/01/2019", "status": "poor"})
    client.post(assess, {"assessed_on": "01/01/2022", "status": "none"})
    twice = client.post(assess, {"assessed_on": "01/01/2022", "status": "near_poor"})
    assert twice.context["form"].errors["assessed_on"] == [
        "Thành viên đã có một lần đánh giá vào ngày này."
    ]
    assert member.household_status_on(datetime.date(2020, 1, 1)) == "poor"
    assert member.household_status_on(datetime.date(2023, 1, 1)) == "none"


def test_the_edit_form_keeps_the_status_and_records_a_recertification(client, club):
    member = factories.member(club, joined_on=datetime.date(2018, 1, 1), status="poor")
    url = reverse("members:edit", args=[member.pk])
    form = client.get(url).context["form"]
    assert form.initial["status"] == "poor"  # the status in force is shown, not dropped
    data = {
        "full_name": member.full_name,
        "sex": "female",
        "birth": "1950",
        "joined_on": "01/01/2018",
        "status": "poor",
    }
    # Saved without a date and with the same status: the history is left as it was.
    assert client.post(url, data).status_code == 302
    assert member.assessments.count() == 1
    # A new date with the same status is a re-certification: added to the history.
    assert client.post(url, {**data, "assessed_on": "15/01/2024"}).status_code == 302
    assert list(
        member.assessments.order_by("assessed_on").values_list("assessed_on", "status")
    ) == [
        (datetime.date(2018, 1, 1), "poor"),
        (datetime.date(2024, 1, 15), "poor"),
    ]
    # A changed status needs its date; the typed values are kept beside the error.
    refused = client.post(url, {**data, "status": "near_poor", "full_name": "Lò Thị Mây"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["assessed_on"] == [
        "Hãy nhập ngày đánh giá khi thay đổi hoàn cảnh gia đình."
    ]
    assert 'value="Lò Thị Mây"' in refused.content.decode()
    assert member.assessments.count() == 2
    # The date of an existing assessment corrects it.
    client.post(url, {**data, "status": "near_poor", "assessed_on": "15/01/2024"})
    assert member.household_status_on(datetime.date(2024, 6, 1)) == "near_poor"
    assert member.assessments.count() == 2


def test_the_sex_radio_has_no_empty_choice(client, club):
    html = client.get(reverse("members:create", args=[club.pk])).content.decode()
    assert "---------" not in html
    assert 'value="female"' in html and 'value="male"' in html
