"""The phase reports as a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix I)
and their formats, read back from the files: fonts, page numbers, margins, tagging and XMP of
the PDF; the Word file's layout and figures; the English report."""

import datetime
import io
import subprocess

import docx
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from weasyprint import HTML

from common import formats
from reporting import word
from reporting.models import ReportIssuer
from reporting.pdf import (
    LocalFetcher,
    _base_url,
    build_context,
    render_html,
    render_pdf,
    render_report,
)
from tests.reporting import pdf_data
from tests.reporting.pdf_read import (
    ISSUER_COLUMN,
    MM,
    MOTTO_COLUMN,
    column_text,
    font_names,
    info,
    page_number_boxes,
    pdf_lang,
    words,
)

ISSUED = datetime.date(2026, 2, 5)
#: Every precomposed Vietnamese letter with a tone or a hat (Unicode block Latin Extended
#: Additional, U+1EA0–U+1EF9), and the others of the alphabet.
VIETNAMESE = " ".join(chr(c) for c in range(0x1EA0, 0x1EFA)) + " Ă ă Â â Đ đ Ê ê Ô ô Ơ ơ Ư ư"


@pytest.fixture
def data(db, make):
    return pdf_data.build(make)


def flat(text):
    return " ".join(text.split())


def pdf_text(content, tmp_path):
    path = tmp_path / "t.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return out.stdout.decode()


def test_every_vietnamese_letter_in_the_one_serif_face(tmp_path):
    """All 90 letters U+1EA0–U+1EF9 in regular, bold and italic: pdffonts lists only Tinos (no
    fallback face) and pdftotext gives every letter back."""
    html = (
        '<html lang="vi"><head><title>t</title><link rel="stylesheet" href="reporting/pdf.css">'
        f"</head><body><p>{VIETNAMESE}</p><p><b>{VIETNAMESE}</b></p><p><i>{VIETNAMESE}</i></p>"
        f"<p><b><i>{VIETNAMESE}</i></b></p></body></html>"
    )
    content = HTML(string=html, base_url=_base_url(), url_fetcher=LocalFetcher()).write_pdf()
    assert sorted(set(font_names(content, tmp_path))) == [
        "Tinos",
        "Tinos-Bold",
        "Tinos-Bold-Italic",
        "Tinos-Italic",
    ]
    text = pdf_text(content, tmp_path)
    for letter in VIETNAMESE.replace(" ", ""):
        assert text.count(letter) == 4, letter


def test_page_numbers_margins_and_body_size(data, tmp_path):
    """Page numbers: Arabic, 13–14 pt, centred over the text (left margin 30 mm, right 15 mm)
    in the top margin, none on page 1. Every other word inside the margins (top and bottom
    20 mm, left 30, right 15); the body text 13 pt."""
    rendered = render_report(pdf_data.PHASE, pdf_data.AS_OF, data["ha_giang"], issued_on=ISSUED)
    pages, width, height = words(rendered.content, tmp_path)
    assert (round(width / MM), round(height / MM)) == (210, 297)
    boxes = page_number_boxes(rendered.content, tmp_path)
    assert len(boxes) == rendered.pages >= 3
    assert boxes[0] is None
    text_centre = (30 + (210 - 15)) / 2 * MM
    for number, box in enumerate(boxes[1:], start=2):
        assert box.text == str(number)
        assert abs((box.x0 + box.x1) / 2 - text_centre) < 1 * MM
        assert 13 <= round(box.size, 1) <= 14
        assert box.y0 >= 5 * MM  # in the margin, not at the paper's edge
    for page in pages:
        # Between the page number's band and the verification code's (bottom margin).
        body = [w for w in page if w.y1 > 20 * MM and w.y0 < height - 20 * MM]
        assert body
        assert min(w.x0 for w in body) >= 30 * MM - 0.5
        assert max(w.x1 for w in body) <= (210 - 15) * MM + 0.5
        assert max(w.y1 for w in body) <= (297 - 20) * MM + 0.5
    # The left margin is 30 mm: the lead paragraph's indented lines start at it.
    assert abs(min(w.x0 for w in pages[0]) - 30 * MM) < 1 * MM
    lead = [w for w in pages[0] if w.text == "Thực"][0]
    assert round(lead.size, 1) == 13


def test_archival_tagged_pdf(data, tmp_path):
    """PDF/A-3a: tagged, its language and title in the file, pdfaid:part 3 in the XMP."""
    rendered = render_report(pdf_data.PHASE, pdf_data.AS_OF, issued_on=ISSUED)
    document_info = info(rendered.content, tmp_path)
    assert "Tagged:          yes" in document_info
    title = "BÁO CÁO SƠ KẾT — Kết quả thực hiện Đề án giai đoạn 2018–2020 trên toàn quốc"
    assert f"Title:           {title}" in document_info
    xmp = info(rendered.content, tmp_path, meta=True)
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="A"' in xmp
    assert f">{title}</rdf:li>" in xmp
    assert pdf_lang(rendered.content) == "vi"


def test_issuer_settings_number_and_date(data, tmp_path):
    """An administrator's issuer row for Tuyên Quang prints on Hà Giang's report (merged into
    it); the number typed when issuing goes before the symbol."""
    ReportIssuer.objects.create(
        province=data["ha_giang"].successor,
        parent_body="HỘI NGƯỜI CAO TUỔI TỈNH TUYÊN QUANG",
        issuing_body="BAN ĐIỀU HÀNH ĐỀ ÁN TỈNH",
        symbol="BC-BĐHT",
        signer_title="PHÓ TRƯỞNG BAN",
        signer_name="Nguyễn Thị Hoa",
        place="Tuyên Quang",
    )
    rendered = render_report(
        pdf_data.PHASE, pdf_data.AS_OF, data["ha_giang"], number="15", issued_on=ISSUED
    )
    text = flat(pdf_text(rendered.content, tmp_path))
    issuer = column_text(rendered.content, tmp_path, **ISSUER_COLUMN)
    assert issuer == "HỘI NGƯỜI CAO TUỔI TỈNH TUYÊN QUANG BAN ĐIỀU HÀNH ĐỀ ÁN TỈNH Số: 15/BC-BĐHT"
    motto = column_text(rendered.content, tmp_path, **MOTTO_COLUMN)
    assert motto.endswith("Tuyên Quang, ngày 05 tháng 02 năm 2026")
    assert "PHÓ TRƯỞNG BAN" in text and "Nguyễn Thị Hoa" in text
    # The national report keeps the national defaults.
    national = render_report(pdf_data.PHASE, pdf_data.AS_OF).content
    assert column_text(national, tmp_path, **ISSUER_COLUMN) == (
        "TRUNG ƯƠNG HỘI NGƯỜI CAO TUỔI VIỆT NAM BAN ĐIỀU HÀNH ĐỀ ÁN Số: /BC-BĐH"
    )
    assert "TRƯỞNG BAN" in flat(pdf_text(national, tmp_path))


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (datetime.date(2026, 2, 5), "Tuyên Quang, ngày 05 tháng 02 năm 2026"),
        (datetime.date(2026, 1, 31), "Tuyên Quang, ngày 31 tháng 01 năm 2026"),
        (datetime.date(2026, 3, 9), "Tuyên Quang, ngày 09 tháng 3 năm 2026"),
        (datetime.date(2026, 12, 10), "Tuyên Quang, ngày 10 tháng 12 năm 2026"),
    ],
)
def test_document_date_pads_days_and_the_first_two_months(day, line):
    assert formats.document_date("Tuyên Quang", day) == line


def test_docx_same_report(data, tmp_path):
    """The Word file: A4 with the decree's margins, Times New Roman 13 pt, page numbers in
    the header but not on page 1; the same club codes and totals as the PDF."""
    rendered = render_report(
        pdf_data.PHASE, pdf_data.AS_OF, data["ha_giang"], docx=True, issued_on=ISSUED
    )
    document = docx.Document(io.BytesIO(rendered.docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 13)
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    paragraphs = flat(" ".join(p.text for p in document.paragraphs))
    club_rows = {row[0].split(" ")[0]: row for row in cells if row[0][:4] in ("HG-A", "HG-B")}
    # HG-A passes everything; HG-B fails women (TC2: 5 of 10, 3 more or 2 fewer) and trained
    # and monitored (TC5: neither): the same rows as the PDF's.
    assert club_rows["HG-A"] == ["HG-A – CLB Đường Nguyễn Trãi", "01/03/2018", "10", "Đạt"]
    assert club_rows["HG-B"] == [
        "HG-B – CLB Tỉnh lộ 4",
        "01/04/2018",
        "10",
        "Không: TC2 5/10 +3 −2; TC5 TH, GS",
    ]
    assert ["", "Đạt tất cả tiêu chí (đạt chuẩn)", "", "1/2", "50,00%"] in cells
    pdf = flat(pdf_text(rendered.content, tmp_path))
    assert "HG-B – CLB Tỉnh lộ 4 01/04/2018 10 Không: TC2 5/10 +3 −2; TC5 TH, GS" in pdf
    assert "tỉnh có 2 CLB đang hoạt động với 20 thành viên" in paragraphs
    for heading in ("I. Kết quả chung", "III. Danh sách CLB", "Phụ lục: Phương pháp tính"):
        assert heading in paragraphs and heading in pdf
    letterhead = flat(" ".join(cells[0]))
    assert "HỘI NGƯỜI CAO TUỔI TỈNH TUYÊN QUANG" in letterhead
    assert "Tuyên Quang, ngày 05 tháng 02 năm 2026" in letterhead
    assert document.core_properties.title.startswith("BÁO CÁO SƠ KẾT")


def test_national_docx_totals(data):
    rendered = render_report(pdf_data.PHASE, pdf_data.AS_OF, docx=True)
    document = docx.Document(io.BytesIO(rendered.docx))
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["", "Cả nước", "3", "24", "22", "1", "33,33%", "2", "66,67%"] in rows
    assert ["02", "Hà Giang", "2", "20", "18", "1", "50,00%", "1", "50,00%"] in rows


def test_english_report(data, tmp_path):
    """The same report in English: headings, tables and reasons translated; the motto, the
    issuing body and the recipients stay in Vietnamese with the English beneath."""
    rendered = render_report(
        pdf_data.PHASE, pdf_data.AS_OF, data["ha_giang"], language="en", issued_on=ISSUED
    )
    text = flat(pdf_text(rendered.content, tmp_path))
    issuer = column_text(rendered.content, tmp_path, **ISSUER_COLUMN)
    motto = column_text(rendered.content, tmp_path, **MOTTO_COLUMN)
    for column, vietnamese, english in (
        (motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
        (motto, "Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
        (issuer, "HỘI NGƯỜI CAO TUỔI TỈNH TUYÊN QUANG", "Association of the Elderly of"),
        (text, "Nơi nhận:", "Recipients:"),
    ):
        assert vietnamese in column and english in column
        assert column.index(vietnamese) < column.index(english)
    assert motto.endswith("Tuyên Quang, 05 February 2026")
    assert "MID-TERM REPORT" in text
    assert "III. Clubs and criteria not met" in text
    assert "No: TC2 5/10 +3 −2; TC5" in text
    assert "Tiêu chí" not in text and "Danh sách" not in text
    assert pdf_lang(rendered.content) == "en"


def test_signer_title_in_english_beneath_the_vietnamese(data, tmp_path):
    """The signer's title typed by an administrator keeps its Vietnamese form in every report;
    English reports print its English line beneath, in the PDF and the .docx alike; without
    an English line typed, none is printed."""
    issuer = ReportIssuer.objects.create(
        province=data["ha_giang"].successor,
        parent_body="HỘI NGƯỜI CAO TUỔI TỈNH TUYÊN QUANG",
        issuing_body="BAN ĐIỀU HÀNH ĐỀ ÁN TỈNH",
        symbol="BC-BĐHT",
        signer_title="PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
        signer_title_en="Standing Deputy Head of the Board",
        signer_name="Nguyễn Thị Hoa",
        place="Tuyên Quang",
    )

    def render(language):
        return render_report(
            pdf_data.PHASE,
            pdf_data.AS_OF,
            data["ha_giang"],
            language=language,
            docx=True,
            issued_on=ISSUED,
        )

    english = render("en")
    text = flat(pdf_text(english.content, tmp_path))
    assert "PHÓ TRƯỞNG BAN THƯỜNG TRỰC Standing Deputy Head of the Board" in text
    document = docx.Document(io.BytesIO(english.docx))
    cells = [c for t in document.tables for r in t.rows for c in r.cells]
    signer = next(c for c in cells if "Nguyễn Thị Hoa" in c.text)
    lines = [p.text.upper() if p.text.isupper() else p.text for p in signer.paragraphs]
    title = lines.index("PHÓ TRƯỞNG BAN THƯỜNG TRỰC")
    assert lines[title + 1] == "Standing Deputy Head of the Board"
    assert signer.paragraphs[title + 1].runs[0].italic

    vietnamese = flat(pdf_text(render("vi").content, tmp_path))
    assert "PHÓ TRƯỞNG BAN THƯỜNG TRỰC" in vietnamese
    assert "Standing Deputy" not in vietnamese

    issuer.signer_title_en = ""
    issuer.save()
    text = flat(pdf_text(render("en").content, tmp_path))
    assert "PHÓ TRƯỞNG BAN THƯỜNG TRỰC" in text and "Head of the Board" not in text


def test_the_default_signer_title_has_its_english_line(data, tmp_path):
    """The national defaults: "TRƯỞNG BAN" with "Head of the Board" beneath in English."""
    text = flat(
        pdf_text(
            render_report(pdf_data.PHASE, pdf_data.AS_OF, language="en", issued_on=ISSUED).content,
            tmp_path,
        )
    )
    assert "TRƯỞNG BAN" in text and "Head of the Board (Signature, full name and seal)" in text
    assert text.index("TRƯỞNG BAN") < text.index("Head of the Board")


def test_verification_code_in_every_page_footer(data, tmp_path):
    """A report whose context carries a verification code prints it in the bottom margin of
    every page, page 1 included, and in the Word file's footers."""
    context = build_context(pdf_data.PHASE, pdf_data.AS_OF, data["ha_giang"], issued_on=ISSUED)
    context["verification_code"] = "K7Q2M9XW4B"
    html = render_html(context)
    rendered = render_pdf(html)
    pages, _width, height = words(rendered.content, tmp_path)
    assert len(pages) >= 3
    for page in pages:
        footer = [w.text for w in page if w.y0 >= height - 20 * MM]
        assert footer[-1] == "K7Q2M9XW4B"
    document = docx.Document(io.BytesIO(word.from_html(html)))
    section = document.sections[0]
    assert "K7Q2M9XW4B" in section.footer.paragraphs[0].text
    assert "K7Q2M9XW4B" in section.first_page_footer.paragraphs[0].text
    # A rendered report carries the code of its frozen figures on every page.
    issued = render_report(pdf_data.PHASE, pdf_data.AS_OF, data["ha_giang"], issued_on=ISSUED)
    pages, _width, height = words(issued.content, tmp_path)
    for page in pages:
        footer = [w.text for w in page if w.y0 >= height - 20 * MM]
        assert footer == ["Mã", "xác", "minh:", issued.snapshot.code]


def test_issuer_rows_one_per_scope_and_new_era_only(data):
    """One national row and one per province; an old-era province is refused."""
    ReportIssuer.objects.create(
        parent_body="A", issuing_body="B", symbol="BC-X", signer_title="T", place="Hà Nội"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportIssuer.objects.create(
            parent_body="C", issuing_body="D", symbol="BC-Y", signer_title="T", place="Hà Nội"
        )
    old = ReportIssuer(
        province=data["ha_giang"],
        parent_body="A",
        issuing_body="B",
        symbol="BC-X",
        signer_title="T",
        place="Hà Giang",
    )
    with pytest.raises(ValidationError) as error:
        old.full_clean()
    assert "province" in error.value.message_dict
    assert ReportIssuer.objects.for_province(None).parent_body == "A"
