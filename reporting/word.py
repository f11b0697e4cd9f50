"""The Word (.docx) file of a phase report, made with python-docx from the same HTML as the PDF
(``templates/reporting/pdf/``), so both have the same sections, tables and figures; a province
adds its narrative in Word or LibreOffice Writer before signing.

Layout as Decree 30/2020/NĐ-CP, Appendix I asks, like the PDF: A4; margins top and bottom
20 mm, left 30 mm, right 15 mm; Times New Roman (Word and Writer substitute a
metric-compatible face where it is missing), body 13 pt; the page number centred in the
header from page 2 (a different first-page header, left empty); the verification code, when
the report has one, in every page's footer. Charts (SVG) are left out: their figures are in the
tables beside them.

:func:`from_html` reads the report's HTML and returns the .docx bytes.
"""

from __future__ import annotations

import io
import re

import lxml.html
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FONT = "Times New Roman"
BODY_PT = 13
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
#: Top, bottom, left, right (Decree 30/2020/NĐ-CP, Appendix I §I.4).
MARGINS_MM = (20, 20, 30, 15)
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM[2] - MARGINS_MM[3]

_SPACE = re.compile(r"[ \t\r\n]+")  # not U+00A0: the blank of the document number stays

#: Size (pt), bold, italic, upper case of the letterhead's and signature's lines, by class.
LINE_STYLES = {
    "issuer-parent": (12, False, False, True),
    "issuer-name": (12, True, False, True),
    "motto-country": (12, True, False, False),
    "motto-words": (13, True, False, False),
    "doc-number": (13, False, False, False),
    "place-date": (13, False, True, False),
    "gloss": (11, False, True, False),
    "recipients-title": (12, True, True, False),
    "signer-role": (13, True, False, True),
    "signer-hint": (11, False, True, False),
    "signer-name": (13, True, False, False),
}


# The elements that follow w:pBdr in a paragraph's properties and w:tblBorders in a table's
# (ECMA-376 Part 1, §17.3.1.26 and §17.4.60): Word refuses a file with them out of order.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TBLBORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _set_font(run_or_style, size: float | None = None) -> None:
    """Name Times New Roman for every script (Latin, East Asian, complex) of a run or style."""
    font = run_or_style.font
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _add_field(paragraph, code: str) -> None:
    """A field (``PAGE``) whose result Word and Writer compute when they lay out the page."""
    run = paragraph.add_run()
    _set_font(run, BODY_PT)
    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        elif text == code:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {code} "
        else:
            node = OxmlElement("w:t")
            node.text = text
        run._r.append(node)


def _rule(paragraph, width) -> None:
    """A short centred line (a third of ``width``, the cell's): the rule under the issuing
    body and under the motto."""
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = int(
        width / 3
    )
    paragraph.paragraph_format.space_after = Pt(2)
    _set_font(paragraph.add_run(), 2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:top")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(name), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *_AFTER_PBDR)


def _widths(table, widths_mm) -> None:
    """Column widths in millimetres, in the table's grid (read by Writer) and on every cell
    (read by Word)."""
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_margins(table, mm: float) -> None:
    """Left and right cell margins of ``mm`` millimetres (narrow columns of codes and dates)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    table._tbl.tblPr.insert_element_before(margins, *_AFTER_TBLBORDERS[3:])


def _repeat_header(row) -> None:
    """Repeat a table's header row at the top of every page."""
    trpr = row._tr.get_or_add_trPr()
    node = OxmlElement("w:tblHeader")
    node.set(qn("w:val"), "true")
    trpr.append(node)


def _no_split(row) -> None:
    """Keep a table row on one page."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:val"), "nil")
        borders.append(node)
    tblpr.insert_element_before(borders, *_AFTER_TBLBORDERS)


class _Writer:
    def __init__(self, root):
        self.root = root
        self.doc = Document()
        self.lang = root.get("lang") or "vi"
        self._setup()

    # ----------------------------------------------------------------- page and styles

    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        top, bottom, left, right = MARGINS_MM
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.header_distance = section.footer_distance = Mm(10)
        language = {"vi": "vi-VN", "en": "en-GB"}.get(self.lang, self.lang)
        for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Header", "Footer"):
            style = self.doc.styles[name]
            _set_font(style, BODY_PT if name != "Heading 1" else 14)
            style.font.color.rgb = RGBColor(0, 0, 0)
            rpr = style.element.get_or_add_rPr()
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), language)
            rpr.append(lang)
        self.doc.styles["Normal"].paragraph_format.space_after = Pt(3)
        for name in ("Heading 1", "Heading 2", "Heading 3"):
            style = self.doc.styles[name]
            style.font.bold = True
            style.font.italic = name == "Heading 3"
            style.paragraph_format.space_before = Pt(8)
            style.paragraph_format.space_after = Pt(3)
            style.paragraph_format.keep_with_next = True
        # Page numbers from page 2, centred at the top; page 1 has a header of its own, empty.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False  # its own header, empty
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_field(header, "PAGE")
        title = self.root.find(".//title")
        self.doc.core_properties.title = _text(title) if title is not None else ""
        self.doc.core_properties.language = language

    def footer(self, text: str) -> None:
        """Print ``text`` (the verification code) in the footer of every page."""
        section = self.doc.sections[0]
        for footer in (section.footer, section.first_page_footer):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(paragraph.add_run(text), 10)

    # ----------------------------------------------------------------- text

    def runs(
        self, paragraph, element, *, bold=False, italic=False, size=None, upper=False, top=True
    ):
        """Add ``element``'s text to ``paragraph`` as runs, bold inside ``th``, ``strong`` and
        the "met"/"short" marks."""

        def add(text, bold, italic):
            text = _SPACE.sub(" ", text)
            if not text:
                return
            run = paragraph.add_run(text.upper() if upper else text)
            _set_font(run, size)
            run.bold = bold or None
            run.italic = italic or None

        add(element.text or "", bold, italic)
        for child in element:
            if child.tag in ("svg", "script", "style") or not isinstance(child.tag, str):
                add(child.tail or "", bold, italic)
                continue
            classes = _classes(child)
            self.runs(
                paragraph,
                child,
                bold=bold or child.tag in ("strong", "b", "th") or bool(classes & {"met", "short"}),
                italic=italic or child.tag in ("em", "i"),
                size=size,
                upper=upper,
                top=False,
            )
            add(child.tail or "", bold, italic)
        if top:
            _trim(paragraph)

    def paragraph(self, element, container=None, *, align=None, style=None, **fmt):
        container = container or self.doc
        paragraph = container.add_paragraph(style=style)
        if align is not None:
            paragraph.alignment = align
        self.runs(paragraph, element, **fmt)
        return paragraph

    # ----------------------------------------------------------------- blocks

    def block(self, element) -> None:
        tag, classes = element.tag, _classes(element)
        if not isinstance(tag, str) or tag in ("script", "style", "svg"):
            return
        if "margin-strings" in classes:
            code = element.find_class("verification-code")
            if code:
                self.footer(_text(code[0]))
            return
        if "chart-block" in classes:
            return
        if tag == "table" and "letterhead" in classes:
            self.two_columns(element, widths=(0.42, 0.58), align=WD_ALIGN_PARAGRAPH.CENTER)
        elif tag == "table" and "signature" in classes:
            self.two_columns(element, widths=(0.5, 0.5), align=None)
        elif tag == "table":
            self.table(element)
        elif tag == "h1":
            heading = self.paragraph(element, style="Heading 1", align=WD_ALIGN_PARAGRAPH.CENTER)
            heading.paragraph_format.space_before = Pt(12)
        elif tag in ("h2", "h3"):
            self.paragraph(element, style=f"Heading {tag[1]}")
        elif tag == "p" and "subject" in classes:
            self.paragraph(element, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
        elif tag == "p":
            paragraph = self.paragraph(
                element,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                size=11 if "note" in classes else None,
            )
            if "lead" in classes:
                paragraph.paragraph_format.first_line_indent = Mm(10)
            if "note" in classes:  # the key of the table that follows
                paragraph.paragraph_format.keep_with_next = True
        elif tag == "dl":
            for item in element:
                if item.tag == "dt":
                    self.paragraph(item, bold=True).paragraph_format.keep_with_next = True
                elif item.tag == "dd":
                    dd = self.paragraph(item, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
                    dd.paragraph_format.left_indent = Mm(5)
        elif "rule" in classes and tag == "div":
            return
        else:
            for child in element:
                self.block(child)

    def two_columns(self, element, *, widths, align) -> None:
        """The letterhead (issuer | motto) or the signature (recipients | signer): a table
        without borders whose cells hold one paragraph per line."""
        cells = element.findall(".//td")
        table = self.doc.add_table(rows=1, cols=len(cells))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _no_borders(table)
        _widths(table, [TEXT_WIDTH_MM * w for w in widths])
        for cell_html, cell in zip(cells, table.rows[0].cells, strict=True):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            cell_align = align
            if "signer" in _classes(cell_html):
                cell_align = WD_ALIGN_PARAGRAPH.CENTER
            last = None
            for line in cell_html.iter("div"):
                line_classes = _classes(line)
                if "rule" in line_classes:
                    _rule(cell.add_paragraph(), cell.width)
                    continue
                if line.find("div") is not None:
                    continue
                size, bold, italic, upper = next(
                    (LINE_STYLES[c] for c in line_classes if c in LINE_STYLES),
                    (11 if "recipients" in _classes(cell_html) else BODY_PT, False, False, False),
                )
                last = cell.add_paragraph()
                last.alignment = cell_align
                last.paragraph_format.space_after = Pt(0)
                if "signer-hint" in line_classes:
                    last.paragraph_format.space_after = Pt(56)
                self.runs(last, line, bold=bold, italic=italic, size=size, upper=upper)
            if not cell.paragraphs:
                cell.add_paragraph()
        self.doc.add_paragraph()

    def table(self, element) -> None:
        """A data table: header rows (``thead``) repeated on every page, body rows kept
        whole, the total row (``tfoot``) bold at the end; column widths from ``<col>``."""
        head = element.findall("./thead/tr")
        body = element.findall("./tbody/tr") + element.findall("./tr")
        foot = element.findall("./tfoot/tr")
        rows = head + body + foot
        if not rows:
            return
        columns = max(sum(int(c.get("colspan", 1)) for c in row) for row in rows)
        widths = [
            int(m.group(1))
            for col in element.findall("./colgroup/col")
            if (m := re.search(r"\bw(\d+)\b", col.get("class") or ""))
        ]
        if len(widths) != columns:
            widths = [100 // columns] * columns
        small = "small" in _classes(element)
        size = 10 if small else 11
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        table.autofit = False
        _cell_margins(table, 0.6 if small else 1)
        for row_html in rows:
            row = table.add_row()
            _no_split(row)
            if row_html in head:
                _repeat_header(row)
            column = 0
            for cell_html in row_html:
                if not isinstance(cell_html.tag, str):
                    continue
                span = int(cell_html.get("colspan", 1))
                cell = row.cells[column]
                if span > 1:
                    cell = cell.merge(row.cells[column + span - 1])
                paragraph = cell.paragraphs[0]
                classes = _classes(cell_html)
                if "num" in classes:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif "center" in classes or cell_html.tag == "th":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.runs(
                    paragraph,
                    cell_html,
                    bold=cell_html.tag == "th" or row_html in foot or "total" in _classes(row_html),
                    size=size,
                )
                column += span
        _widths(table, [TEXT_WIDTH_MM * w / sum(widths) for w in widths])
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def save(self) -> bytes:
        body = self.root.find("body")
        for child in body if body is not None else self.root:
            self.block(child)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _text(element) -> str:
    return _SPACE.sub(" ", element.text_content()).strip()


def _trim(paragraph) -> None:
    """Strip the spaces left at the start and end of a paragraph's runs."""
    runs = [run for run in paragraph.runs if run.text]
    if runs:
        runs[0].text = runs[0].text.lstrip(" ")
        runs[-1].text = runs[-1].text.rstrip(" ")


def from_html(html: str) -> bytes:
    """The .docx bytes of the report whose HTML is ``html`` (``reporting.pdf.render_html``)."""
    return _Writer(lxml.html.document_fromstring(html)).save()
