"""No 500 on odd input (issue #15, item 7): every form of the workspace pages (members, clubs,
loans, training, the report request) is posted with one field at a time set to a boundary or
garbage value, the others as the page filled them; every query parameter of the lists,
dashboards and the commune picker gets the same values. Nothing may answer 500 (a crash also
fails the test as an exception). Run on SQLite and on PostgreSQL, where a value too long for a
column or a number too large for an integer is an error instead of being stored.

The forms are read from the pages themselves (``<form method="post">``: inputs, selects,
textareas), so a field added later is covered without changing this test.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

#: One field at a time: empty, words for numbers, negative, a 23-digit number (past a 64-bit
#: integer), float specials, a digit Python's int() refuses, a NUL (PostgreSQL refuses it in
#: text), an impossible date, 60 letters in one word (a given name longer than its key
#: column) and 1,000 characters with line breaks.
VALUES = [
    "",
    "abc",
    "12345678901234567890123",
    "a\x00b",
    "-1",
    "²",
    "1e400",
    "32/13/2019",
    "Nguyễn " + "a" * 60,
    ("x" * 499 + "\r\n") * 2,
]
#: For a select, a checkbox or a hidden field (an id or a choice), the first four suffice.
CHOICE_VALUES = VALUES[:4]


class Forms(HTMLParser):
    """The POST forms of a page: ``[(action, {name: value})]``, each field at the value the
    page shows (a checked box, the selected or first option of a select); ``choices`` holds the
    names of the selects, boxes and hidden fields."""

    def __init__(self):
        super().__init__()
        self.forms, self._fields, self._select, self._textarea = [], None, None, None
        self.choices = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action") or "", self._fields))
        if self._fields is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio", "hidden"):
                self.choices.add(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._fields[name] = a.get("value", "on")
                elif kind == "radio":
                    self._fields.setdefault(name, a.get("value", "on"))
                return
            self._fields[name] = a.get("value", "")
        elif tag == "select":
            self.choices.add(name)
            self._select = name
            self._fields.setdefault(name, "")
            self._first = True
        elif tag == "textarea":
            self._textarea = name
            self._fields[name] = ""

    def _option(self, a):
        value = a.get("value", "")
        if "selected" in a or self._first:
            self._fields[self._select] = value
        self._first = False

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._fields = None

    def handle_data(self, data):
        if self._textarea is not None and self._fields is not None:
            self._fields[self._textarea] += data


def post_forms(client, url, only_fields=None):
    """Post each form of ``url`` once per (text field, value), and once per value in
    :data:`CHOICE_VALUES` with every choice field set to it (a wrong choice is refused by the
    field itself, whatever the others hold); returns the number of posts."""
    page = client.get(url)
    assert page.status_code == 200, url
    parser = Forms()
    parser.feed(page.content.decode())
    assert parser.forms, url
    posts = 0
    for action, fields in parser.forms:
        target = action or url
        names = [n for n in fields if n != "csrfmiddlewaretoken"]
        if only_fields is not None:
            names = [n for n in names if only_fields(n)]
        choices = [n for n in names if n in parser.choices]
        for name in names:
            if name in choices:
                continue
            for value in VALUES:
                response = client.post(target, {**fields, name: value})
                assert response.status_code < 500, (target, name, value)
                posts += 1
        for value in CHOICE_VALUES if choices else ():
            response = client.post(target, {**fields, **dict.fromkeys(choices, value)})
            assert response.status_code < 500, (target, choices, value)
            posts += 1
    return posts


def get_params(client, url, params, fixed=None, values=VALUES):
    for name in params:
        for value in values:
            response = client.get(url, {**(fixed or {}), name: value})
            assert response.status_code < 500, (url, name, value)


@pytest.fixture
def world(officer_a, province_a, make):
    club = make.club(code="HG-1", founded_on=datetime.date(2018, 3, 1))
    member = make.member(club, full_name="Lò Thị Mai", birth_year=1950, status="poor")
    loan = make.loan(member, datetime.date(2018, 6, 1))
    session = make.training([club], datetime.date(2018, 5, 1), province=province_a)
    visit = make.visit(club, datetime.date(2019, 3, 1))
    fund = make.fund(club)
    return {
        "club": club,
        "member": member,
        "loan": loan,
        "session": session,
        "visit": visit,
        "fund": fund,
    }


@pytest.fixture
def officer(client, officer_a):
    assert client.login(username=officer_a.username, password=PASSWORD)
    return client


def test_member_forms(officer, world):
    club, member = world["club"], world["member"]
    for url in (
        reverse("members:create", args=[club.pk]),
        reverse("members:edit", args=[member.pk]),
        reverse("members:leave", args=[member.pk]),
        reverse("members:assess", args=[member.pk]),
        reverse("members:transfer", args=[member.pk]),
    ):
        post_forms(officer, url)


def test_quick_entry(officer, world):
    """The header, the first row and the formset's management fields (``m-TOTAL_FORMS=abc``),
    with and without "Thêm 10 dòng" (``more``)."""
    url = reverse("members:quick", args=[world["club"].pk])

    def first_row(name):
        return (
            not name.startswith("m-")
            or name.startswith("m-0-")
            or name.isupper()
            or (name.endswith("_FORMS"))
        )

    post_forms(officer, url, only_fields=first_row)
    for value in VALUES:
        response = officer.post(url, {"m-TOTAL_FORMS": value, "more": "1"})
        assert response.status_code < 500, value


def test_club_forms(officer, world):
    club = world["club"]
    for url in (
        reverse("clubs:create"),
        reverse("clubs:edit", args=[club.pk]),
        reverse("clubs:dissolve", args=[club.pk]),
    ):
        post_forms(officer, url)


def test_loan_forms(officer, world):
    loan = world["loan"]
    for url in (
        reverse("loans:create", args=[world["club"].pk]),
        reverse("loans:edit", args=[loan.pk]),
        reverse("loans:grid", args=[world["club"].pk]),
        reverse("loans:fund_open", args=[world["club"].pk, "activity"]),
        reverse("loans:movement", args=[world["fund"].pk]),
    ):
        post_forms(officer, url)
    get_params(officer, reverse("loans:create", args=[world["club"].pk]), ["member"])
    get_params(officer, reverse("loans:funds", args=[world["club"].pk]), ["on"])


def test_training_forms(officer, world):
    for url in (
        reverse("training:create"),
        reverse("training:edit", args=[world["session"].pk]),
        reverse("training:visit_create", args=[world["club"].pk]),
        reverse("training:visit_edit", args=[world["visit"].pk]),
    ):
        post_forms(officer, url)


def test_report_request_form(officer, world):
    post_forms(officer, reverse("reports:request"))


def test_query_parameters(client, world, officer_a, board, admin_user):
    """The lists for an officer (one province) and the board (every province), the commune
    picker for every role, the dashboards for the board."""
    list_params = ["q", "province", "commune", "status", "compliant", "page", "sort"]
    for user in (officer_a, board, admin_user):
        client.force_login(user)
        get_params(client, reverse("clubs:communes"), ["province", "era"])
        if user == admin_user:
            continue
        get_params(client, reverse("clubs:list"), list_params, values=CHOICE_VALUES)
        get_params(client, reverse("clubs:list"), ["q"])
        get_params(client, reverse("clubs:awaiting"), ["page"])
        get_params(client, reverse("clubs:communes"), ["province"], {"era": "pre2025"})
        get_params(client, reverse("training:list"), ["page", "q"])
        get_params(client, reverse("home"), ["page", "q"])
        get_params(client, reverse("reports:request"), ["phase", "province", "date"])
    client.force_login(board)
    choices = ["phase", "era", "filter", "sort", "dir", "page"]
    for url in (reverse("reporting:national"), reverse("reporting:province", args=["08"])):
        get_params(client, url, ["date"])
        get_params(client, url, choices, values=CHOICE_VALUES)
    for code in VALUES[1:]:
        response = client.get(reverse("reporting:province", args=[code.replace("/", "")]))
        assert response.status_code < 500, code


# --- each input that answered 500, by hand ----------------------------------------------------


def test_a_last_name_word_longer_than_its_key_column(officer, world):
    """60 letters in the given name: PostgreSQL refused the 60-character ``given_name_key``
    (varchar 50); SQLite stored it. The key is cut to 50 letters; the name is kept whole."""
    name = "Nguyễn Thị " + "A" * 60
    response = officer.post(
        reverse("members:create", args=[world["club"].pk]),
        {"full_name": name, "sex": "female", "birth": "1950", "joined_on": "01/03/2018",
         "status": "poor"},
    )  # fmt: skip
    assert response.status_code == 302
    from members.models import Member

    member = Member.objects.get(full_name=name)
    assert member.given_name_key == "a" * 50
    assert member.search_key == "nguyen thi " + "a" * 60


def test_quick_entry_more_rows_with_a_garbage_row_count(officer, world):
    url = reverse("members:quick", args=[world["club"].pk])
    response = officer.post(url, {"m-TOTAL_FORMS": "abc", "more": "1"})
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 10  # no row typed: 10 blank rows


def test_a_23_digit_province(client, board, officer_a, world):
    huge = "12345678901234567890123"
    client.force_login(board)
    listing = client.get(reverse("clubs:list"), {"province": huge})
    assert listing.status_code == 200
    assert "province" in listing.context["form"].errors
    assert client.get(reverse("clubs:communes"), {"province": huge}).status_code == 404
    client.force_login(officer_a)
    form = client.get(reverse("training:create")).context["form"]
    province = form["province"].value()
    response = client.post(
        reverse("training:create"),
        {"code": "X1", "title": "Lớp", "held_on": "01/05/2019", "province": province,
         "clubs": [huge]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "clubs" in response.context["form"].errors


def test_odd_digits_and_nul_in_ids(client, board, officer_a, world):
    client.force_login(officer_a)
    page = client.get(reverse("loans:create", args=[world["club"].pk]), {"member": "²"})
    assert page.status_code == 200
    assert page.context["form"].initial.get("member") is None
    client.force_login(board)
    assert client.get(reverse("reporting:province", args=["a\x00b"])).status_code == 404


def test_money_refuses_digits_int_cannot_read():
    from common.money import MoneyError, parse_vnd

    for text in ("²", "1²", "١٥٠٠٠٠٠", "1.500.00²"):
        with pytest.raises(MoneyError):
            parse_vnd(text)
    assert parse_vnd("1.500.000 đ") == 1_500_000
