"""The blank templates: an example row marked 'Ví dụ', text-formatted code and date columns,
drop-down lists of the labels the import accepts; a template filled in as an officer fills it
imports, its example row skipped."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from loans.models import Loan
from members.models import Member
from spreadsheets.services import import_file

#: Each kind's drop-down lists: header -> the list, written out by hand.
LISTS = {
    "clubs": {},
    "members": {
        "Giới tính": '"Nam,Nữ"',
        "Hoàn cảnh": '"Hộ nghèo,Hộ cận nghèo,Khó khăn,Không"',
        "Lý do rời CLB": '"Chuyển đi,Qua đời,Xin rút,Khác"',
        "Ban Chủ nhiệm": '"Có,Không"',
        "Tình nguyện viên chăm sóc tại nhà": '"Có,Không"',
    },
    "loans": {
        "Hình thức": '"Tiền mặt,Hiện vật"',
        "Kết quả thu nhập": '"Cải thiện,Không cải thiện"',
    },
    "training": {"Loại": '"Tập huấn giảng viên,Tập huấn mẫu,Tập huấn tại tỉnh"'},
    "monitoring": {},
}
#: Each kind's columns that are not text in its template (numbers typed as numbers).
NUMBERS = {
    "clubs": set(),
    "members": set(),
    "loans": {"Năm sinh", "Số tiền (đồng)"},
    "training": {"Số người tham gia"},
    "monitoring": set(),
}


def template(client, user, kind):
    client.force_login(user)
    response = client.get(reverse("spreadsheets:template", args=[kind]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("kind", list(LISTS))
def test_a_template_has_its_lists_text_columns_and_example_row(client, officer_a, kind):
    sheet = template(client, officer_a, kind)["Dữ liệu"]
    headers = [c.value for c in sheet[1]]
    letters = {c.value: c.column_letter for c in sheet[1]}
    assert headers[0] == "STT" and sheet["A2"].value == "Ví dụ"
    assert sheet["A3"].value is None  # the officer's rows start at row 3
    lists = {
        headers[sheet[str(v.sqref).split(":")[0]].column - 1]: (str(v.sqref), v.formula1)
        for v in sheet.data_validations.dataValidation
    }
    assert lists == {h: (f"{letters[h]}2:{letters[h]}1001", f) for h, f in LISTS[kind].items()}
    for header in headers[1:]:
        formats = {sheet[f"{letters[header]}{row}"].number_format for row in (3, 1001)}
        assert formats == ({"General"} if header in NUMBERS[kind] else {"@"}), header
        example = sheet[f"{letters[header]}2"]
        if header in NUMBERS[kind]:
            assert isinstance(example.value, int), header
        else:
            assert example.number_format == "@" and not isinstance(example.value, int), header


def test_the_members_example_row_holds_accepted_values(client, officer_a):
    sheet = template(client, officer_a, "members")["Dữ liệu"]
    example = {h.value: c.value for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert example["Mã thành viên"] == "001" and example["Ngày sinh"] == "03/04/1950"
    assert (example["Giới tính"], example["Hoàn cảnh"]) == ("Nữ", "Hộ nghèo")
    assert (example["Ban Chủ nhiệm"], example["Tình nguyện viên chăm sóc tại nhà"]) == (
        "Có",
        "Không",
    )


def fill(book, rows):
    """``rows`` typed into the data sheet from row 3, as an officer types them (into the
    template's formatted cells: what is typed into a text cell is text)."""
    sheet = book["Dữ liệu"]
    for number, row in enumerate(rows, 3):
        for column, value in enumerate(row, 1):
            sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_members_template_filled_in_imports_without_its_example(make, client, officer_a):
    make.club(code="0101")
    book = template(client, officer_a, "members")
    rows = [
        [1, "0101", "007", "Lò Thị Mai", "Nữ", "03/04/1950", "Hộ cận nghèo", "", "01/03/2018"]
        + ["", "", "Có", "", "001012345678", "0912345678"],
        [2, "0101", "", "Lò Văn Nam", "Nam", "1948", "Không", "", "05/03/2018"]
        + ["", "", "", "x", "", ""],
    ]
    report = import_file(
        kind="members", content=fill(book, rows), filename="tv.xlsx", user=officer_a
    )
    assert report.imported, report.errors
    assert report.examples == [2] and report.unread == []
    assert [(r.row, r.outcome) for r in report.rows] == [(3, "new"), (4, "new")]
    mai = Member.objects.get(full_name="Lò Thị Mai")
    assert (mai.code, mai.birth_date, mai.joined_on) == (
        "007",
        datetime.date(1950, 4, 3),
        datetime.date(2018, 3, 1),
    )
    assert (mai.is_board_member, mai.national_id, mai.phone) == (True, "001012345678", "0912345678")
    assert mai.assessments.get().status == "near_poor"
    nam = Member.objects.get(full_name="Lò Văn Nam")
    assert (nam.sex, nam.birth_year, nam.birth_month, nam.is_home_care_volunteer) == (
        "male",
        1948,
        None,
        True,
    )


def test_a_loans_template_filled_in_imports_without_its_example(make, client, officer_a):
    member = make.member(make.club(code="0101"), code="007", joined_on=datetime.date(2018, 1, 1))
    book = template(client, officer_a, "loans")
    rows = [
        [1, "0101", "007", "", None, "V01", "Hiện vật", 3_000_000, "2 con lợn giống"]
        + ["05/06/2019", "05/06/2020", "", "Cải thiện", "10/07/2020"],
    ]
    report = import_file(kind="loans", content=fill(book, rows), filename="v.xlsx", user=officer_a)
    assert report.imported, report.errors
    assert report.examples == [2]
    loan = Loan.objects.get()
    assert (loan.member, loan.code, loan.kind, loan.amount_vnd, loan.item) == (
        member,
        "V01",
        "in_kind",
        3_000_000,
        "2 con lợn giống",
    )
    assert (loan.disbursed_on, loan.due_on, loan.income_outcome, loan.outcome_assessed_on) == (
        datetime.date(2019, 6, 5),
        datetime.date(2020, 6, 5),
        "improved",
        datetime.date(2020, 7, 10),
    )


@pytest.mark.parametrize("kind", list(LISTS))
def test_a_template_with_only_its_example_imports_nothing(client, officer_a, kind):
    book = template(client, officer_a, kind)
    report = import_file(kind=kind, content=fill(book, []), filename="t.xlsx", user=officer_a)
    assert report.errors == [] and report.rows == []
    assert report.examples == [2]
