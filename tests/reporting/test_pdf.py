"""PDF phase reports: the numbers in the PDF text against hand-computed values (dataset in
``pdf_data``), page numbers and count, exact Vietnamese text, and the local-only fetcher."""

import datetime
import re
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reporting.pdf import ForbiddenFetch, LocalFetcher, render_report
from tests.reporting import pdf_data
from tests.reporting.pdf_read import ISSUER_COLUMN, MOTTO_COLUMN, column_text, page_number_boxes


def pdf_text(content: bytes, tmp_path, first=None, last=None, layout=True) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, check=True).stdout.decode()


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def has_row(text: str, *cells: str) -> bool:
    """A line of the layout text holding ``cells`` in this order, separated by spaces."""
    pattern = r"\s+".join(re.escape(c) for c in cells)
    return any(re.search(pattern, line) for line in text.splitlines())


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def data(db, make):
    return pdf_data.build(make)


def check_page_numbers(content, tmp_path, pages):
    """Arabic page numbers centred in the top margin from page 2, none on page 1."""
    boxes = page_number_boxes(content, tmp_path)
    assert len(boxes) == pages
    assert boxes[0] is None
    for page, box in enumerate(boxes[1:], start=2):
        assert box is not None and box.text == str(page)


ISSUED = datetime.date(2026, 2, 5)


def test_national_report_numbers(data, tmp_path):
    rendered = render_report(pdf_data.PHASE, pdf_data.AS_OF, issued_on=ISSUED)
    text = pdf_text(rendered.content, tmp_path)
    words = flat(text)

    # Letterhead, title, place and date.
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words
    assert "Độc lập - Tự do - Hạnh phúc" in words
    # Dated the day it is issued (zero-padded day and February), the figures' date in the text;
    # issued by a body (the number left blank, to be written in), not by the scheme.
    motto = column_text(rendered.content, tmp_path, **MOTTO_COLUMN)
    assert motto.endswith("Hà Nội, ngày 05 tháng 02 năm 2026")
    assert column_text(rendered.content, tmp_path, **ISSUER_COLUMN) == (
        "TRUNG ƯƠNG HỘI NGƯỜI CAO TUỔI VIỆT NAM BAN ĐIỀU HÀNH ĐỀ ÁN Số: /BC-BĐH"
    )
    assert "ĐỀ ÁN NHÂN RỘNG" not in words
    assert "với số liệu tính đến ngày 30/06/2019" in words
    assert "BÁO CÁO SƠ KẾT" in words  # 30/06/2019 is before the phase ends (31/12/2020)
    assert "1533/QĐ-TTg" in words
    # 3 active clubs (HG-A, HG-B, BT-C) in 2 provinces; 10 + 10 + 4 = 24 members; older (55+):
    # 8 + 10 + 4 = 22.
    assert "cả nước có 3 CLB đang hoạt động ở 2 tỉnh/thành phố, với 24 thành viên" in words
    assert "trong đó 22 người cao tuổi" in words

    # Targets of 2018-2020 at 30/06/2019: 3 of 2.000 clubs (0,15% → 0,2%), 2 of 45 provinces
    # (4,44% → 4,4%), 24 of 100.000 members, 22 of 65.000 older; trained and monitored 2 of 3
    # clubs (HG-A, BT-C) = 66,67% against 80% → reached 83,3%; none met.
    assert has_row(text, "Khoảng 2.000 CLB", "2.000", "3", "0,2%", "Chưa đạt")
    assert has_row(text, "Ít nhất 45 tỉnh/thành phố", "45", "2", "4,4%", "Chưa đạt")
    assert has_row(text, "Ít nhất 100.000 thành viên", "100.000", "24", "0,0%", "Chưa đạt")
    assert has_row(text, "Ít nhất 65.000 người cao tuổi", "65.000", "22", "0,0%", "Chưa đạt")
    assert has_row(text, "80,00%", "66,67%", "83,3%", "Chưa đạt")

    # Criteria: older 3/3; women only HG-A (7/10) → 1/3; poor HG-A, HG-B → 2/3; borrowed
    # HG-A, HG-B → 2/3; trained HG-A, BT-C → 2/3; compliant only HG-A → 1/3.
    assert has_row(text, "Người cao tuổi (từ 55 tuổi) ≥ 70%", "≥ 70%", "3/3", "100,00%")
    assert has_row(text, "Nữ từ 60% đến 70%", "từ 60% đến 70%", "1/3", "33,33%")
    # (The label wraps in its cell at 11 pt: its first line.)
    assert has_row(text, "Được vay vốn và cải thiện thu nhập ≥", "≥ 50%", "2/3", "66,67%")
    assert has_row(text, "Được tập huấn và giám sát", "Có tập huấn; có giám sát", "2/3", "66,67%")
    assert has_row(text, "Đạt tất cả tiêu chí (đạt chuẩn)", "1/3", "33,33%")
    assert "Tỷ lệ CLB được tập huấn và giám sát: 66,67% (2/3 CLB), so với mục tiêu 80%:" in words

    # Provinces: Hà Giang 2 clubs, 20 members, 18 older, 1 compliant (50%), 1 trained (50%);
    # Bến Tre 1 club, 4 members, 4 older, 0 compliant, 1 trained (100%).
    assert has_row(text, "02", "Hà Giang", "2", "20", "18", "1", "50,00%", "1", "50,00%")
    assert has_row(text, "83", "Bến Tre", "1", "4", "4", "0", "0,00%", "1", "100,00%")
    assert has_row(text, "Cả nước", "3", "24", "22", "1", "33,33%", "2", "66,67%")
    # Below their own target: Hà Giang (2 of 5 clubs = 40,0%, 20 of 30 members = 66,7%);
    # Bến Tre met its own (1 of 1, 4 of 4) and is not listed there.
    section = words.split("IV. Các tỉnh/thành phố chưa đạt chỉ tiêu của tỉnh")[1]
    assert "Hà Giang 5 2 40,0% 30 20 66,7%" in section
    assert "Bến Tre" not in section.split("Phụ lục")[0]

    # The annex takes the criteria rows of the phase from the database.
    annex = words.split("Phụ lục: Phương pháp tính")[1]
    assert "Tiêu chí chất lượng của Giai đoạn 2018–2020 (1533/QĐ-TTg)" in annex
    # Criteria named in words, not by their codes; no data version for the reader to decode.
    for code in ("size", "older", "women", "poor", "borrowed", "trained"):
        assert f" {code} " not in f" {words} "
    assert "TC2 Nữ từ 60% đến 70%" in annex
    assert "phiên bản" not in words.lower()

    # Letterhead, sections I–II 2 (the criteria chart goes over), III–IV and the signature 1,
    # annex 1 (criteria, targets and definitions follow the signature).
    assert rendered.pages == pdf_pages(rendered.content, tmp_path) == 4
    check_page_numbers(rendered.content, tmp_path, 4)


def test_province_report_numbers(data, tmp_path):
    rendered = render_report(pdf_data.PHASE, pdf_data.AS_OF, data["ha_giang"], issued_on=ISSUED)
    text = pdf_text(rendered.content, tmp_path)
    words = flat(text)

    # Hà Giang issues today as Tuyên Quang, the province it merged into (01/07/2025): its
    # association of the elderly and steering board, its place name.
    assert column_text(rendered.content, tmp_path, **ISSUER_COLUMN).startswith(
        "HỘI NGƯỜI CAO TUỔI TỈNH TUYÊN QUANG BAN ĐIỀU HÀNH ĐỀ ÁN"
    )
    motto = column_text(rendered.content, tmp_path, **MOTTO_COLUMN)
    assert motto.endswith("Tuyên Quang, ngày 05 tháng 02 năm 2026")
    # HG-A and HG-B: 2 clubs, 20 members, 8 + 10 = 18 older, 1 compliant.
    assert "tỉnh có 2 CLB đang hoạt động với 20 thành viên" in words
    assert "trong đó 18 người cao tuổi; 1 CLB đạt chuẩn" in words
    # Own targets: 5 clubs (2 = 40,0%), 30 members (20 = 66,7%).
    assert has_row(text, "02", "Hà Giang", "5", "2", "40,0%", "30", "20", "66,7%")
    # Criteria over 2 clubs: women 1/2, trained 1/2, compliant 1/2; the others 2/2.
    assert has_row(text, "Nữ từ 60% đến 70%", "từ 60% đến 70%", "1/2", "50,00%")
    assert has_row(text, "Đạt tất cả tiêu chí (đạt chuẩn)", "1/2", "50,00%")
    assert "Tỷ lệ CLB được tập huấn và giám sát: 50,00% (1/2 CLB), so với mục tiêu 80%:" in words
    # All its clubs, and not Bến Tre's, one row each: HG-A passes all five criteria.
    assert has_row(text, "HG-A – CLB Đường Nguyễn Trãi", "01/03/2018", "10", "Đạt")
    # HG-B fails women, 5 of 10 < 60%: ⌈(0,6·10 − 5)/0,4⌉ = 3 more women, or 10 − ⌊5/0,6⌋ = 2
    # fewer men; and trained and monitored (never trained, never visited).
    # Women is TC2 and trained and monitored TC5 (TH: not trained, GS: not monitored).
    assert has_row(text, "HG-B – CLB Tỉnh lộ 4", "01/04/2018", "10", "Không: TC2 5/10 +3 −2; TC5")
    assert "Không: TC2 5/10 +3 −2; TC5 TH, GS" in words
    assert "BT-C" not in words
    assert "IV. CLB chưa đạt chuẩn" not in words  # the reasons in words are in the .xlsx

    # Sections I–II, the club list and the signature, annex.
    assert rendered.pages == pdf_pages(rendered.content, tmp_path) == 4
    check_page_numbers(rendered.content, tmp_path, 4)


def test_vietnamese_text_is_exact(data, tmp_path):
    """Complete fonts: pdftotext gives back the words with their diacritics, NFC."""
    rendered = render_report(pdf_data.PHASE, pdf_data.AS_OF, data["ha_giang"])
    text = pdf_text(rendered.content, tmp_path, layout=False)
    for word in ("Nguyễn", "Đường", "Tỉnh", "đ"):
        assert word in text
    assert "Đường Nguyễn Trãi" in flat(text)
    path = tmp_path / "fonts.pdf"
    path.write_bytes(rendered.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout
    # Only the vendored font, embedded (no fallback to a system font).
    names = [line.split()[0] for line in fonts.decode().splitlines()[2:]]
    assert names and all(name.split("+")[1].startswith("Tinos") for name in names)


def test_fetcher_refuses_remote_and_outside_files(settings):
    fetcher = LocalFetcher()
    with pytest.raises(ForbiddenFetch):
        fetcher.fetch("https://example.org/logo.png")
    with pytest.raises(ForbiddenFetch):
        fetcher.fetch("file:///etc/passwd")
    css = settings.BASE_DIR / "static" / "reporting" / "pdf.css"
    response = fetcher.fetch(css.as_uri())
    assert b"@page" in response.read()
    assert fetcher.fetch("data:text/plain,abc").read() == b"abc"


def test_phase_report_command(data, tmp_path):
    output = tmp_path / "tinh.pdf"
    call_command(
        "phase_report",
        "2018-2020",
        "--province",
        "2",
        "--date",
        "2019-06-30",
        "--output",
        str(output),
        stdout=open(tmp_path / "out.txt", "w"),  # noqa: SIM115
    )
    words = flat(pdf_text(output.read_bytes(), tmp_path))
    assert "tỉnh có 2 CLB đang hoạt động với 20 thành viên" in words
    with pytest.raises(CommandError) as error:
        call_command("phase_report", "2099", "--date", "2019-06-30", "--output", str(output))
    assert error.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("phase_report", "2018-2020", "--date", "30/06/2019", "--output", str(output))
