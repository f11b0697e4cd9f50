"""Loan imports: money in every UI language, keys, in .xls and .ods files too."""

import datetime

import pytest
import tablib
from django.utils import translation

from loans.models import Loan
from spreadsheets.services import import_file
from tests.spreadsheet_files import xlsx

HEAD = [
    "Mã CLB",
    "Mã thành viên",
    "Hình thức",
    "Số tiền (đồng)",
    "Ngày giải ngân",
    "Kết quả thu nhập",
    "Ngày đánh giá",
]


@pytest.fixture
def member(db, make):
    return make.member(make.club(code="101"), code="A1")


def run(content, filename="loans.xlsx", user=None):
    return import_file(kind="loans", content=content, filename=filename, user=user)


@pytest.mark.parametrize("language", ["vi", "en", None])
def test_money_with_dots_and_dong_sign_in_every_language(member, officer_a, language):
    rows = [
        HEAD,
        ["101", "A1", "Tiền mặt", "1.000.000", "01/04/2018", "Cải thiện", "01/04/2019"],
        ["101", "A1", "Tiền mặt", "1.000.000 đ", "02/04/2018", "", ""],
        ["101", "A1", "Hiện vật", 1500000, "03/04/2018", "", ""],
    ]
    rows[3].append("1 con bê")
    rows[0] = HEAD + ["Hiện vật"]
    for row in rows[1:3]:
        row.append("")
    with translation.override(language):
        report = run(xlsx(rows), user=officer_a)
    assert report.imported, report.errors
    assert list(Loan.objects.order_by("disbursed_on").values_list("amount_vnd", flat=True)) == [
        1_000_000,
        1_000_000,
        1_500_000,
    ]
    assert Loan.objects.get(disbursed_on=datetime.date(2018, 4, 1)).income_outcome == "improved"
    # Without loan codes the key is (member, date, kind, amount): re-import changes nothing.
    assert run(xlsx(rows), user=officer_a).counts["unchanged"] == 3


def test_decimal_money_rejected(member, officer_a):
    rows = [HEAD, ["101", "A1", "Tiền mặt", "1.500.000,5", "01/04/2018", "", ""]]
    report = run(xlsx(rows), user=officer_a)
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (2, "Số tiền (đồng)", "1.500.000,5")
    ]


def _book(fmt, rows):
    data = tablib.Dataset(*rows[1:], headers=rows[0])
    return data.export(fmt)


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_files(member, officer_a, fmt):
    rows = [
        HEAD,
        ["101", "A1", "Tiền mặt", 2000000, "01/04/2018", "", ""],
        ["", "", "", "", "", "", ""],
        ["101", "A1", "Tiền mặt", "2.500.000", "05/04/2018", "Không cải thiện", "05/05/2019"],
    ]
    report = run(_book(fmt, rows), f"loans.{fmt}", user=officer_a)
    assert report.imported, report.errors
    assert [r.row for r in report.rows] == [2, 4]
    assert sorted(Loan.objects.values_list("amount_vnd", flat=True)) == [2_000_000, 2_500_000]


def test_loan_codes_are_the_key_and_outcome_needs_a_date(member, officer_a):
    head = HEAD + ["Mã khoản vay"]
    rows = [head, ["101", "A1", "Tiền mặt", "1.000.000", "01/04/2018", "", "", "V1"]]
    assert run(xlsx(rows), user=officer_a).counts["new"] == 1
    rows[1][3] = "1.200.000"
    assert run(xlsx(rows), user=officer_a).counts["updated"] == 1
    assert Loan.objects.get().amount_vnd == 1_200_000
    rows[1][5] = "Cải thiện"
    report = run(xlsx(rows), user=officer_a)
    assert [e.column for e in report.errors] == ["Ngày đánh giá"]
    assert Loan.objects.get().income_outcome == ""


REPAID_HEAD = ["Mã CLB", "Mã thành viên", "Mã khoản vay", "Hình thức", "Số tiền (đồng)"]
REPAID_HEAD += ["Ngày giải ngân", "Ngày trả xong"]


def test_a_repaid_on_date_in_a_file_repays_what_is_left_in_one_instalment(member, officer_a):
    from loans.models import Repayment

    loan = Loan.objects.create(
        member=member,
        code="V1",
        kind="cash",
        amount_vnd=3_000_000,
        disbursed_on=datetime.date(2020, 1, 1),
    )
    Repayment.objects.create(loan=loan, paid_on=datetime.date(2020, 6, 1), amount_vnd=1_000_000)
    row = ["101", "A1", "V1", "Tiền mặt", "3.000.000", "01/01/2020"]
    # blank: the instalments stay as they are
    assert run(xlsx([REPAID_HEAD, [*row, ""]]), user=officer_a).counts["unchanged"] == 1
    early = run(xlsx([REPAID_HEAD, [*row, "31/05/2020"]]), user=officer_a)
    assert [(e.column, e.reason) for e in early.errors] == [
        ("Ngày trả xong", "Đã có lần trả nợ sau ngày này (01/06/2020).")
    ]
    report = run(xlsx([REPAID_HEAD, [*row, "31/12/2020"]]), user=officer_a)
    assert report.imported, report.errors
    assert list(loan.repayments.values_list("paid_on", "amount_vnd")) == [
        (datetime.date(2020, 6, 1), 1_000_000),
        (datetime.date(2020, 12, 31), 2_000_000),
    ]
    loan.refresh_from_db()
    assert loan.repaid_on == datetime.date(2020, 12, 31)
    # the same file again changes nothing; another date with two instalments is refused
    assert run(xlsx([REPAID_HEAD, [*row, "31/12/2020"]]), user=officer_a).counts["unchanged"] == 1
    moved = run(xlsx([REPAID_HEAD, [*row, "15/12/2020"]]), user=officer_a)
    assert [e.reason for e in moved.errors] == [
        "Khoản vay đã trả nhiều lần: sửa ngày trả ở trang khoản vay."
    ]


def test_a_loan_repaid_in_one_instalment_has_it_moved_by_a_new_date(member, officer_a, make):
    loan = make.loan(
        member, datetime.date(2020, 1, 1), code="V2", repaid_on=datetime.date(2020, 5, 1)
    )
    row = ["101", "A1", "V2", "Tiền mặt", "2.000.000", "01/01/2020", "02/05/2020"]
    report = run(xlsx([REPAID_HEAD, row]), user=officer_a)
    assert report.imported, report.errors
    assert list(loan.repayments.values_list("paid_on", "amount_vnd")) == [
        (datetime.date(2020, 5, 2), 2_000_000)
    ]
    loan.refresh_from_db()
    assert loan.repaid_on == datetime.date(2020, 5, 2)
