"""The compliance engine against hand-computed values."""

import datetime
import json
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clubs.models import Club
from common.dates import months_before
from members.models import HouseholdAssessment, Member
from reporting.compliance import ComplianceError, compute, evaluate_criterion
from reporting.gaps import share_gap
from reporting.models import Criterion, Phase, ProvinceTarget

pytestmark = pytest.mark.django_db

D = datetime.date(2020, 6, 30)  # in phase 2018-2020, old era
FOUNDED = datetime.date(2018, 3, 1)


def criterion(phase_code, code):
    return Criterion.objects.get(phase__code=phase_code, code=code)


def add_members(club, n, *, sex="female", birth_year=1950, joined_on=None, **fields):
    joined_on = joined_on or club.founded_on
    members = [
        Member(
            club=club,
            full_name=f"Thành viên {club.code} {sex} {i}",
            sex=sex,
            birth_year=birth_year,
            joined_on=joined_on,
            **fields,
        )
        for i in range(n)
    ]
    for m in members:
        m.normalise()
    return Member.objects.bulk_create(members)


def club_result(club, day=D, phase=None):
    report = compute(day, phase=phase, clubs=Club.objects.filter(pk=club.pk), with_targets=False)
    assert len(report.clubs) == 1
    return report.clubs[0]


# ----------------------------------------------------------------- pure rules


def counts(active, **kw):
    base = {
        "active": active,
        "women": 0,
        "poor": 0,
        "borrowed": 0,
        "borrowed_improved": 0,
        "older_55": 0,
        "older_60": 0,
        "trained": True,
        "last_visit": D,
    }
    base.update(kw)
    return base


@pytest.mark.parametrize(
    ("older", "active", "passes"),
    [(7, 10, True), (6999, 10000, False), (7000, 10000, True), (2, 3, False), (69, 99, False)],
)
def test_older_share_boundary(older, active, passes):
    result = evaluate_criterion(criterion("2018-2020", "older"), counts(active, older_55=older), D)
    assert result.passed is passes
    assert result.share == Fraction(older, active)


@pytest.mark.parametrize(
    ("women", "passes"), [(59, False), (60, True), (65, True), (70, True), (71, False)]
)
def test_women_bounds_are_inclusive(women, passes):
    result = evaluate_criterion(criterion("2018-2020", "women"), counts(100, women=women), D)
    assert result.passed is passes
    assert (result.gap is None) is passes


def test_gap_women_below_and_above_the_band():
    # 29 of 50 against 60%: (29+3)/53 = 0.6038 passes, (29+2)/52 = 0.596 does not -> 3 more
    # women; 29/48 = 0.6042 passes, 29/49 = 0.592 does not -> 2 fewer men.
    assert share_gap(29, 50, Fraction(6, 10), Fraction(7, 10)) == (3, 2, "low")
    # 36 of 50 against 70%: 36/52 = 0.692 passes, 36/51 = 0.706 does not -> 2 more men;
    # 32/46 = 0.696 passes, 33/47 = 0.702 does not -> 4 fewer women.
    assert share_gap(36, 50, Fraction(6, 10), Fraction(7, 10)) == (2, 4, "high")
    assert share_gap(30, 50, Fraction(6, 10), Fraction(7, 10)) is None


def test_gap_reason_is_in_vietnamese():
    result = evaluate_criterion(criterion("2018-2020", "women"), counts(50, women=29), D)
    assert result.gap.more == 3 and result.gap.fewer == 2
    assert result.gap.reason == "Cần thêm 3 nữ hoặc bớt 2 nam"
    result = evaluate_criterion(criterion("2018-2020", "women"), counts(50, women=36), D)
    assert result.gap.reason == "Cần thêm 2 nam hoặc bớt 4 nữ"


def test_gap_for_borrowers():
    # 21 of 50 borrowed with improved income, against 50%: 25 of the 50 existing members must
    # have, so 4 more; nobody is asked to leave.
    result = evaluate_criterion(
        criterion("2018-2020", "borrowed"), counts(50, borrowed_improved=21, borrowed=40), D
    )
    assert not result.passed
    assert (result.gap.more, result.gap.fewer) == (4, None)
    assert result.gap.reason == "Cần thêm 4 thành viên được vay vốn và cải thiện thu nhập"


def test_months_before_clamps_to_the_end_of_the_month():
    assert months_before(datetime.date(2020, 6, 30), 12) == datetime.date(2019, 6, 30)
    assert months_before(datetime.date(2020, 2, 29), 12) == datetime.date(2019, 2, 28)
    assert months_before(datetime.date(2021, 3, 31), 1) == datetime.date(2021, 2, 28)


# ----------------------------------------------------------------- against the database


def test_seven_of_ten_older_passes_and_two_of_three_is_66_67(make):
    club = make.club(founded_on=FOUNDED)
    add_members(club, 7, birth_year=1950)
    add_members(club, 3, birth_year=1980)
    result = club_result(club).criteria["older"]
    assert (result.count, result.share, result.passed) == (7, Fraction(7, 10), True)
    assert result.as_dict()["share"] == "0.7000"

    other = make.club(founded_on=FOUNDED)
    add_members(other, 2, birth_year=1950)
    add_members(other, 1, birth_year=1980)
    result = club_result(other).criteria["older"]
    assert result.as_dict()["share"] == "0.6667" and not result.passed


def test_women_six_and_seven_of_ten_pass_five_and_eight_fail(make):
    for women, passes in ((5, False), (6, True), (7, True), (8, False)):
        club = make.club(founded_on=FOUNDED)
        add_members(club, women, sex="female")
        add_members(club, 10 - women, sex="male")
        assert club_result(club).criteria["women"].passed is passes, women


def test_member_who_turns_55_on_the_date_counts_and_the_day_after_does_not(make):
    club = make.club(founded_on=FOUNDED)
    # D = 30/06/2020: born 30/06/1965 is 55 on D; born 01/07/1965 is 54.
    make.member(club, birth_year=1965, birth_month=6, birth_day=30)
    make.member(club, birth_year=1965, birth_month=7, birth_day=1)
    assert club_result(club).criteria["older"].count == 1
    # The day after, both... no: on 01/07/2020 the second turns 55 too.
    assert club_result(club, datetime.date(2020, 7, 1)).criteria["older"].count == 2


def test_year_only_birth_is_taken_as_1_january(make):
    club = make.club(founded_on=FOUNDED)
    make.member(club, birth_year=1965)  # 55 from 01/01/2020
    make.member(club, birth_year=1966)  # 54 all through 2020
    assert club_result(club).criteria["older"].count == 1
    assert club_result(club, datetime.date(2019, 12, 31)).criteria["older"].count == 0


def test_member_born_on_29_february(make):
    club = make.club(founded_on=datetime.date(2016, 1, 1))
    make.member(club, birth_year=1964, birth_month=2, birth_day=29)
    # 2019 is not a leap year: 55 completed years only from 1 March 2019.
    assert club_result(club, datetime.date(2019, 2, 28)).criteria["older"].count == 0
    assert club_result(club, datetime.date(2019, 3, 1)).criteria["older"].count == 1


def test_member_who_left_on_the_date_is_not_active(make):
    club = make.club(founded_on=FOUNDED)
    make.member(club)
    make.member(club, left_on=D, leave_reason="moved")
    make.member(club, left_on=D + datetime.timedelta(days=1), leave_reason="died")
    make.member(club, joined_on=D + datetime.timedelta(days=1))
    assert club_result(club).active_members == 2


def test_loans_count_only_when_disbursed_and_assessed_by_the_date_and_once_per_member(make):
    club = make.club(founded_on=FOUNDED)
    a, b, c, d = (make.member(club) for _ in range(4))
    day = datetime.date
    make.loan(a, day(2019, 1, 1), "improved", day(2019, 12, 1))
    make.loan(a, day(2019, 6, 1), "improved", day(2020, 1, 1))  # a second loan: a counts once
    make.loan(b, D + datetime.timedelta(days=1))  # disbursed after D
    make.loan(c, day(2019, 1, 1), "improved", D + datetime.timedelta(days=1))  # assessed after D
    make.loan(d, day(2019, 1, 1), "not_improved", day(2019, 6, 1))
    result = club_result(club)
    assert result.criteria["borrowed"].count == 1  # only a: improved and assessed by D
    assert result.borrowed == 3  # a, c and d had a loan disbursed by D


def test_club_with_no_members_fails_every_criterion_with_its_reason(make):
    club = make.club(founded_on=FOUNDED)
    result = club_result(club)
    assert result.active_members == 0 and not result.compliant
    for code, r in result.criteria.items():
        assert not r.passed, code
        assert r.gap.reason == "Không có thành viên đang sinh hoạt"
        assert r.share is None


def test_household_status_is_the_latest_assessment_on_or_before_the_date(make):
    club = make.club(founded_on=FOUNDED)
    m1 = make.member(club, status="poor")  # poor since joining
    HouseholdAssessment.objects.create(member=m1, assessed_on=D, status="none")  # out on D
    m2 = make.member(club, status="none")
    HouseholdAssessment.objects.create(
        member=m2, assessed_on=D + datetime.timedelta(days=1), status="near_poor"
    )
    m3 = make.member(club, status="none")
    HouseholdAssessment.objects.create(member=m3, assessed_on=D, status="disadvantaged")
    make.member(club)  # never assessed: not poor
    assert club_result(club).criteria["poor"].count == 1  # m3 only
    assert club_result(club, D - datetime.timedelta(days=1)).criteria["poor"].count == 1  # m1


def test_monitoring_window_is_twelve_calendar_months(make):
    club = make.club(founded_on=datetime.date(2016, 1, 1))
    add_members(club, 10)
    make.training([club], datetime.date(2016, 6, 1))
    # D = 30/06/2020; 366 days before is 30/06/2019 (2020 is a leap year), exactly 12 calendar
    # months before D, which is not "after D minus 12 months": it does not count.
    make.visit(club, D - datetime.timedelta(days=366))
    r = club_result(club).criteria["trained"]
    assert r.trained and not r.monitored and not r.passed
    assert r.gap.reason == (
        "Chưa có lần giám sát trong 12 tháng; lần gần nhất 30/06/2019 hết tính từ 30/06/2020"
    )
    make.visit(club, D - datetime.timedelta(days=365))  # 01/07/2019: counts
    r = club_result(club).criteria["trained"]
    assert r.monitored and r.passed and r.last_visit == datetime.date(2019, 7, 1)


def test_monitoring_window_in_a_year_without_29_february(make):
    day = datetime.date(2019, 6, 30)
    club = make.club(founded_on=datetime.date(2016, 1, 1))
    add_members(club, 10)
    make.training([club], datetime.date(2016, 6, 1))
    make.visit(club, day - datetime.timedelta(days=366))  # 29/06/2018
    make.visit(club, day - datetime.timedelta(days=365))  # 30/06/2018: exactly 12 months
    assert not club_result(club, day).criteria["trained"].monitored
    make.visit(club, day - datetime.timedelta(days=364))  # 01/07/2018
    assert club_result(club, day).criteria["trained"].monitored


def test_training_after_the_date_does_not_count(make):
    club = make.club(founded_on=datetime.date(2016, 1, 1))
    add_members(club, 10)
    make.visit(club, D)
    make.training([club], D + datetime.timedelta(days=1))
    r = club_result(club).criteria["trained"]
    assert r.monitored and not r.trained
    assert r.gap.reason == "Chưa được tập huấn"


def test_a_compliant_club(make):
    club = make.club(founded_on=FOUNDED)
    # 10 members: 7 women, 8 older (55+), 6 poor, 5 borrowed with improved income.
    women = add_members(club, 7, sex="female", birth_year=1950)
    men = add_members(club, 3, sex="male", birth_year=1950)
    men[0].birth_year = 1980
    men[0].save()
    women[0].birth_year = 1975
    women[0].save()
    for m in (women + men)[:6]:
        HouseholdAssessment.objects.create(member=m, assessed_on=FOUNDED, status="poor")
    for m in (women + men)[:5]:
        make.loan(m, datetime.date(2018, 6, 1), "improved", datetime.date(2019, 6, 1))
    make.training([club], datetime.date(2018, 5, 1))
    make.visit(club, datetime.date(2020, 1, 15))
    r = club_result(club)
    assert r.active_members == 10
    assert {k: v.count for k, v in r.criteria.items() if k != "trained"} == {
        "older": 8,
        "women": 7,
        "poor": 6,
        "borrowed": 5,
    }
    assert all(v.passed for v in r.criteria.values())
    assert r.compliant


# ----------------------------------------------------------------- provinces and eras


def test_provinces_are_counted_in_the_units_of_the_dates_era(make):
    # Old Hà Giang (02) and old Tuyên Quang (08) both went into new Tuyên Quang (08).
    make.club(founded_on=FOUNDED, province_code="02")
    make.club(founded_on=FOUNDED, province_code="08")
    make.club(founded_on=FOUNDED, province_code="83")  # Bến Tre -> Vĩnh Long (86)
    old = compute(datetime.date(2020, 12, 31))
    assert old.era == "pre2025"
    assert [p.code for p in old.provinces] == ["02", "08", "83"]
    assert old.provinces_with_clubs == 3
    new = compute(datetime.date(2026, 3, 1))
    assert new.era == "post2025"
    assert [p.code for p in new.provinces] == ["08", "86"]
    assert new.provinces_with_clubs == 2
    assert {c.province_code for c in new.clubs} == {"08", "86"}


def test_province_option_narrows_and_drops_national_targets(make):
    make.club(founded_on=FOUNDED, province_code="02")
    make.club(founded_on=FOUNDED, province_code="83")
    from reporting.compliance import resolve_province

    report = compute(D, province=resolve_province("2", D))
    assert [c.province_code for c in report.clubs] == ["02"]
    assert report.national.active_clubs == 1 and report.targets == []


def test_phase_of_a_date_prefers_the_later_start_where_phases_overlap():
    assert Phase.objects.containing(datetime.date(2025, 7, 31)).code == "2021-2025"
    assert Phase.objects.containing(datetime.date(2025, 8, 1)).code == "2025-2030"
    assert Phase.objects.containing(datetime.date(2015, 12, 31)) is None
    with pytest.raises(ComplianceError):
        compute(datetime.date(2015, 12, 31))


# ----------------------------------------------------------------- targets


def test_targets_count_the_cohort_at_the_phase_end(make):
    phase = "2018-2020"
    earlier = make.club(founded_on=datetime.date(2017, 5, 1))  # phase 2016-2017: not cohort
    add_members(earlier, 5)
    c1 = make.club(founded_on=datetime.date(2018, 1, 1), province_code="02")
    add_members(c1, 4, birth_year=1960)  # 60 at end of 2020
    add_members(c1, 2, birth_year=1970)
    c2 = make.club(founded_on=datetime.date(2020, 12, 31), province_code="83")
    add_members(c2, 3, birth_year=1966)  # 54 on 31/12/2020: not older
    late = make.club(founded_on=datetime.date(2021, 2, 1))  # after the phase end
    add_members(late, 9)
    dissolved = make.club(founded_on=datetime.date(2019, 1, 1), province_code="04")
    add_members(dissolved, 4)
    dissolved.dissolved_on = datetime.date(2020, 6, 1)
    dissolved.save()

    # As of 2022 the 2018-2020 targets are measured at 31/12/2020.
    report = compute(datetime.date(2022, 3, 1), phase=phase)
    targets = {t.code: t for t in report.targets}
    assert targets["clubs"].measured_on == datetime.date(2020, 12, 31)
    assert targets["clubs"].actual == 2  # c1 and c2
    assert targets["clubs"].target == 2000
    assert targets["clubs"].reached == Fraction(2, 2000)
    assert targets["clubs"].as_dict()["reached"] == "0.0010"
    assert targets["provinces"].actual == 2  # Hà Giang and Bến Tre, 63-province system
    assert targets["members"].actual == 9
    assert targets["older_members"].actual == 4
    assert not targets["clubs"].met


def test_about_n_is_met_at_n_and_more_than_n_is_strict(make):
    from reporting.compliance import TargetResult

    about = TargetResult("c", "", "cohort_clubs", 2000, 2000, "gte", D)
    more_than = TargetResult("o", "", "cohort_older_members", 100000, 100000, "gt", D)
    assert about.met and about.reached == 1
    assert not more_than.met
    assert TargetResult("o", "", "cohort_older_members", 100000, 100001, "gt", D).met


def test_earlier_clubs_still_active_and_province_share(make):
    a = make.club(founded_on=datetime.date(2019, 1, 1), province_code="02")
    b = make.club(founded_on=datetime.date(2020, 1, 1), province_code="83")
    make.club(founded_on=datetime.date(2022, 1, 1), province_code="83")
    b.dissolved_on = datetime.date(2023, 5, 1)
    b.save()
    report = compute(datetime.date(2024, 6, 30), phase="2021-2025")
    targets = {t.code: t for t in report.targets}
    assert (targets["earlier_active"].numerator, targets["earlier_active"].denominator) == (1, 2)
    assert not targets["earlier_active"].met
    assert targets["province_share"].actual == Fraction(2, 63)
    assert a.pk  # the club still active is counted


def test_province_targets_against_actuals(make):
    phase = Phase.objects.get(code="2018-2020")
    from clubs.models import Province

    ha_giang = Province.objects.get(era="pre2025", code="02")
    ProvinceTarget.objects.create(phase=phase, province=ha_giang, clubs=3, members=100)
    c = make.club(founded_on=datetime.date(2018, 4, 1), province_code="02")
    add_members(c, 60)
    report = compute(datetime.date(2020, 12, 31))
    (pt,) = report.province_targets
    assert (pt.province_code, pt.clubs, pt.members) == ("02", 1, 60)
    assert pt.clubs_reached == Fraction(1, 3) and pt.below_target


# ----------------------------------------------------------------- queries and command


def _national_queries(n_clubs, make):
    Club.objects.all().delete() if not Member.objects.exists() else None
    commune = make.whole_old_commune("02")
    clubs = [
        Club(code=f"Q{n_clubs}-{i}", name=f"CLB {i}", founding_commune=commune, founded_on=FOUNDED)
        for i in range(n_clubs)
    ]
    for c in clubs:
        c.derive_units()
    clubs = Club.objects.bulk_create(clubs)
    for c in clubs[:5]:
        add_members(c, 3)
    with CaptureQueriesContext(connection) as cold:
        report = compute(D)
    assert report.national.active_clubs == n_clubs
    with CaptureQueriesContext(connection) as warm:
        assert compute(D).national == report.national
    # Counting every club the first time: the same statements, but for the batches in which
    # the kept rows are written (their size is the database's limit of parameters).
    reads = [q["sql"] for q in cold.captured_queries if not q["sql"].startswith("INSERT")]
    return len(reads), len(warm.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_clubs(make):
    few = _national_queries(10, make)
    Member.objects.all().delete()
    Club.objects.all().delete()
    many = _national_queries(1000, make)
    assert few == many
    cold, warm = many
    # warm: the phase and its rows, the clubs, their counters and kept rows, the club-life
    # parameters of the date (one query before the phases that set club-life targets)
    assert cold <= 25 and warm <= 16


def test_command_json_shape(make):
    club = make.club(founded_on=FOUNDED, code="HG-001", name="CLB thôn Nà Khương")
    add_members(club, 6, sex="female")
    add_members(club, 4, sex="male", birth_year=1990)
    out = StringIO()
    call_command("compliance", "--date", "2020-12-31", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["as_of"] == "2020-12-31" and data["phase"] == "2018-2020"
    assert data["era"] == "pre2025"
    (c,) = data["clubs"]
    assert c["code"] == "HG-001" and c["province"] == "02" and c["active_members"] == 10
    assert c["criteria"]["women"] == {"count": 6, "share": "0.6000", "pass": True, "gap": None}
    assert c["criteria"]["older"]["count"] == 6
    assert c["criteria"]["older"]["gap"]["more"] == 4  # (6+4)/14 = 0.714 >= 0.7; 9/13 < 0.7
    assert c["criteria"]["older"]["gap"]["fewer"] == 2  # 6/8 = 0.75; 6/9 = 0.667
    assert c["criteria"]["trained"] == {
        "trained": False,
        "monitored": False,
        "last_visit": None,
        "pass": False,
        "gap": {
            "more": None,
            "fewer": None,
            "reason": "Chưa được tập huấn; chưa có lần giám sát nào",
        },
    }
    assert c["compliant"] is False
    assert data["provinces"] == [
        {
            "code": "02",
            "name": "Hà Giang",
            "active_clubs": 1,
            "active_members": 10,
            "older_members": 6,
            "compliant_clubs": 0,
            "compliant_share": "0.0000",
            "trained_and_monitored_clubs": 0,
            "trained_and_monitored_share": "0.0000",
            "passing": {"older": 0, "women": 1, "poor": 0, "borrowed": 0, "trained": 0},
        }
    ]
    assert data["national"]["provinces_with_clubs"] == 1
    assert data["national"]["active_members"] == 10
    clubs_target = next(t for t in data["targets"] if t["code"] == "clubs")
    assert clubs_target == {
        "code": "clubs",
        "label": "Khoảng 2.000 CLB",
        "metric": "cohort_clubs",
        "comparison": "gte",
        "target": 2000,
        "actual": 1,
        "numerator": None,
        "denominator": None,
        "reached": "0.0005",
        "met": False,
        "measured_on": "2020-12-31",
    }
    trained = next(t for t in data["targets"] if t["code"] == "trained_monitored")
    assert (trained["target"], trained["actual"]) == ("0.8000", "0.0000")


@pytest.mark.parametrize(
    "args",
    [
        ["--date", "2015-06-01"],  # no phase covers it
        ["--date", "2020-02-30"],  # malformed
        ["--date", "2020-06-01", "--phase", "1999-2000"],
        ["--date", "2020-06-01", "--province", "99"],
        ["--date", "2026-06-01", "--province", "02"],  # Hà Giang is not a 2026 province
    ],
)
def test_command_exits_2_with_a_clear_message(args):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as info:
        call_command("compliance", *args, stdout=StringIO())
    assert info.value.returncode == 2


def test_command_table_and_csv(make):
    club = make.club(founded_on=FOUNDED, code="HG-002")
    add_members(club, 3)
    out = StringIO()
    call_command("compliance", "--date", "2020-12-31", "--format", "csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("code,name,province,active_members,older_count,older_share")
    assert lines[1].startswith("HG-002,")
    out = StringIO()
    call_command("compliance", "--date", "2020-12-31", stdout=out)
    assert "Toàn quốc: 1 CLB, 1 tỉnh, 3 thành viên" in out.getvalue()


def test_shares_are_stored_as_exact_fractions():
    older = criterion("2016-2017", "older")
    assert older.min_share == Decimal("0.7000") and older.age_threshold == 55
    assert criterion("2021-2025", "older").age_threshold == 60
    assert criterion("2021-2025", "size").min_count == 50


def test_gap_reason_in_english_uses_singular_and_plural():
    from django.utils import translation

    with translation.override("en"):
        result = evaluate_criterion(criterion("2018-2020", "women"), counts(50, women=29), D)
        assert result.gap.reason == "Needs 3 more women or 2 fewer men"
        # 5 of 9 is 55.6%: 6 of 10 is 60% (1 more woman), 5 of 8 is 62.5% (1 fewer man).
        result = evaluate_criterion(criterion("2018-2020", "women"), counts(9, women=5), D)
        assert (result.gap.more, result.gap.fewer) == (1, 1)
        assert result.gap.reason == "Needs 1 more woman or 1 fewer man"


def test_a_gap_read_later_keeps_the_language_it_was_computed_in_and_pickles_as_a_gap():
    import pickle

    from django.utils import translation

    from reporting.results import Gap

    with translation.override("en"):
        result = evaluate_criterion(criterion("2018-2020", "women"), counts(50, women=29), D)
    # read after the English block ended: still English, as when it was computed
    assert result.gap.reason == "Needs 3 more women or 2 fewer men"
    assert pickle.loads(pickle.dumps(result.gap)) == Gap(3, 2, "Needs 3 more women or 2 fewer men")
    assert type(pickle.loads(pickle.dumps(result.gap))) is Gap


def test_trained_and_monitored_share_agrees_with_the_criterion(make):
    # Two clubs trained and monitored; one of them has no active member, so it fails the
    # criterion ("no active members") and must not count towards the 80% indicator either.
    with_members = make.club(founded_on=FOUNDED)
    add_members(with_members, 10)
    empty = make.club(founded_on=FOUNDED)
    make.training([with_members, empty], datetime.date(2019, 5, 1))
    make.visit(with_members, datetime.date(2020, 1, 15))
    make.visit(empty, datetime.date(2020, 1, 15))
    report = compute(D)
    target = next(t for t in report.targets if t.code == "trained_monitored")
    assert (target.numerator, target.denominator) == (1, 2)
    assert report.national.trained_and_monitored_clubs == 1
