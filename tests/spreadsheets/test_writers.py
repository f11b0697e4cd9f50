"""One writer and one formula rule for every export (lists, dashboards, compliance table)."""

import pytest

from spreadsheets.cells import clean_text
from spreadsheets.writers import neutralise, write_csv


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised_and_read_back(start):
    text = f"{start}HYPERLINK(1)"
    assert neutralise(text) == "'" + text
    assert clean_text("'" + text) == text


def test_other_values_are_written_as_they_are():
    assert neutralise("Nguyễn Thị Dung") == "Nguyễn Thị Dung"
    assert neutralise(1500000) == 1500000
    body = write_csv(["Ghi chú"], [["=1+1"], ["\t@x"]]).decode("utf-8-sig")
    assert body.splitlines() == ["Ghi chú", "'=1+1", "'\t@x"]
