"""Database constraints and derived fields of the domain model."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clubs.models import Club, Era
from loans.models import Loan
from members.models import HouseholdAssessment, Member
from training.models import MonitoringVisit

pytestmark = pytest.mark.django_db


def raises_integrity(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_club_in_an_old_commune_that_went_whole_gets_its_new_commune_and_province(make):
    old = make.whole_old_commune("02")  # Hà Giang
    club = make.club(founding_commune=old)
    assert club.commune == old.successions.get().new
    assert club.province.era == Era.POST2025
    assert club.province.short_name == "Tuyên Quang"


def test_club_in_a_split_commune_waits_for_its_commune_but_knows_its_province(make):
    old = make.split_old_commune()
    club = make.club(founding_commune=old, province_code=old.province.code)
    assert club.commune is None
    assert club.province == old.province.successor
    assert Club.objects.awaiting_commune().filter(pk=club.pk).exists()


def test_club_province_in_era_of_a_date(make):
    club = make.club(founded_on=datetime.date(2017, 5, 1), province_code="02")
    assert club.province_in_era(datetime.date(2020, 12, 31)).short_name == "Hà Giang"
    assert club.province_in_era(datetime.date(2026, 1, 1)).short_name == "Tuyên Quang"


def test_club_needs_a_commune():
    raises_integrity(
        lambda: Club.objects.bulk_create(
            [Club(code="X1", name="x", founded_on=datetime.date(2026, 1, 1), province_id=1)]
        )
    )


def test_club_cannot_be_dissolved_before_it_was_founded(make):
    club = make.club(founded_on=datetime.date(2018, 1, 1))
    club.dissolved_on = datetime.date(2017, 12, 31)
    with pytest.raises(ValidationError):
        club.full_clean()
    raises_integrity(club.save)


def test_club_code_is_unique(make):
    make.club(code="HG-1")
    raises_integrity(lambda: make.club(code="HG-1"))


def test_club_name_is_normalised_and_searchable(make):
    decomposed = "CLB thôn Đường Hoà".encode().decode()
    import unicodedata

    club = make.club(name=unicodedata.normalize("NFD", decomposed) + "  ")
    assert club.name == unicodedata.normalize("NFC", "CLB thôn Đường Hoà")
    assert club.search_key == "clb thon duong hoa"


def test_member_code_unique_within_club_but_blank_codes_repeat(make):
    club = make.club()
    make.member(club, code="01")
    make.member(club, code="")
    make.member(club, code="")
    raises_integrity(lambda: make.member(club, code="01"))
    make.member(make.club(), code="01")  # another club may reuse it


def test_member_birth_day_needs_a_month(make):
    club = make.club()
    raises_integrity(lambda: make.member(club, birth_day=5))
    raises_integrity(lambda: make.member(club, birth_month=13))


def test_member_known_only_by_year_is_taken_as_born_on_1_january(make):
    m = make.member(make.club(), birth_year=1960)
    assert m.birth_date == datetime.date(1960, 1, 1)
    assert m.age_on(datetime.date(2014, 12, 31)) == 54
    assert m.age_on(datetime.date(2015, 1, 1)) == 55


def test_member_national_id_is_twelve_digits(make):
    club = make.club()
    make.member(club, national_id="001234567890")
    raises_integrity(lambda: make.member(club, national_id="12345678901"))
    with pytest.raises(ValidationError):
        Member(
            club=club,
            full_name="A",
            sex="female",
            birth_year=1950,
            joined_on=club.founded_on,
            national_id="0012345678ab",
        ).full_clean()


def test_member_cannot_leave_before_joining_and_reason_needs_a_date(make):
    club = make.club()
    raises_integrity(
        lambda: make.member(
            club, joined_on=datetime.date(2019, 1, 1), left_on=datetime.date(2018, 1, 1)
        )
    )
    raises_integrity(lambda: make.member(club, leave_reason="died"))


def test_member_sex_must_be_a_known_value(make):
    raises_integrity(lambda: make.member(make.club(), sex="x"))


def test_one_household_assessment_per_member_per_day(make):
    m = make.member(make.club(), status="poor")
    raises_integrity(
        lambda: HouseholdAssessment.objects.create(member=m, assessed_on=m.joined_on, status="none")
    )


def test_household_status_is_the_latest_assessment_on_or_before_the_date(make):
    m = make.member(make.club(), joined_on=datetime.date(2018, 1, 1), status="poor")
    HouseholdAssessment.objects.create(
        member=m, assessed_on=datetime.date(2020, 6, 1), status="none"
    )
    assert m.household_status_on(datetime.date(2017, 12, 31)) == "none"  # before any
    assert m.household_status_on(datetime.date(2020, 5, 31)) == "poor"
    assert m.household_status_on(datetime.date(2020, 6, 1)) == "none"


def test_loan_constraints(make):
    m = make.member(make.club())
    d = datetime.date(2019, 3, 1)
    raises_integrity(lambda: make.loan(m, d, amount_vnd=0))
    raises_integrity(
        lambda: Loan.objects.create(member=m, kind="in_kind", amount_vnd=5_000_000, disbursed_on=d)
    )
    raises_integrity(lambda: make.loan(m, d, outcome="improved"))  # no assessment date
    raises_integrity(lambda: make.loan(m, d, due_on=datetime.date(2019, 2, 1)))
    raises_integrity(
        lambda: make.loan(m, d, outcome="improved", assessed_on=datetime.date(2019, 2, 1))
    )
    loan = make.loan(
        m,
        d,
        kind="in_kind",
        amount_vnd=12_000_000,
        outcome="improved",
        assessed_on=datetime.date(2020, 3, 1),
    )
    assert loan.item == "1 con bê"


def test_one_monitoring_visit_per_club_per_day(make):
    club = make.club()
    make.visit(club, datetime.date(2019, 1, 1))
    raises_integrity(
        lambda: MonitoringVisit.objects.create(club=club, visited_on=datetime.date(2019, 1, 1))
    )


def test_changes_leave_history(make):
    club = make.club(name="CLB A")
    club.name = "CLB B"
    club.save()
    assert [h.name for h in club.history.order_by("history_date")] == ["CLB A", "CLB B"]
