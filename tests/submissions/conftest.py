"""Two provinces and their clubs for the submissions tests: new-era Tuyên Quang (08), with a
club founded in old Hà Giang (02) in 2018 and one founded in a new Tuyên Quang commune on
10/08/2025, and new-era Vĩnh Long (86), with a club founded in old Bến Tre (83) in 2019."""

import datetime

import pytest

from submissions import flow
from submissions.models import Period

Q2 = datetime.date(2025, 6, 30)
Q3 = datetime.date(2025, 9, 30)


@pytest.fixture
def clubs(db, make):
    hg = make.club(founded_on=datetime.date(2018, 3, 1), province_code="02", code="HG-1")
    tq = make.club(founded_on=datetime.date(2025, 8, 10), province_code="08", code="TQ-1")
    bt = make.club(founded_on=datetime.date(2019, 5, 1), province_code="83", code="BT-1")
    for i in range(3):
        make.member(hg, sex="male" if i == 0 else "female", status="poor" if i else None)
    for _i in range(2):
        make.member(tq, status="near_poor")
    for _i in range(2):
        make.member(bt, status="poor")
    return {"hg": hg, "tq": tq, "bt": bt}


@pytest.fixture
def q3(db):
    return Period.objects.get(ends_on=Q3)


@pytest.fixture
def q2(db):
    return Period.objects.get(ends_on=Q2)


@pytest.fixture
def accepted_tq(clubs, q3, province_a, officer_a, board):
    """Tuyên Quang's figures for Q3/2025 submitted and accepted."""
    submission = flow.submit(q3, province_a, officer_a)
    flow.review(submission.pk, board, accept=True)
    return submission
