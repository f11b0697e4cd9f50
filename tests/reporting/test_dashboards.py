"""The national and province dashboards on a small dataset computed by hand.

At 30/06/2020 (phase 2018-2020, the 63-province era; the 2016 standard: older 55+ ≥ 70%,
women 60–70%, poor 60–70%, borrowed with improved income ≥ 50%, trained and monitored in 12
months):

- A1, old Hà Giang (02), founded 01/03/2018: 10 active members (7 women, 8 born 1950 so 70,
  6 poor, 5 borrowed with improved income), trained 01/05/2019, visited 15/01/2020: passes all.
  An eleventh member left on 31/03/2020.
- A2, Hà Giang, founded 01/01/2019: 10 members all born 1950, 5 women, no poor, no loans, no
  training: fails women (3 more women or 2 fewer men), poor, borrowed and trained.
- B1, old Bến Tre (83), founded 01/06/2018: like A1 but last visited 01/01/2019, more than 12
  months before: fails only "trained and monitored".
- X, Hà Giang, founded 10/01/2018 with 2 members, dissolved 31/12/2019: not active.
"""

import datetime
import re
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.urls import reverse

from reporting.dashboard import DashboardForm

pytestmark = pytest.mark.django_db

AS_OF = "30/06/2020"
QUERY = {"as_of": AS_OF, "phase": "2018-2020"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _members(make, club, *, women, older, poor, borrowed, total=10):
    """``total`` members: the first ``women`` are women, the first ``older`` born 1950 (the
    rest 1990), the first ``poor`` poor, the first ``borrowed`` with an improved loan."""
    out = []
    for i in range(total):
        m = make.member(
            club,
            sex="female" if i < women else "male",
            birth_year=1950 if i < older else 1990,
            status="poor" if i < poor else None,
        )
        if i < borrowed:
            make.loan(m, datetime.date(2019, 1, 1), "improved", datetime.date(2019, 12, 1))
        out.append(m)
    return out


@pytest.fixture
def dataset(make):
    a1 = make.club(datetime.date(2018, 3, 1), "02", code="A1")
    _members(make, a1, women=7, older=8, poor=6, borrowed=5)
    make.member(a1, sex="male", birth_year=1950, left_on=datetime.date(2020, 3, 31))
    a2 = make.club(datetime.date(2019, 1, 1), "02", code="A2")
    _members(make, a2, women=5, older=10, poor=0, borrowed=0)
    b1 = make.club(datetime.date(2018, 6, 1), "83", code="B1")
    _members(make, b1, women=7, older=8, poor=6, borrowed=5)
    x = make.club(
        datetime.date(2018, 1, 10), "02", code="X", dissolved_on=datetime.date(2019, 12, 31)
    )
    make.member(x)
    make.member(x)
    make.training([a1, b1], datetime.date(2019, 5, 1))
    make.visit(a1, datetime.date(2020, 1, 15))
    make.visit(b1, datetime.date(2019, 1, 1))
    return {"A1": a1, "A2": a2, "B1": b1, "X": x}


def _cell_text(html, row_attr, value):
    """The texts of the cells of the table row with ``row_attr="value"``."""
    row = re.search(rf'<tr {row_attr}="{re.escape(value)}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no row {row_attr}={value}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells]


# --------------------------------------------------------------------------- selection


def test_form_reads_day_first_dates_and_finds_the_phase():
    form = DashboardForm({"as_of": "05/03/2019"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["as_of"] == datetime.date(2019, 3, 5)
    assert form.cleaned_data["phase"].code == "2018-2020"


def test_form_rejects_a_date_before_the_phase_in_vietnamese():
    form = DashboardForm({"as_of": "01/01/2017", "phase": "2018-2020"})
    assert not form.is_valid()
    assert "Ngày báo cáo phải từ ngày bắt đầu giai đoạn (01/01/2018)." in form.errors["as_of"]


def test_bad_date_keeps_what_was_typed_and_shows_the_error(client, board):
    client.force_login(board)
    response = client.get(reverse("reporting:national"), {"as_of": "31/02/2020"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="31/02/2020"' in html
    assert "Nhập ngày theo dạng ngày/tháng/năm" in html


def test_default_is_today_and_its_phase(client, board, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2019, 8, 20))
    client.force_login(board)
    response = client.get(reverse("reporting:national"))
    assert response.context["as_of"] == datetime.date(2019, 8, 20)
    assert response.context["phase"].code == "2018-2020"


# --------------------------------------------------------------------------- national


def test_national_dashboard_numbers(client, board, dataset):
    client.force_login(board)
    response = client.get(reverse("reporting:national"), QUERY)
    assert response.status_code == 200
    ctx = response.context
    totals = ctx["totals"]
    assert (totals.active_clubs, totals.active_members, totals.older_members) == (3, 30, 26)
    assert totals.compliant_clubs == 1

    targets = {t.code: t for t in ctx["report"].targets}
    assert targets["clubs"].actual == 3  # A1, A2, B1 founded in the phase; X dissolved
    assert targets["clubs"].reached == Fraction(3, 2000)
    assert targets["members"].actual == 30
    assert targets["older_members"].actual == 26
    assert targets["provinces"].actual == 2
    assert not targets["clubs"].met

    quality = {r["code"]: (r["clubs"], r["share"]) for r in ctx["quality"]}
    assert quality["older"] == (3, Fraction(1))
    assert quality["women"] == (2, Fraction(2, 3))
    assert quality["poor"] == (2, Fraction(2, 3))
    assert quality["borrowed"] == (2, Fraction(2, 3))
    assert quality["trained"] == (1, Fraction(1, 3))
    assert quality["all"] == (1, Fraction(1, 3))
    assert ctx["trained"]["target"] == Fraction(4, 5)
    assert ctx["trained"]["met"] is False

    html = response.content.decode()
    # the province table lists all 63 provinces of the era; Hà Giang and Bến Tre by hand
    assert len(ctx["provinces"]) == 63
    # the status of Q2/2020 (the latest period ended by 30/06/2020): nothing submitted, past
    # its deadline
    assert _cell_text(html, "data-province", "02")[:7] == [
        "Hà Giang",
        "Chưa gửi · trễ hạn",
        "2",
        "20",
        "18",
        "50,0%",
        "100,0%",  # older: both clubs pass
    ]
    assert _cell_text(html, "data-province", "83")[:6] == [
        "Bến Tre",
        "Chưa gửi · trễ hạn",
        "1",
        "10",
        "8",
        "0,0%",
    ]
    # women pass rates: Hà Giang 1 of 2, Bến Tre 1 of 1
    assert _cell_text(html, "data-province", "02")[7] == "50,0%"
    assert _cell_text(html, "data-province", "83")[7] == "100,0%"
    # the row links to the province dashboard with the same selection
    assert 'href="/dashboard/province/02/?as_of=30/06/2020&amp;phase=2018-2020"' in html
    # target cards: actual, progress and percent reached
    assert 'data-target="clubs"' in html
    assert re.search(r'<progress max="100" value="0[.,]1"', html)  # 3 of 2000 = 0.15%


def test_national_map_colours_and_links_each_province(client, board, dataset):
    client.force_login(board)
    html = client.get(reverse("reporting:national"), QUERY).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg.count('<a href="/dashboard/province/') == 63
    # Hà Giang 50% → step 2 of viridis; Bến Tre 0% → step 0; Hà Nội has no club → grey
    hg = re.search(r'data-province="02">(.*?)</a>', svg, re.S).group(1)
    assert 'fill="#21918c"' in hg and "Hà Giang: 50%" in hg
    bt = re.search(r'data-province="83">(.*?)</a>', svg, re.S).group(1)
    assert 'fill="#440154"' in bt
    hn = re.search(r'data-province="01">(.*?)</a>', svg, re.S).group(1)
    assert 'fill="#e5e7eb"' in hn
    assert "style=" not in html and "<style" not in html


def test_quarterly_series_on_the_page(client, board, dataset):
    client.force_login(board)
    response = client.get(reverse("reporting:national"), QUERY)
    series = {p.label: (p.clubs, p.members) for p in response.context["series"]}
    assert series["Quý 4/2017"] == (0, 0)
    assert series["Quý 1/2018"] == (2, 13)  # A1 (11 members), X (2)
    assert series["Quý 2/2018"] == (3, 23)  # + B1
    assert series["Quý 1/2019"] == (4, 33)  # + A2
    assert series["Quý 4/2019"] == (3, 31)  # X dissolved on 31/12/2019
    assert series["Quý 1/2020"] == (3, 30)  # A1's eleventh member left on 31/03/2020
    assert list(series)[-1] == "Quý 2/2020"
    assert len(series) == 18  # Q1/2016 .. Q2/2020
    html = response.content.decode()
    island = re.search(r'<script id="series-data" type="application/json">(.*?)</script>', html)
    assert island and '"clubs": [' in island.group(1)
    # no executable inline script
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)


# --------------------------------------------------------------------------- province


def test_province_dashboard_clubs_gaps_and_filters(client, board, dataset):
    client.force_login(board)
    url = reverse("reporting:province", args=["02"])
    response = client.get(url, QUERY)
    assert response.status_code == 200
    assert response.context["totals"].active_clubs == 2
    html = response.content.decode()
    assert 'data-club="B1"' not in html and 'data-club="X"' not in html
    a2 = _cell_text(html, "data-club", "A2")
    assert a2[1] == "10"
    assert a2[3].startswith("✗ 50,0%")  # women 5 of 10
    assert "Cần thêm 3 nữ hoặc bớt 2 nam" in a2[3]
    assert a2[-1] == "✗ Chưa đạt"
    a1 = _cell_text(html, "data-club", "A1")
    assert a1[-2] == "15/01/2020" and a1[-1] == "✓ Đạt"
    # Drill down: each row links to its club's page.
    assert f'<a href="/clubs/{dataset["A1"].pk}/">A1</a>' in html

    failing_women = client.get(url, {**QUERY, "filter": "fail-women"}).context["clubs"]
    assert [r["club"].code for r in failing_women] == ["A2"]
    not_monitored = client.get(url, {**QUERY, "filter": "not-monitored"}).context["clubs"]
    assert [r["club"].code for r in not_monitored] == ["A2"]

    bentre = client.get(reverse("reporting:province", args=["83"]), {**QUERY})
    rows = bentre.context["clubs"]
    assert [r["club"].code for r in rows] == ["B1"]
    assert rows[0]["monitored"] is False  # visited 01/01/2019, more than 12 months before


def test_province_targets_are_shown(client, board, dataset, make):
    from reporting.models import Phase, ProvinceTarget

    ProvinceTarget.objects.create(
        phase=Phase.objects.get(code="2018-2020"),
        province=make.province("pre2025", "02"),
        clubs=4,
        members=50,
    )
    client.force_login(board)
    response = client.get(reverse("reporting:province", args=["02"]), QUERY)
    cards = {c["kind"]: c for c in response.context["target_cards"]}
    assert (cards["clubs"]["actual"], cards["clubs"]["target"]) == (2, 4)
    assert cards["clubs"]["reached"] == Fraction(1, 2)
    assert (cards["members"]["actual"], cards["members"]["target"]) == (20, 50)
    assert not cards["members"]["met"]
    assert "50,0%" in response.content.decode()


def test_province_of_the_other_era_is_not_found(client, board, dataset):
    client.force_login(board)
    # 02 is Hà Giang before 1 July 2025 and no province after it
    response = client.get(reverse("reporting:province", args=["02"]), {"as_of": "01/08/2025"})
    assert response.status_code == 404


# --------------------------------------------------------------------------- scoping


def test_officer_is_sent_to_their_province_and_sees_nothing_else(client, officer_a, dataset):
    client.force_login(officer_a)
    response = client.get(reverse("reporting:national"), QUERY)
    # Tuyên Quang took in old Hà Giang (02) and old Tuyên Quang (08): the first is 02
    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/province/02/?")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert [r["club"].code for r in page.context["clubs"]] == ["A1", "A2"]
    # (a bare "B1" may occur by chance inside the random CSRF token of the page)
    assert ">B1<" not in html and 'data-club="B1"' not in html and "Bến Tre" not in html
    assert [p.code for p in page.context["others"]] == ["08"]
    assert page.context["series"][-1].clubs == 2
    for url in (
        reverse("reporting:province", args=["83"]),
        reverse("reporting:province_export", args=["83", "clb", "csv"]),
        reverse("reporting:national_export", args=["tinh", "csv"]),
    ):
        assert client.get(url, QUERY).status_code == 404


def test_officer_b_sees_only_ben_tre(client, officer_b, dataset):
    client.force_login(officer_b)
    response = client.get(reverse("reporting:national"), QUERY, follow=True)
    assert response.context["province"].code == "83"
    assert [r["club"].code for r in response.context["clubs"]] == ["B1"]
    assert client.get(reverse("reporting:province", args=["02"]), QUERY).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reporting:national"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --------------------------------------------------------------------------- exports


def test_exports_csv_and_xlsx(client, board, dataset):
    import tablib

    client.force_login(board)
    response = client.get(reverse("reporting:national_export", args=["tinh", "csv"]), QUERY)
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 64  # header + 63 provinces
    assert "02,Hà Giang,2,20,18,50.0," in text
    response = client.get(reverse("reporting:province_export", args=["02", "clb", "xlsx"]), QUERY)
    book = tablib.Dataset().load(response.content, format="xlsx")
    assert book["Mã CLB"] == ["A1", "A2"]
    assert book["Thành viên"] == [10, 10]
    assert (
        client.get(reverse("reporting:national_export", args=["tinh", "pdf"]), QUERY).status_code
        == 404
    )
    assert (
        client.get(reverse("reporting:national_export", args=["nope", "csv"]), QUERY).status_code
        == 404
    )


def test_exports_neutralise_formulas(client, board, make):
    club = make.club(datetime.date(2018, 3, 1), "02", code="F1", name="=HYPERLINK(1)")
    make.member(club)
    client.force_login(board)
    response = client.get(reverse("reporting:province_export", args=["02", "clb", "csv"]), QUERY)
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


# --------------------------------------------------------------------------- cache


def test_cache_serves_repeats_and_recomputes_after_a_write(
    client, board, dataset, make, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(board)
    url = reverse("reporting:national")
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url, QUERY)
    assert first.context["totals"].active_members == 30
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url, QUERY)
    assert second.context["totals"].active_members == 30
    assert len(warm) < len(cold) - 5
    make.member(dataset["A1"], joined_on=datetime.date(2020, 6, 1))
    third = client.get(url, QUERY)
    assert third.context["totals"].active_members == 31
    assert third.context["series"][-1].members == 31


# --------------------------------------------------------------------------- query counts


def _bulk_clubs(make, n, start):
    """``n`` clubs in old Hà Giang and old Bến Tre with 3 members each (bulk, no signals)."""
    from clubs.models import Club
    from members.models import Member
    from reporting.cache import mark_changed

    communes = [make.whole_old_commune("02"), make.whole_old_commune("83")]
    clubs = []
    for i in range(n):
        commune = communes[i % 2]
        clubs.append(
            Club(
                code=f"B-{start + i:05d}",
                name=f"CLB {start + i}",
                search_key=f"clb {start + i}",
                founding_commune=commune,
                province_id=commune.province.successor_id,
                founded_on=datetime.date(2018, 3, 1),
            )
        )
    Club.objects.bulk_create(clubs)
    Member.objects.bulk_create(
        Member(
            club=c,
            full_name=f"Nguyễn Thị {c.code} {k}",
            sex="female",
            birth_year=1950,
            joined_on=c.founded_on,
        )
        for c in clubs
        for k in range(3)
    )
    mark_changed([c.pk for c in Club.objects.filter(code__startswith="B-")])


def test_national_dashboard_uses_the_same_queries_for_10_and_1000_clubs(
    client, board, make, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(board)
    url = reverse("reporting:national")

    def reads(ctx):  # the kept rows are written in batches sized by the database's limits
        return [q["sql"][:80] for q in ctx.captured_queries if not q["sql"].startswith("INSERT")]

    _bulk_clubs(make, 10, 0)
    # one part per province with clubs (here 2): the count grows with provinces, not clubs
    with django_assert_max_num_queries(80), CaptureQueriesContext(connection) as small:
        response = client.get(url, QUERY)
    assert response.context["totals"].active_clubs == 10
    _bulk_clubs(make, 990, 10)
    cache.clear()
    with django_assert_max_num_queries(100), CaptureQueriesContext(connection) as large:
        response = client.get(url, QUERY)
    assert response.context["totals"].active_clubs == 1000
    assert response.context["totals"].active_members == 3000
    assert len(reads(large)) == len(reads(small)), reads(large)
    # Kept figures: the next view after a cache miss counts nothing again.
    cache.clear()
    with CaptureQueriesContext(connection) as warm:
        client.get(url, QUERY)
    assert len(warm) <= len(reads(large)) and not any(
        q["sql"].startswith("INSERT") for q in warm.captured_queries
    )


def test_province_dashboard_queries_are_bounded(client, board, make, django_assert_max_num_queries):
    client.force_login(board)
    _bulk_clubs(make, 200, 0)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("reporting:province", args=["02"]), QUERY)
    assert len(response.context["clubs"]) == 100
    # 100 clubs of Hà Giang, 50 a page: the second page has the codes after the first's.
    first = [r["club"].code for r in response.context["page"].object_list]
    assert len(first) == 50 and first == sorted(first)
    second = client.get(reverse("reporting:province", args=["02"]), {**QUERY, "page": 2})
    codes = [r["club"].code for r in second.context["page"].object_list]
    assert len(codes) == 50 and codes[0] > first[-1]


def test_province_club_table_is_fresh_after_a_write(client, board, dataset, make):
    client.force_login(board)
    url = reverse("reporting:province", args=["02"])
    assert 'data-club="A3"' not in client.get(url, QUERY).content.decode()
    assert 'data-club="A3"' not in client.get(url, QUERY).content.decode()  # from the cache
    make.club(datetime.date(2020, 1, 1), "02", code="A3")
    html = client.get(url, QUERY).content.decode()
    assert 'data-club="A3"' in html


def test_province_club_table_is_kept_per_view_and_language(client, board, dataset):
    """The club table's rendered HTML is kept per selection, sort, page and language: a
    reversed sort, or English, is its own table, and a second view reads the kept one."""
    from django.conf import settings

    client.force_login(board)
    url = reverse("reporting:province", args=["02"])

    def order(html):
        return re.findall(r'<tr data-club="([^"]+)"', html)

    first = client.get(url, QUERY).content.decode()
    assert order(first) == ["A1", "A2"] and "Cần thêm 3 nữ hoặc bớt 2 nam" in first
    # The second view reads the kept table and the small head, not the per-club results.
    from reporting import views

    def refuse(*args, **kwargs):
        raise AssertionError("per-club results read")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views, "province_data", refuse)
        second = client.get(url, QUERY).content.decode()
    assert order(second) == ["A1", "A2"] and "2 CLB" in second
    assert order(client.get(url, {**QUERY, "sort": "code", "dir": "desc"}).content.decode()) == [
        "A2",
        "A1",
    ]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url, QUERY).content.decode()
    assert order(english) == ["A1", "A2"]
    assert "Cần thêm" not in english and "✗ Not met" in english


def test_every_download_link_on_both_dashboards_works(client, board, dataset):
    client.force_login(board)
    for url in (reverse("reporting:national"), reverse("reporting:province", args=["02"])):
        html = client.get(url, QUERY).content.decode()
        links = set(re.findall(r'href="([^"]*/export/[^"]*)"', html))
        assert len(links) >= 4, url
        for link in links:
            response = client.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, link
        assert 'action="/reports/"' in html  # the "Tải báo cáo (PDF, Word)" button


def test_a_club_failing_only_monitoring_says_so_in_the_club_table(client, board, dataset):
    """B1 was trained but last visited 01/01/2019: its cell names the phase's 12-month window,
    not "đã tập huấn"; A2, never trained nor visited, says both; A1 passes."""
    client.force_login(board)
    bentre = client.get(reverse("reporting:province", args=["83"]), QUERY).content.decode()
    b1 = _cell_text(bentre, "data-club", "B1")
    assert b1[-3].startswith("✗ chưa được giám sát trong 12 tháng")
    assert "đã tập huấn" not in b1[-3]
    hagiang = client.get(reverse("reporting:province", args=["02"]), QUERY).content.decode()
    a2 = _cell_text(hagiang, "data-club", "A2")[-3]
    assert a2.startswith("✗ chưa tập huấn; chưa được giám sát trong 12 tháng")
    assert _cell_text(hagiang, "data-club", "A1")[-3] == "✓ đã tập huấn và giám sát"
