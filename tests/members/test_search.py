"""The member search: by name without diacritics, code, phone or the national ID's last digits,
across the provinces a user may see, with club, commune and birth year; paginated."""

import datetime
import re

import pytest
from django.urls import reverse

from members.models import Member
from members.search import CappedPaginator
from tests import factories

URL = reverse("members:search")


@pytest.fixture
def people(province_a, province_b):
    """Two clubs of province A (Tuyên Quang, through old Hà Giang), one of province B."""
    a1 = factories.club(code="HG-1", name="CLB Đồng Tâm", founded_on=datetime.date(2018, 1, 1))
    a2 = factories.club(code="HG-2", name="CLB Bình Minh", founded_on=datetime.date(2019, 1, 1))
    b1 = factories.club(code="BT-1", name="CLB Mỹ Thạnh", province_code="83")
    made = {
        "dung_a": factories.member(
            a1, full_name="Nguyễn Thị Dung", birth_year=1943, code="TV12", phone="0912345678"
        ),
        "dung_tone": factories.member(
            a2, full_name="Trần Văn Dũng", sex="male", birth_year=1951, code="TV3"
        ),
        "dang": factories.member(a1, full_name="Đặng Thị Hoa", birth_year=1960, code="TV13"),
        "an": factories.member(a1, full_name="Lê Văn An", sex="male", birth_year=1955, code="A7"),
        "anh": factories.member(a2, full_name="Phạm Thị Ánh", birth_year=1962, code="TV4"),
        "lan": factories.member(a2, full_name="Vũ Thị Lan", birth_year=1970, code="TV5"),
        "dung_b": factories.member(
            b1, full_name="Lê Thị Dung", birth_year=1948, code="TV12", national_id="083150005678"
        ),
        "id_a": factories.member(
            a2, full_name="Hoàng Thị Mai", birth_year=1949, code="TV6", national_id="002149005678"
        ),
    }
    return made


def names(response):
    """The names listed in the results, in their order."""
    html = response.content.decode()
    body = html.split('id="member-results"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/members/\d+/">([^<]+)</a>', body)


def test_a_name_without_diacritics_in_the_officers_provinces(client, officer_a, people):
    client.force_login(officer_a)
    # "Lê Thị Dung" is in province B, which officer A does not see.
    assert names(client.get(URL, {"q": "Dung"})) == ["Nguyễn Thị Dung", "Trần Văn Dũng"]
    assert names(client.get(URL, {"q": "dũng"})) == ["Nguyễn Thị Dung", "Trần Văn Dũng"]
    # Every word anywhere in the name, in any order; "đ" is read as "d".
    assert names(client.get(URL, {"q": "nguyen DUNG"})) == ["Nguyễn Thị Dung"]
    assert names(client.get(URL, {"q": "dang"})) == ["Đặng Thị Hoa"]


def test_the_board_and_the_administrator_search_the_whole_country(
    client, board, admin_user, people
):
    for user in (board, admin_user):
        client.force_login(user)
        found = names(client.get(URL, {"q": "dung"}))
        assert found == ["Lê Thị Dung", "Nguyễn Thị Dung", "Trần Văn Dũng"]


def test_a_short_word_matches_the_start_of_a_word(client, officer_a, people):
    client.force_login(officer_a)
    # "an" is "Lê Văn An" and "Phạm Thị Ánh", not "Vũ Thị Lan"; one letter names nobody.
    assert names(client.get(URL, {"q": "an"})) == ["Lê Văn An", "Phạm Thị Ánh"]
    response = client.get(URL, {"q": "a"})
    assert names(response) == []
    assert "Không tìm thấy thành viên nào khớp “a”." in response.content.decode()


def test_a_member_code_as_typed_or_in_capitals(client, officer_a, board, people):
    client.force_login(officer_a)
    assert names(client.get(URL, {"q": "tv12"})) == ["Nguyễn Thị Dung"]
    assert names(client.get(URL, {"q": "A7"})) == ["Lê Văn An"]
    client.force_login(board)
    assert names(client.get(URL, {"q": "TV12"})) == ["Lê Thị Dung", "Nguyễn Thị Dung"]


def test_a_phone_for_those_who_see_phones(client, officer_a, board, people):
    client.force_login(officer_a)
    response = client.get(URL, {"q": "0912 345 678"})
    assert names(response) == ["Nguyễn Thị Dung"]
    assert "0912345678" in response.content.decode()
    # The board sees phones masked, and cannot confirm a number by searching it.
    client.force_login(board)
    assert names(client.get(URL, {"q": "0912345678"})) == []
    assert "•••••••678" in client.get(URL, {"q": "nguyen thi dung"}).content.decode()


def test_the_last_digits_of_the_national_id_never_show_it_in_full(
    client, officer_a, board, admin_user, people
):
    client.force_login(officer_a)
    response = client.get(URL, {"q": "5678"})
    assert names(response) == ["Hoàng Thị Mai"]
    html = response.content.decode()
    assert "••••••••5678" in html and "002149005678" not in html
    assert names(client.get(URL, {"q": "9005678"})) == ["Hoàng Thị Mai"]
    assert names(client.get(URL, {"q": "1234"})) == []
    client.force_login(board)
    response = client.get(URL, {"q": "5678"})
    assert names(response) == ["Lê Thị Dung", "Hoàng Thị Mai"]  # by given name
    html = response.content.decode()
    assert "002149005678" not in html and "083150005678" not in html
    client.force_login(admin_user)
    html = client.get(URL, {"q": "005678"}).content.decode()
    assert "002149005678" in html and "083150005678" in html


def test_results_show_club_commune_and_birth_year(client, officer_a, people):
    client.force_login(officer_a)
    dung = people["dung_a"]
    club = dung.club
    commune = club.commune or club.founding_commune
    html = client.get(URL, {"q": "nguyen thi dung"}).content.decode()
    row = html.split('id="member-results"', 1)[1].split("</tr>", 2)[1]
    assert f'<a href="/members/{dung.pk}/">Nguyễn Thị Dung</a>' in row
    assert '<td data-label="Năm sinh">1943</td>' in row
    club_cell = f'<a href="/clubs/{club.pk}/">CLB Đồng Tâm</a> <span class="muted">(HG-1)</span>'
    assert club_cell in row
    assert f'<td data-label="Xã/phường">{commune.name}</td>' in row
    assert "Tuyên Quang" in row
    assert '<td data-label="Mã">TV12</td>' in row
    assert "1 thành viên" in html


def test_a_member_who_left_is_found_and_marked(client, officer_a, people):
    client.force_login(officer_a)
    lan = people["lan"]
    lan.left_on = datetime.date(2024, 5, 1)
    lan.leave_reason = "moved"
    lan.save()
    html = client.get(URL, {"q": "lan"}).content.decode()
    assert 'Vũ Thị Lan</a> <span class="badge">đã rời CLB</span></span>' in html


def test_results_are_paginated(client, officer_a, province_a):
    client.force_login(officer_a)
    club = factories.club(code="HG-9")
    for i in range(30):
        factories.member(club, full_name=f"Nguyễn Thị Dung {i:02d}")
    first = client.get(URL, {"q": "dung"})
    assert len(names(first)) == 25
    html = first.content.decode()
    assert "30 thành viên" in html and "Trang 1/2" in html
    assert 'href="?q=dung&amp;page=2"' in html
    second = client.get(URL, {"q": "dung", "page": "2"})
    assert names(second) == [f"Nguyễn Thị Dung {i:02d}" for i in range(25, 30)]


def test_a_broad_query_lists_the_first_ones_and_says_so(officer_a, province_a):
    club = factories.club(code="HG-8")
    for i in range(7):
        factories.member(club, full_name=f"Trần Thị Hoa {i}")
    paginator = CappedPaginator(Member.objects.order_by("full_name"), per_page=2, cap=5)
    assert (paginator.count, paginator.more, paginator.num_pages) == (5, True, 3)
    assert [m.full_name for m in paginator.page(3)] == ["Trần Thị Hoa 4"]
    exact = CappedPaginator(Member.objects.order_by("full_name"), per_page=2, cap=7)
    assert (exact.count, exact.more) == (7, False)


def test_blank_search_lists_nobody_and_the_header_links_to_it(client, officer_a, people):
    client.force_login(officer_a)
    html = client.get(URL).content.decode()
    assert 'id="member-results"' not in html
    assert f'<a href="{URL}">Thành viên</a>' in client.get(reverse("home")).content.decode()
