"""Club pages of the workspace: search, filters, create (both eras), confirm the commune,
dissolve, home page attention lists, history, and Vietnamese-only pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clubs.models import Club, Commune, Era
from common.fields import VNDField
from loans.models import Repayment
from members.models import HouseholdAssessment
from tests import factories


@pytest.fixture
def officer(client, officer_a):
    client.force_login(officer_a)
    return officer_a


def codes(response):
    return [club.code for club, _result in response.context["rows"]]


def test_search_ignores_diacritics_and_finds_both_spellings(client, officer, province_a):
    factories.club(code="A1", name="CLB Hòa Bình")
    factories.club(code="A2", name="CLB Hoà Lạc")
    factories.club(code="A3", name="CLB Đường Mới")
    factories.club(code="A4", name="CLB Tân Tiến")
    url = reverse("clubs:list")
    assert codes(client.get(url, {"q": "hoa"})) == ["A1", "A2"]
    assert codes(client.get(url, {"q": "HOÀ"})) == ["A1", "A2"]
    assert codes(client.get(url, {"q": "duong"})) == ["A3"]
    assert codes(client.get(url, {"q": "a4"})) == ["A4"]


def test_filters_status_compliance_and_sorting(client, officer, province_a):
    old = factories.club(code="S1", name="Bình", founded_on=datetime.date(2018, 1, 1))
    elsewhere = Commune.objects.filter(era=Era.POST2025, province=province_a).exclude(
        pk=old.commune_id
    )[0]
    factories.club(code="S2", name="An", founded_on=datetime.date(2025, 9, 1), commune=elsewhere)
    factories.club(
        code="S3",
        name="Cẩm",
        founded_on=datetime.date(2019, 1, 1),
        dissolved_on=datetime.date(2024, 1, 1),
    )
    url = reverse("clubs:list")
    assert codes(client.get(url, {"status": "active"})) == ["S1", "S2"]
    assert codes(client.get(url, {"status": "dissolved"})) == ["S3"]
    assert codes(client.get(url, {"sort": "name"})) == ["S2", "S1", "S3"]
    assert codes(client.get(url, {"sort": "founded_on"})) == ["S1", "S3", "S2"]
    # No club has members: none is compliant, both active clubs are not.
    assert codes(client.get(url, {"compliant": "yes"})) == []
    assert codes(client.get(url, {"compliant": "no"})) == ["S1", "S2"]
    by_commune = {"province": province_a.pk, "commune": old.commune_id}
    assert codes(client.get(url, by_commune)) == ["S1", "S3"]  # same commune, S3 dissolved
    assert codes(client.get(url, {**by_commune, "commune": elsewhere.pk})) == ["S2"]


def test_pagination_keeps_the_filters(client, officer, province_a):
    for i in range(27):
        factories.club(code=f"P{i:02d}", name=f"CLB Phân trang {i}")
    response = client.get(reverse("clubs:list"), {"q": "phan trang", "page": 2})
    assert codes(response) == ["P25", "P26"]
    assert "q=phan+trang&amp;page=1" in response.content.decode()


def test_create_old_era_club_derives_the_new_commune(client, officer, province_a):
    whole = factories.whole_old_commune("02")
    expected_new = whole.successions.get().new
    response = client.post(
        reverse("clubs:create"),
        {
            "code": "HG-1",
            "name": "  CLB  Hoà   An ",
            "founded_on": "05/03/2019",
            "province": province_a.pk,
            "founding_commune": whole.pk,
        },
    )
    club = Club.objects.get(code="HG-1")
    assert response["Location"] == reverse("clubs:detail", args=[club.pk])
    assert (club.name, club.founded_on) == ("CLB Hoà An", datetime.date(2019, 3, 5))
    assert (club.founding_commune, club.commune, club.province) == (
        whole,
        expected_new,
        province_a,
    )


def test_create_refuses_wrong_era_and_keeps_what_was_typed(client, officer, province_a):
    response = client.post(
        reverse("clubs:create"),
        {"code": "X-1", "name": "CLB Thử", "founded_on": "05/03/2019", "province": province_a.pk},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["founding_commune"] == [
        "CLB thành lập trước 01/07/2025 cần xã/phường khi thành lập."
    ]
    html = response.content.decode()
    assert 'value="CLB Thử"' in html and 'value="05/03/2019"' in html
    bad_date = client.post(reverse("clubs:create"), {"founded_on": "31/02/2019"})
    assert bad_date.context["form"].errors["founded_on"] == [
        "Ngày 31/02/2019 không có thật: tháng 2/2019 có 28 ngày."
    ]
    assert not Club.objects.exists()


def test_split_commune_waits_then_is_confirmed(client, officer, province_a):
    split = factories.split_old_commune("02") or factories.split_old_commune("08")
    club = Club.objects.create(
        code="SPLIT", name="CLB Chia", founded_on=datetime.date(2017, 1, 1), founding_commune=split
    )
    listing = client.get(reverse("clubs:awaiting"))
    assert [c.code for c, _form in listing.context["rows"]] == ["SPLIT"]
    successors = list(split.successions.values_list("new_id", flat=True))
    other = Commune.objects.filter(era=Era.POST2025).exclude(pk__in=successors).first()
    url = reverse("clubs:confirm_commune", args=[club.pk])
    refused = client.post(url, {f"c{club.pk}-commune": other.pk})
    assert refused.status_code == 200 and refused.context["form"].errors
    client.post(url, {f"c{club.pk}-commune": successors[1]})
    club.refresh_from_db()
    assert club.commune_id == successors[1]
    assert client.get(reverse("clubs:awaiting")).context["rows"] == []
    assert client.get(url).status_code == 404  # no longer waiting


def test_communes_json_lists_one_province(client, officer, province_a):
    response = client.get(reverse("clubs:communes"), {"province": province_a.pk, "era": "post2025"})
    rows = response.json()["communes"]
    assert len(rows) == Commune.objects.filter(era="post2025", province=province_a).count()
    old = client.get(reverse("clubs:communes"), {"province": province_a.pk, "era": "pre2025"})
    expected_old = Commune.objects.filter(era="pre2025", province__successor=province_a).count()
    assert len(old.json()["communes"]) == expected_old
    assert old.json()["communes"][0][1].count(" – ") == 1  # "commune – district"


def test_dissolve_and_history(client, officer, province_a):
    club = factories.club(code="D1", founded_on=datetime.date(2018, 1, 1))
    response = client.post(
        reverse("clubs:dissolve", args=[club.pk]), {"dissolved_on": "01/01/2017"}
    )
    assert response.context["form"].errors["dissolved_on"] == [
        "Ngày giải thể không được trước ngày thành lập."
    ]
    client.post(reverse("clubs:dissolve", args=[club.pk]), {"dissolved_on": "02/01/2024"})
    club.refresh_from_db()
    assert club.dissolved_on == datetime.date(2024, 1, 2)
    page = client.get(reverse("clubs:detail", args=[club.pk]))
    latest = page.context["history"][0]
    assert latest.user == "officer_a" and latest.kind == "Sửa"
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("Ngày giải thể", "—", "02/01/2024")
    ]


def test_home_lists_what_needs_attention(client, officer, province_a):
    today = timezone.localdate()
    watched = factories.club(code="H1", founded_on=datetime.date(2018, 1, 1))
    factories.club(code="H2", founded_on=datetime.date(2018, 1, 1))
    factories.visit(watched, today - datetime.timedelta(days=30))
    member = factories.member(watched)
    late = factories.loan(member, datetime.date(2024, 1, 1), due_on=today - datetime.timedelta(1))
    factories.loan(member, datetime.date(2024, 1, 1), due_on=today + datetime.timedelta(1))
    factories.loan(
        member,
        datetime.date(2024, 1, 1),
        due_on=datetime.date(2024, 6, 1),
        outcome="improved",
        assessed_on=datetime.date(2024, 7, 1),
    )
    response = client.get(reverse("home"))
    context = response.context
    assert [c.code for c in context["unmonitored"]] == ["H2"]
    assert [loan.pk for loan in context["overdue"]] == [late.pk]
    assert sorted(c.code for c in context["failing"]) == ["H1", "H2"]
    assert (context["active_clubs"], context["active_members"]) == (2, 1)


def test_home_lists_are_fresh_after_each_write(client, officer, province_a):
    """The home page's lists are cached for every officer of the province; each write to its
    clubs shows at the next view: a loan repaid, a visit, a renamed member, a new late loan."""
    today = timezone.localdate()
    club = factories.club(code="F1", founded_on=datetime.date(2018, 1, 1))
    member = factories.member(club, full_name="Trần Văn Cũ")
    late = factories.loan(member, datetime.date(2024, 1, 1), due_on=today - datetime.timedelta(9))

    def lists():
        context = client.get(reverse("home")).context
        return (
            [c.code for c in context["unmonitored"]],
            context["unmonitored_count"],
            [(loan.pk, loan.member.full_name) for loan in context["overdue"]],
            context["overdue_count"],
        )

    assert lists() == (["F1"], 1, [(late.pk, "Trần Văn Cũ")], 1)
    assert lists() == (["F1"], 1, [(late.pk, "Trần Văn Cũ")], 1)  # from the cache
    factories.visit(club, today - datetime.timedelta(days=3))
    assert lists() == ([], 0, [(late.pk, "Trần Văn Cũ")], 1)
    member.full_name = "Trần Văn Mới"
    member.save()
    assert lists() == ([], 0, [(late.pk, "Trần Văn Mới")], 1)
    later = factories.loan(member, datetime.date(2024, 2, 1), due_on=today - datetime.timedelta(2))
    assert lists()[2:] == ([(late.pk, "Trần Văn Mới"), (later.pk, "Trần Văn Mới")], 2)
    # an instalment short of the amount leaves the loan overdue; the one that repays it in full
    # takes it off the list
    Repayment.objects.create(loan=late, paid_on=today, amount_vnd=late.amount_vnd - 1)
    assert lists()[2:] == ([(late.pk, "Trần Văn Mới"), (later.pk, "Trần Văn Mới")], 2)
    Repayment.objects.create(loan=late, paid_on=today - datetime.timedelta(1), amount_vnd=1)
    assert lists()[2:] == ([(later.pk, "Trần Văn Mới")], 1)
    late.refresh_from_db()
    assert late.repaid_on == today


def test_home_overdue_loan_of_a_member_who_moved_province(client, officer, province_a, make):
    """A loan stays on the lending club's list after its member moved to another province's
    club; a write to the loan then still refreshes the lending province's list."""
    today = timezone.localdate()
    lender = factories.club(code="L1", founded_on=datetime.date(2018, 1, 1))
    elsewhere = factories.club(code="L2", founded_on=datetime.date(2018, 1, 1), province_code="83")
    member = factories.member(lender)
    loan = factories.loan(member, datetime.date(2024, 1, 1), due_on=today - datetime.timedelta(5))
    member.club = elsewhere
    member.save()
    assert [x.pk for x in client.get(reverse("home")).context["overdue"]] == [loan.pk]
    loan.income_outcome = "improved"
    loan.outcome_assessed_on = today
    loan.save()
    context = client.get(reverse("home")).context
    assert (context["overdue"], context["overdue_count"]) == ([], 0)


def test_home_queries_do_not_grow_with_clubs(client, officer, province_a):
    """Two views of the home page, cold then cached: a fixed number of queries whatever the
    number of clubs and late loans (measured with 3, then with 30)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()

    def add(n):
        for _ in range(n):
            club = factories.club(founded_on=datetime.date(2018, 1, 1))
            member = factories.member(club)
            factories.loan(member, datetime.date(2024, 1, 1), due_on=today - datetime.timedelta(3))

    def counts():
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            first = client.get(reverse("home"))
        with CaptureQueriesContext(connection) as warm:
            client.get(reverse("home"))
        reads = [q for q in cold.captured_queries if not q["sql"].startswith("INSERT")]
        return first.context["overdue_count"], len(reads), len(warm)

    add(3)
    n_small, cold_small, warm_small = counts()
    add(27)
    n_large, cold_large, warm_large = counts()
    assert (n_small, n_large) == (3, 30)
    assert cold_large == cold_small and warm_large == warm_small
    assert warm_small <= 14


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.500.000", 1500000),
        ("1500000", 1500000),
        ("1.500.000 đ", 1500000),
        ("2 000 000đ", 2000000),
    ],
)
def test_money_input(typed, value):
    assert VNDField().clean(typed) == value


@pytest.mark.parametrize("typed", ["1.5 triệu", "1.50.000", "-5", "abc"])
def test_money_input_refused_in_vietnamese(typed):
    field = VNDField()
    with pytest.raises(Exception) as raised:
        field.clean(typed)
    assert raised.value.messages[0] in (
        "Nhập số tiền bằng đồng, ví dụ 1.500.000.",
        "Số tiền phải lớn hơn 0.",
    )


ENGLISH = re.compile(
    r"\b(Save|Cancel|Delete|Search|required|Select|Enter|Log ?out|Log ?in|Members?|Clubs?|"
    r"Loans?|Training|History|Home|Next|Previous|Page|None)\b"
)


def test_pages_in_vietnamese_have_no_english(client, officer, province_a):
    club = factories.club(code="V1", name="CLB Việt")
    member = factories.member(club, full_name="Lê Thị Hạnh")
    loan = factories.loan(member, datetime.date(2024, 1, 1), kind="in_kind")
    session = factories.training([club], datetime.date(2024, 2, 1), province=province_a)
    visit = factories.visit(club, datetime.date(2024, 3, 1))
    urls = [
        reverse("home"),
        reverse("clubs:list"),
        reverse("clubs:create"),
        reverse("clubs:awaiting"),
        reverse("clubs:detail", args=[club.pk]),
        reverse("clubs:edit", args=[club.pk]),
        reverse("clubs:dissolve", args=[club.pk]),
        reverse("members:search") + "?q=hanh",
        reverse("members:create", args=[club.pk]),
        reverse("members:quick", args=[club.pk]),
        reverse("members:detail", args=[member.pk]),
        reverse("members:edit", args=[member.pk]),
        reverse("members:leave", args=[member.pk]),
        reverse("members:assess", args=[member.pk]),
        reverse("loans:create", args=[club.pk]),
        reverse("loans:detail", args=[loan.pk]),
        reverse("loans:edit", args=[loan.pk]),
        reverse("loans:grid", args=[club.pk]),
        reverse("loans:funds", args=[club.pk]),
        reverse("loans:fund_open", args=[club.pk, "activity"]),
        reverse("training:list"),
        reverse("training:detail", args=[session.pk]),
        reverse("training:edit", args=[session.pk]),
        reverse("training:visit_edit", args=[visit.pk]),
    ]
    for url in urls:
        for response in (client.get(url), client.post(url, {}) if "edit" in url else None):
            if response is None or response.status_code == 302:
                continue
            # Keys are named as printed on them (<kbd>Enter</kbd>).
            text = re.sub(r"<kbd>[^<]*</kbd>", " ", response.content.decode())
            text = re.sub(r"<[^>]+>", " ", text)
            text = text.replace("English", "")  # the language switch names its language
            assert not ENGLISH.findall(text), (url, ENGLISH.findall(text))


def test_dissolving_refuses_a_future_date_and_a_second_dissolution(client, officer_a, province_a):
    import datetime

    from django.utils import timezone

    from tests import factories

    client.force_login(officer_a)
    club = factories.club(founded_on=datetime.date(2018, 1, 1))
    url = reverse("clubs:dissolve", args=[club.pk])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    future = client.post(url, {"dissolved_on": tomorrow})
    assert future.context["form"].errors["dissolved_on"] == [
        "Ngày giải thể không được sau hôm nay."
    ]
    client.post(url, {"dissolved_on": "30/06/2024"})
    club.refresh_from_db()
    assert club.dissolved_on == datetime.date(2024, 6, 30)
    again = client.post(url, {"dissolved_on": "01/01/2025"})
    assert again.context["form"].errors["dissolved_on"] == [
        "CLB đã giải thể ngày 30/06/2024; sửa ngày này trong trang Sửa CLB."
    ]
    club.refresh_from_db()
    assert club.dissolved_on == datetime.date(2024, 6, 30)
    page = client.get(reverse("clubs:detail", args=[club.pk])).content.decode()
    assert reverse("members:quick", args=[club.pk]) not in page
    assert reverse("loans:create", args=[club.pk]) not in page


def test_club_page_shows_its_provinces_own_target_progress(client, officer_a, province_a):
    import datetime

    from django.utils import timezone

    from reporting.models import Phase, ProvinceTarget
    from tests import factories

    today = timezone.localdate()
    phase = Phase.objects.containing(today)
    ProvinceTarget.objects.create(phase=phase, province=province_a, clubs=4, members=200)
    founded = max(phase.starts_on, datetime.date(2025, 8, 1))
    club = factories.club(founded_on=founded, province_code="08")
    for _ in range(3):
        factories.member(club)
    factories.club(founded_on=datetime.date(2018, 1, 1))  # an earlier phase's club: not counted
    client.force_login(officer_a)
    html = client.get(reverse("clubs:detail", args=[club.pk])).content.decode()
    section = html[html.index('id="province-targets"') :]
    section = section[: section.index("</section>")]
    # 1 club of 4 (25%) and 3 members of 200 (1.5%, shown rounded half-up: 2%).
    assert "1 / 4 (25%)" in section
    assert "3 / 200 (2%)" in section


def test_home_takes_the_monitoring_window_from_the_phase(client, officer, province_a):
    from common.dates import months_before
    from reporting.models import Criterion, Phase

    today = timezone.localdate()
    seven = factories.club(code="M7", founded_on=datetime.date(2018, 1, 1))
    factories.visit(seven, months_before(today, 7))
    five = factories.club(code="M5", founded_on=datetime.date(2018, 1, 1))
    factories.visit(five, months_before(today, 5))
    # The seeded window is 12 months: both were visited within it.
    response = client.get(reverse("home"))
    assert response.context["unmonitored_count"] == 0
    assert "CLB chưa được giám sát trong 12 tháng" in response.content.decode()

    trained = Criterion.objects.get(phase=Phase.objects.containing(today), code="trained")
    trained.monitoring_months = 6
    trained.save()
    # 6 months: the window starts after today minus 6 months; M7's visit, 7 months ago, is
    # outside it, M5's is inside.
    response = client.get(reverse("home"))
    assert [c.code for c in response.context["unmonitored"]] == ["M7"]
    assert response.context["unmonitored_count"] == 1
    html = response.content.decode()
    assert 'CLB chưa được giám sát trong 6 tháng <small>(<a href="/clubs/?monitored=no"' in html
    assert "12 tháng" not in html


def test_home_without_a_trained_criterion_lists_no_unmonitored_clubs(client, officer, province_a):
    from reporting.models import Criterion, Phase

    factories.club(code="N1", founded_on=datetime.date(2018, 1, 1))  # never visited
    Criterion.objects.filter(
        phase=Phase.objects.containing(timezone.localdate()), metric="trained_monitored"
    ).delete()
    response = client.get(reverse("home"))
    assert response.context["monitoring_months"] is None
    assert response.context["unmonitored"] == []
    html = response.content.decode()
    assert 'data-testid="unmonitored"' not in html and "chưa được giám sát" not in html


def test_the_club_page_lists_members_and_loans_a_page_at_a_time(client, officer, province_a):
    club = factories.club(code="P1", founded_on=datetime.date(2018, 1, 1))
    given = (
        "An Bình Cúc Dung Giang Hà Hoa Khánh Lan Mai Nga Oanh Phúc Quế Sen Tâm Thu Uyên Vân Xuân"
    )
    people = [
        factories.member(club, full_name=f"Nguyễn Thị {name}", status="none")
        for name in [*given.split(), "Yến", "Ý", "Ánh"]
    ]
    # Dung: poor at joining, re-certified not poor on 01/06/2020: "Không" today. Hoa: poor.
    dung, hoa = people[3], people[6]
    HouseholdAssessment.objects.filter(member=dung).update(status="poor")
    HouseholdAssessment.objects.create(
        member=dung, assessed_on=datetime.date(2020, 6, 1), status="none"
    )
    HouseholdAssessment.objects.filter(member=hoa).update(status="poor")
    gone = factories.member(club, full_name="Trần Văn Rời", left_on=datetime.date(2019, 1, 1))
    gone.leave_reason = "moved"
    gone.save()
    for i in range(12):
        factories.loan(people[i], datetime.date(2019, 1, 1) + datetime.timedelta(days=i))

    url = reverse("clubs:detail", args=[club.pk])
    response = client.get(url)
    page = response.content.decode()
    members = response.context["member_page"]
    assert members.paginator.count == 23  # the one who left is not listed
    # Sorted by given name: An, Ánh, Bình, Cúc, Dung, ... (the first 20 of 23).
    names = [m.full_name.split()[-1] for m in members.object_list]
    assert names[:5] == ["An", "Ánh", "Bình", "Cúc", "Dung"] and len(names) == 20
    statuses = {m.full_name: m.status_label for m in members.object_list}
    assert statuses["Nguyễn Thị Dung"] == "Không"
    assert statuses["Nguyễn Thị Hoa"] == "Hộ nghèo"
    assert "Thành viên 1–20 trong 23" in page
    assert 'href="?tv=2&amp;vay=1#members"' in page
    second = client.get(url, {"tv": "2"}).context["member_page"]
    assert [m.full_name.split()[-1] for m in second.object_list] == ["Xuân", "Ý", "Yến"]
    # Loans: ten at a time, the latest first (disbursed 12/01/2019 down to 03/01/2019).
    loans = response.context["loan_page"]
    assert loans.paginator.count == 12
    days = [loan.disbursed_on.day for loan in loans.object_list]
    assert days == [12, 11, 10, 9, 8, 7, 6, 5, 4, 3]
    assert "Khoản vay (12)" in page and "Khoản vay 1–10 trong 12, mới nhất trước" in page
    assert [x.disbursed_on.day for x in client.get(url, {"vay": "2"}).context["loan_page"]] == [
        2,
        1,
    ]
    # Every section is a link away.
    nav = page.split('<nav class="sections"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="#([a-z-]+)"', nav) == [
        "compliance",
        "province-targets",
        "meetings",
        "funds",
        "members",
        "loans",
        "training",
        "visits",
        "history",
    ]
    assert "Thành viên (23)</a>" in nav


def test_board_home_shows_provinces_behind_and_no_villagers_loans(client, board, province_a):
    """The board's home page: provinces with failing or unmonitored clubs, each count linking
    to the clubs behind it; no overdue loans of villagers."""
    today = timezone.localdate()
    watched = factories.club(code="BH1", founded_on=datetime.date(2018, 1, 1))
    factories.club(code="BH2", founded_on=datetime.date(2018, 1, 1))
    factories.visit(watched, today - datetime.timedelta(days=30))
    member = factories.member(watched, full_name="Lò Văn Vay")
    factories.loan(member, datetime.date(2024, 1, 1), due_on=today - datetime.timedelta(1))
    client.force_login(board)
    response = client.get(reverse("home"))
    html = response.content.decode()
    behind = response.context["provinces_behind"]
    # Tuyên Quang: 2 active clubs, both failing (no members enough), BH2 not monitored.
    assert [
        (r["province"].code, r["active"], r["failing"], r["unmonitored"]) for r in behind["rows"]
    ] == [("08", 2, 2, 1)]
    assert behind["count"] == 1
    assert "Lò Văn Vay" not in html and "Khoản vay quá hạn" not in html
    assert f'href="/clubs/?province={province_a.pk}&amp;compliant=no"' in html
    assert f'href="/clubs/?province={province_a.pk}&amp;monitored=no"' in html
    assert 'href="/clubs/?monitored=no"' in html and 'href="/clubs/?compliant=no"' in html
    # The full list behind the "not monitored" count.
    listing = client.get(reverse("clubs:list"), {"monitored": "no"})
    assert [club.code for club, _result in listing.context["rows"]] == ["BH2"]


def test_commune_json_carries_the_key_without_the_prefix(client, officer_a, province_a):
    client.force_login(officer_a)
    rows = client.get(
        reverse("clubs:communes"), {"province": province_a.pk, "era": "post2025"}
    ).json()["communes"]
    by_name = {name: key for _pk, name, key in rows}
    assert by_name["Xã Tân Trào"] == "tan trao"
    assert all(not key.startswith(("xa ", "phuong ")) for key in by_name.values())


def test_picker_key_drops_the_unit_prefix():
    from common.text import picker_key

    assert picker_key("Xã Tân Trào") == "tan trao"
    assert picker_key("Phường Hà Giang 1") == "ha giang 1"
    assert picker_key("Thị trấn Vĩnh Lộc") == "vinh loc"
    assert picker_key("Đặc khu Côn Đảo") == "con dao"
    assert picker_key("Xã Xuân Giang") == "xuan giang"
    assert picker_key("HG-001 – CLB Hoà Bình") == "hg-001 – clb hoa binh"
