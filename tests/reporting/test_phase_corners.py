"""Numbers in the corners: overlapping phases, gaps an officer can act on, the targets of new
and earlier clubs, commune coverage. Every expected value is worked out by hand in the comment
beside it."""

import datetime
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation

from common.dates import window_end
from reporting.compliance import compute, evaluate_criterion
from reporting.gaps import borrowed_gap, share_gap
from reporting.models import Criterion, Target
from reporting.pdf import render_report
from reporting.rules import is_monitored
from tests.reporting.test_pdf import flat, has_row, pdf_text

pytestmark = pytest.mark.django_db


def criterion(phase, code):
    return Criterion.objects.get(phase__code=phase, code=code)


def counts(active, **values):
    base = {"active": active, "women": 0, "poor": 0, "borrowed": 0, "borrowed_improved": 0}
    base.update({"older_55": 0, "older_60": 0, "trained": False, "last_visit": None})
    base.update(values)
    return base


def target(report, code):
    return next(t for t in report.targets if t.code == code)


# --------------------------------------------------------------------------- overlapping phases


@pytest.fixture
def boundary_clubs(make):
    """Two clubs of new Tuyên Quang (08): JUL founded 31/07/2025 (phase 2021-2025), AUG founded
    01/08/2025 (phase 2025-2030, which started that day). Each has a woman born 1950 and a man
    born 1990: 2 members, 1 of them 60 or older."""
    out = {}
    for code, day in (("JUL", datetime.date(2025, 7, 31)), ("AUG", datetime.date(2025, 8, 1))):
        club = make.club(day, "08", code=code)
        make.member(club, sex="female", birth_year=1950)
        make.member(club, sex="male", birth_year=1990)
        out[code] = club
    return out


def test_a_club_founded_in_the_overlap_belongs_to_the_later_phase_only(boundary_clubs):
    day = datetime.date(2026, 12, 31)
    earlier = compute(day, phase="2021-2025")
    # M = 31/12/2025. Cohort of 2021-2025: JUL only, its 2 members, 1 older.
    assert target(earlier, "clubs").actual == 1
    assert target(earlier, "members").actual == 2
    assert target(earlier, "older_members").actual == 1
    later = compute(day, phase="2025-2030")
    assert target(later, "clubs").actual == 1  # AUG only
    # The 2025-2030 "earlier clubs": active on 31/07/2025, JUL; still active at 31/12/2026.
    earlier_active = target(later, "earlier_active")
    assert (earlier_active.numerator, earlier_active.denominator) == (1, 1)


def test_the_overlap_on_the_national_dashboard_and_in_the_pdf(
    boundary_clubs, client, board, tmp_path
):
    client.force_login(board)
    response = client.get(
        reverse("reporting:national"), {"as_of": "31/12/2026", "phase": "2021-2025"}
    )
    clubs = target(response.context["report"], "clubs")
    assert clubs.actual == 1
    html = response.content.decode()
    card = html.split('data-target="clubs"')[1]
    assert card.split('<div class="num">')[1].split("</div>")[0] == "1"

    rendered = render_report("2021-2025", datetime.date(2026, 12, 31))
    text = pdf_text(rendered.content, tmp_path)
    # 1 of 3.000 clubs = 0,03% → "0,0%"; 2 of 150.000 members.
    assert has_row(text, "Thành lập mới ít nhất 3.000 CLB", "3.000", "1", "0,0%", "Chưa đạt")
    assert has_row(text, "Ít nhất 150.000 thành viên", "150.000", "2", "0,0%", "Chưa đạt")


# --------------------------------------------------------------------------- share gaps


def test_fewer_is_null_when_every_departure_that_passes_would_empty_the_club():
    # 12 of 12 aged 60+ against 60–70%: 12/(12+6) = 66,7% (12/17 = 70,6% is too many): 6 more
    # younger members. Older members leaving leaves 100% older until nobody is left: no fewer.
    assert share_gap(12, 12, Fraction(6, 10), Fraction(7, 10)) == (6, None, "high")
    result = evaluate_criterion(criterion("2021-2025", "older"), counts(12, older_60=12), DAY)
    assert (result.gap.more, result.gap.fewer) == (6, None)
    assert result.gap.reason == "Cần thêm 6 người dưới 60 tuổi"


def test_a_departure_that_overshoots_the_other_bound_is_no_gap():
    # 1 woman of 2 against 60–70%: 1 more woman gives 2/3 = 66,7%; 1 man leaving gives 1/1 =
    # 100%, above 70%: no fewer.
    assert share_gap(1, 2, Fraction(6, 10), Fraction(7, 10)) == (1, None, "low")
    result = evaluate_criterion(criterion("2021-2025", "women"), counts(2, women=1), DAY)
    assert result.gap.reason == "Cần thêm 1 nữ"


def test_a_band_no_change_of_members_can_reach():
    # 0 of 1 against 65–66%: 1 joining gives 1/2 = 50%, 2 joining 2/3 = 66,67% > 66%; and adding
    # only raises the share from there, so no number joining passes; nobody of the kind to lose.
    assert share_gap(0, 1, Fraction(65, 100), Fraction(66, 100)) == (None, None, "low")
    women = criterion("2021-2025", "women")
    women.min_share, women.max_share = "0.6500", "0.6600"
    result = evaluate_criterion(women, counts(1, women=0), DAY)
    assert (result.gap.more, result.gap.fewer) == (None, None)
    assert result.gap.reason == "Không thể đạt bằng cách thêm hoặc bớt thành viên"


def test_the_other_kinds_keep_their_rule():
    # Women 29 of 50 against 60–70%: 32/53 = 60,4% (3 more women); 29/48 = 60,4% (2 fewer men).
    assert share_gap(29, 50, Fraction(6, 10), Fraction(7, 10)) == (3, 2, "low")
    # Women 36 of 50: 36/52 = 69,2% (2 more men); 32/46 = 69,6% (4 fewer women).
    assert share_gap(36, 50, Fraction(6, 10), Fraction(7, 10)) == (2, 4, "high")


DAY = datetime.date(2025, 6, 30)


def test_borrowed_gap_is_existing_members_who_need_to_borrow():
    # 4 of 60 against 50%: 30 must have borrowed, 26 more; nobody is asked to leave.
    assert borrowed_gap(4, 60, Fraction(1, 2)) == 26
    old = evaluate_criterion(
        criterion("2018-2020", "borrowed"), counts(60, borrowed_improved=4, borrowed=9), DAY
    )
    assert (old.gap.more, old.gap.fewer) == (26, None)
    assert old.gap.reason == "Cần thêm 26 thành viên được vay vốn và cải thiện thu nhập"
    new = evaluate_criterion(criterion("2021-2025", "borrowed"), counts(60, borrowed=4), DAY)
    assert (new.gap.more, new.gap.fewer) == (26, None)
    assert new.gap.reason == "Cần thêm 26 thành viên được vay vốn"
    # 7 of 15: ⌈7,5⌉ = 8, 1 more.
    one = evaluate_criterion(criterion("2021-2025", "borrowed"), counts(15, borrowed=7), DAY)
    assert one.gap.more == 1
    with translation.override("en"):
        assert (
            evaluate_criterion(
                criterion("2021-2025", "borrowed"), counts(15, borrowed=7), DAY
            ).gap.reason
            == "1 more member needs to borrow"
        )
        assert (
            evaluate_criterion(
                criterion("2018-2020", "borrowed"), counts(60, borrowed_improved=4), DAY
            ).gap.reason
            == "26 more members need to borrow and improve their income"
        )


def test_club_size_gap_is_members_to_recruit_or_over_the_maximum():
    size = criterion("2021-2025", "size")  # 50–70 active members
    small = evaluate_criterion(size, counts(45), DAY)
    assert (small.gap.more, small.gap.fewer) == (5, None)
    assert small.gap.reason == "Cần kết nạp thêm 5 thành viên"
    large = evaluate_criterion(size, counts(73), DAY)
    assert (large.gap.more, large.gap.fewer) == (None, 3)
    assert large.gap.reason == "Vượt mức tối đa 3 thành viên"
    with translation.override("en"):
        assert evaluate_criterion(size, counts(49), DAY).gap.reason == "1 more member to recruit"
        assert evaluate_criterion(size, counts(45), DAY).gap.reason == "5 more members to recruit"
        assert evaluate_criterion(size, counts(71), DAY).gap.reason == "1 member over the maximum"
        assert evaluate_criterion(size, counts(73), DAY).gap.reason == "3 members over the maximum"


# --------------------------------------------------------------------------- trained, monitored


def test_the_monitoring_gap_says_since_when(make):
    # Trained 01/05/2019, last visited 01/03/2020, window 12 months: on 28/02/2021 the window
    # starts after 28/02/2020 and the visit counts; on 01/03/2021 it starts after 01/03/2020.
    club = make.club(datetime.date(2018, 3, 1), "02")
    for _ in range(10):
        make.member(club)
    make.training([club], datetime.date(2019, 5, 1))
    make.visit(club, datetime.date(2020, 3, 1))
    trained = criterion("2021-2025", "trained")
    still = compute(datetime.date(2021, 2, 28), phase="2021-2025").clubs[0]
    assert still.criteria["trained"].passed
    lapsed = compute(datetime.date(2021, 3, 1), phase="2021-2025").clubs[0].criteria["trained"]
    assert not lapsed.passed and lapsed.last_visit == datetime.date(2020, 3, 1)
    assert lapsed.gap.reason == (
        "Chưa có lần giám sát trong 12 tháng; lần gần nhất 01/03/2020 hết tính từ 01/03/2021"
    )
    with translation.override("en"):
        report = compute(datetime.date(2021, 3, 1), phase="2021-2025")
        assert report.clubs[0].criteria["trained"].gap.reason == (
            "No monitoring visit in the last 12 months; the last, on 01/03/2020, "
            "stopped counting on 01/03/2021"
        )
    assert trained.monitoring_months == 12


def test_the_day_a_visit_stops_counting_agrees_with_the_window():
    assert window_end(datetime.date(2020, 3, 1), 12) == datetime.date(2021, 3, 1)
    # 31/01/2024 + 1 month is clamped to 29/02/2024, when the window still starts on 29/01.
    assert window_end(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 3, 1)
    assert window_end(datetime.date(2019, 8, 31), 6) == datetime.date(2020, 3, 1)
    start = datetime.date(2023, 12, 25)
    for offset in range(70):
        visit = start + datetime.timedelta(days=offset)
        for months in (1, 6, 12):
            end = window_end(visit, months)
            assert is_monitored(visit, end - datetime.timedelta(days=1), months)
            assert not is_monitored(visit, end, months)


def test_not_trained_and_never_monitored(make):
    club = make.club(datetime.date(2018, 3, 1), "02")
    make.member(club)
    result = compute(datetime.date(2020, 6, 30), phase="2018-2020").clubs[0]
    assert result.criteria["trained"].gap.reason == "Chưa được tập huấn; chưa có lần giám sát nào"
    with translation.override("en"):
        result = compute(datetime.date(2020, 6, 30), phase="2018-2020").clubs[0]
        assert result.criteria["trained"].gap.reason == "Not trained; never monitored"


# --------------------------------------------------------------------------- new, earlier clubs


def test_new_clubs_still_active(make):
    # 2021-2025: N1 founded 01/03/2021 dissolved 01/01/2024; N2 founded 01/06/2022; N3 founded
    # 01/09/2025 belongs to 2025-2030; N4 founded 01/06/2023.
    make.club(datetime.date(2021, 3, 1), "02", dissolved_on=datetime.date(2024, 1, 1))
    make.club(datetime.date(2022, 6, 1), "02")
    make.club(datetime.date(2025, 9, 1), "08")
    make.club(datetime.date(2023, 6, 1), "02")
    row = Target.objects.get(phase__code="2021-2025", code="new_active")
    assert row.metric == "new_clubs_active" and row.value == 1
    # At 31/12/2025: N1, N2, N4 founded on or before M; N2, N4 active: 2/3.
    new = target(compute(datetime.date(2025, 12, 31), phase="2021-2025"), "new_active")
    assert (new.numerator, new.denominator, new.met) == (2, 3, False)
    # At 31/12/2022: N1, N2 founded by then, both active: 2/2 = 100%, met.
    new = target(compute(datetime.date(2022, 12, 31), phase="2021-2025"), "new_active")
    assert (new.numerator, new.denominator, new.met) == (2, 2, True)
    # The 1648 phases carry no such row.
    assert not Target.objects.filter(metric="new_clubs_active").exclude(phase__code="2021-2025")


def test_earlier_clubs_at_the_phase_start(make):
    # 2021-2025 starts 01/01/2021. E1 founded 31/12/2020: earlier. E2 dissolved on 01/01/2021:
    # not dissolved before the start, earlier, but not active at M. E3 dissolved 31/12/2020:
    # not earlier. E4 founded 01/01/2021: a new club, not earlier.
    make.club(datetime.date(2020, 12, 31), "02")
    make.club(datetime.date(2019, 1, 1), "02", dissolved_on=datetime.date(2021, 1, 1))
    make.club(datetime.date(2019, 1, 1), "02", dissolved_on=datetime.date(2020, 12, 31))
    make.club(datetime.date(2021, 1, 1), "02")
    earlier = target(compute(datetime.date(2021, 1, 1), phase="2021-2025"), "earlier_active")
    assert (earlier.numerator, earlier.denominator) == (1, 2)
    assert earlier.actual == Fraction(1, 2)


# --------------------------------------------------------------------------- commune coverage


def test_commune_coverage_on_the_dashboards_and_in_the_pdf(make, client, board, tmp_path):
    # Old era, 30/06/2020: two clubs in one Hà Giang commune and one in a Bến Tre commune: 2
    # communes of the 10.035 of the old era; Hà Giang has 193 communes (the units file).
    make.club(datetime.date(2018, 3, 1), "02")
    make.club(datetime.date(2018, 4, 1), "02")
    make.club(datetime.date(2018, 5, 1), "83")
    report = compute(datetime.date(2020, 6, 30), phase="2018-2020")
    assert (report.coverage.communes, report.coverage.total) == (2, 10035)
    assert report.coverage.target is None  # no seeded phase carries a coverage target
    client.force_login(board)
    query = {"as_of": "30/06/2020", "phase": "2018-2020"}
    html = client.get(reverse("reporting:national"), query).content.decode()
    card = html.split('data-indicator="coverage"')[1].split("</div>\n  </div>")[0]
    assert "2/10.035 xã/phường có ít nhất một CLB đang hoạt động" in flat(card)
    html = client.get(reverse("reporting:province", args=["02"]), query).content.decode()
    card = html.split('data-indicator="coverage"')[1].split("</div>\n  </div>")[0]
    assert "1/193 xã/phường có ít nhất một CLB đang hoạt động" in flat(card)
    assert "0,5%" in card  # 1/193 = 0,518%

    words = flat(pdf_text(render_report("2018-2020", datetime.date(2020, 6, 30)).content, tmp_path))
    assert (
        "Tỷ lệ xã/phường có CLB đang hoạt động: 0,02% (2/10.035 xã/phường, tính đến 30/06/2020)"
        in words
    )


def test_commune_coverage_of_a_new_province_at_an_old_era_date(make):
    # After the reform, a report of 2018-2020 is measured at its end (31/12/2020, old era): new
    # Tuyên Quang (08) stands for old Hà Giang (193 communes) and old Tuyên Quang (137): 330.
    make.club(datetime.date(2018, 3, 1), "02")
    from clubs.models import Province

    tuyen_quang = Province.objects.get(era="post2025", code="08")
    report = compute(datetime.date(2026, 6, 30), phase="2018-2020", province=tuyen_quang)
    assert (report.coverage.communes, report.coverage.total) == (1, 330)
    assert report.coverage.measured_on == datetime.date(2020, 12, 31)


def test_a_coverage_target_when_a_phase_carries_one(make):
    make.club(datetime.date(2018, 3, 1), "02")
    Target.objects.create(
        phase=Criterion.objects.get(phase__code="2018-2020", code="older").phase,
        code="coverage",
        label="Xã/phường có CLB",
        metric="commune_coverage",
        value="0.0001",
    )
    # 1 of 10.035 = 0,00997% < 0,01%: not met.
    report = compute(datetime.date(2020, 6, 30), phase="2018-2020")
    assert report.coverage.target is not None and not report.coverage.target.met
    assert (report.coverage.communes, report.coverage.total) == (1, 10035)
