"""Every parameter of a rule comes from the phase's rows, with no default in the code: the
monitoring window of the "trained and monitored" criterion and the age of older members, in
the figures and in every text that states them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from reporting.compliance import compute
from reporting.dashboard import club_filters
from reporting.models import Criterion, Target

pytestmark = pytest.mark.django_db

D = datetime.date(2020, 6, 30)
QUERY = {"as_of": "30/06/2020", "phase": "2018-2020"}


@pytest.fixture
def clubs(make):
    """Two clubs of old Hà Giang with 3 members born 1950, 1963 and 1990 (70, 57 and 30 at
    D), trained on 01/05/2019; V8 visited on 31/10/2019 (8 months before D), V4 on 29/02/2020
    (4 months before D)."""
    out = {}
    for code, visited in (("V8", datetime.date(2019, 10, 31)), ("V4", datetime.date(2020, 2, 29))):
        club = make.club(datetime.date(2018, 3, 1), "02", code=code)
        for year in (1950, 1963, 1990):
            make.member(club, birth_year=year)
        make.visit(club, visited)
        out[code] = club
    make.training(list(out.values()), datetime.date(2019, 5, 1))
    return out


def set_window(months):
    Criterion.objects.filter(phase__code="2018-2020", code="trained").update(
        monitoring_months=months
    )


def test_the_window_of_the_criterion_row_decides_and_is_stated(client, board, clubs):
    set_window(6)
    report = compute(D, phase="2018-2020")
    # After D minus 6 months (31/12/2019) and on or before D: V4 only.
    monitored = {c.code: c.criteria["trained"].monitored for c in report.clubs}
    assert monitored == {"V4": True, "V8": False}
    v8 = next(c for c in report.clubs if c.code == "V8")
    # The last visit, 31/10/2019, counts while the window starts before it: on 30/04/2020 the
    # window starts on 30/10/2019, on 01/05/2020 on 01/11/2019.
    assert v8.criteria["trained"].gap.reason == (
        "Chưa có lần giám sát trong 6 tháng; lần gần nhất 31/10/2019 hết tính từ 01/05/2020"
    )
    assert dict(club_filters(report))["not-monitored"] == "CLB chưa được giám sát trong 6 tháng"
    client.force_login(board)
    response = client.get(
        reverse("reporting:province", args=["02"]), {**QUERY, "filter": "not-monitored"}
    )
    assert [r["club"].code for r in response.context["clubs"]] == ["V8"]
    html = response.content.decode()
    assert (
        '<option value="not-monitored" selected>CLB chưa được giám sát trong 6 tháng</option>'
        in html
    )
    assert "12 tháng" not in html


def test_window_texts_in_english_use_the_plural(clubs):
    set_window(1)
    with translation.override("en"):
        report = compute(D, phase="2018-2020")
        assert (
            dict(club_filters(report))["not-monitored"] == "Clubs not monitored in the last 1 month"
        )
        v8 = next(c for c in report.clubs if c.code == "V8")
        assert v8.criteria["trained"].gap.reason == (
            "No monitoring visit in the last 1 month; the last, on 31/10/2019, "
            "stopped counting on 01/12/2019"
        )
    set_window(6)
    with translation.override("en"):
        report = compute(D, phase="2018-2020")
        assert (
            dict(club_filters(report))["not-monitored"]
            == "Clubs not monitored in the last 6 months"
        )


def test_without_a_trained_criterion_there_is_no_monitoring_filter(clubs):
    Criterion.objects.filter(phase__code="2018-2020", code="trained").delete()
    report = compute(D, phase="2018-2020")
    assert report.monitoring_months is None and report.trained_code is None
    keys = [key for key, _label in club_filters(report)]
    assert "not-monitored" not in keys and "not-trained" not in keys
    # and no "trained and monitored" share can be measured without the criterion's window
    assert report.trained_target is None
    assert "trained_monitored" not in [t.code for t in report.targets]


def test_older_members_at_the_age_of_a_target_when_no_criterion_sets_one(clubs):
    Criterion.objects.filter(phase__code="2018-2020", metric="older").delete()
    # The target "Ít nhất 65.000 người cao tuổi" counts from 55: 1950 and 1963 (57) are older.
    report = compute(D, phase="2018-2020")
    assert [c.older_members for c in report.clubs] == [2, 2]
    assert report.national.older_members == 4


def test_without_any_age_older_members_are_not_counted(client, board, clubs):
    Criterion.objects.filter(phase__code="2018-2020", metric="older").delete()
    Target.objects.filter(phase__code="2018-2020", age_threshold__isnull=False).delete()
    report = compute(D, phase="2018-2020")
    assert [c.older_members for c in report.clubs] == [None, None]
    assert report.national.older_members is None
    assert [p.older_members for p in report.provinces] == [None]
    club_page = compute(D, phase="2018-2020", with_targets=False)
    assert club_page.clubs[0].older_members is None
    client.force_login(board)
    html = client.get(reverse("reporting:province", args=["02"]), QUERY).content.decode()
    assert '<div class="num" id="n-older">—</div>' in html
    national = client.get(reverse("reporting:national"), QUERY)
    assert national.context["provinces"][1]["older"] is None  # Hà Giang, code 02
    csv = client.get(reverse("reporting:national_export", args=["tinh", "csv"]), QUERY)
    assert "02,Hà Giang,2,6,,0.0," in csv.content.decode("utf-8-sig")


def test_a_club_failing_only_monitoring_says_so_with_the_window():
    from reporting.gaps import training_status

    assert training_status(True, False, 6) == "chưa được giám sát trong 6 tháng"
    assert training_status(False, True, 6) == "chưa tập huấn"
    assert training_status(False, False, 12) == "chưa tập huấn; chưa được giám sát trong 12 tháng"
    assert training_status(True, True, 12) == "đã tập huấn và giám sát"
    assert training_status(None, None, 12) == ""
