"""A loan code is unique within the club whose fund lent (the key for re-importing a loans
file), in the database, in forms and in imports alike; two clubs may use the same code."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from loans.models import Loan
from spreadsheets.services import import_file
from tests import factories
from tests.spreadsheet_files import xlsx

pytestmark = pytest.mark.django_db
D = datetime.date(2018, 4, 1)


def test_database_refuses_a_code_twice_in_one_club():
    club, other = factories.club(code="101"), factories.club(code="102")
    a, b, c = factories.member(club), factories.member(club), factories.member(other)
    factories.loan(a, D, code="V1")
    factories.loan(c, D, code="V1")  # another club: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.bulk_create(
            [Loan(member=b, club=club, code="V1", kind="cash", amount_vnd=1, disbursed_on=D)]
        )
    assert Loan.objects.get(member=c).club == other


def test_a_loan_belongs_to_its_members_club_when_made():
    club = factories.club(code="101")
    loan = factories.loan(factories.member(club), D)
    assert loan.club_id == club.pk


def test_form_names_the_code_taken_in_the_club(client, officer_a, province_a):
    club = factories.club(code="101")
    first, second = factories.member(club), factories.member(club)
    factories.loan(first, D, code="V1")
    client.force_login(officer_a)
    response = client.post(
        reverse("loans:create", args=[club.pk]),
        {
            "member": second.pk,
            "kind": "cash",
            "amount_vnd": "1.000.000",
            "disbursed_on": "01/04/2018",
            "code": "V1",
        },
    )
    assert response.context["form"].errors["code"] == ["Mã khoản vay này đã dùng trong CLB."]
    assert Loan.objects.count() == 1


def test_import_refuses_a_code_of_another_member_of_the_club(officer_a):
    club = factories.club(code="101")
    factories.member(club, code="A1")
    other = factories.member(club, code="A2")
    factories.loan(other, D, code="V1")
    head = ["Mã CLB", "Mã thành viên", "Mã khoản vay", "Hình thức", "Số tiền (đồng)"]
    rows = [head + ["Ngày giải ngân"], ["101", "A1", "V1", "Tiền mặt", "1.000.000", "01/04/2018"]]
    report = import_file(kind="loans", content=xlsx(rows), filename="v.xlsx", user=officer_a)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Mã khoản vay")]
    assert Loan.objects.count() == 1
