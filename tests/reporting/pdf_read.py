"""Reading a rendered PDF back for the layout tests: word boxes (``pdftotext -bbox``), fonts
(``pdffonts``), document info and XMP metadata (``pdfinfo``). Lengths in PDF points (1/72 in);
``MM`` converts millimetres."""

import re
import subprocess
import zlib
from dataclasses import dataclass

MM = 72 / 25.4
#: A word box of Tinos is this many times its font size high (ascent plus descent).
BOX_PER_PT = 1.107


@dataclass
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> float:
        """The font size, in points, from the box's height."""
        return (self.y1 - self.y0) / BOX_PER_PT


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _write(content: bytes, tmp_path, name="read.pdf"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def words(content: bytes, tmp_path) -> tuple[list[list[Word]], float, float]:
    """The words of each page, and the page width and height."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(_write(content, tmp_path)), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    pages, width, height = [], 0.0, 0.0
    for page in re.split(r"<page ", out)[1:]:
        width, height = (
            float(v) for v in re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups()
        )
        pages.append(
            [
                Word(len(pages) + 1, text, float(a), float(b), float(c), float(d))
                for a, b, c, d, text in re.findall(WORD, page)
            ]
        )
    return pages, width, height


def page_number_boxes(content: bytes, tmp_path, top_margin_mm=20) -> list[Word | None]:
    """Per page, the word printed in the top margin (``None`` when the margin is empty);
    fails if a page has more than one word there."""
    pages, _width, _height = words(content, tmp_path)
    boxes = []
    for page in pages:
        in_margin = [w for w in page if w.y1 <= top_margin_mm * MM]
        assert len(in_margin) <= 1, [w.text for w in in_margin]
        boxes.append(in_margin[0] if in_margin else None)
    return boxes


def font_names(content: bytes, tmp_path) -> list[str]:
    """The embedded fonts' names without their subset tag (``"Tinos-Bold"``)."""
    out = subprocess.run(
        ["pdffonts", str(_write(content, tmp_path))], capture_output=True, check=True
    ).stdout.decode()
    return [line.split()[0].split("+")[-1] for line in out.splitlines()[2:]]


def info(content: bytes, tmp_path, *, meta=False) -> str:
    args = ["pdfinfo", *(["-meta"] if meta else []), str(_write(content, tmp_path))]
    return subprocess.run(args, capture_output=True, check=True).stdout.decode()


def column_text(content: bytes, tmp_path, *, left_mm: float, right_mm: float, page=1) -> str:
    """The words of the letterhead on ``page`` (above the document type) whose boxes lie
    between ``left_mm`` and ``right_mm`` from the paper's left edge, in reading order, joined
    by spaces: one column of the letterhead."""
    pages, _width, _height = words(content, tmp_path)
    # The letterhead ends where the document type begins (the first 14 pt words).
    bottom = min(w.y0 for w in pages[page - 1] if w.size > 13.5)
    inside = [
        w
        for w in pages[page - 1]
        if w.x0 >= left_mm * MM and w.x1 <= right_mm * MM and w.y1 <= bottom
    ]
    inside.sort(key=lambda w: (round(w.y0), w.x0))
    return " ".join(w.text for w in inside)


#: The letterhead's columns (text from 30 mm to 195 mm; the issuer takes 42%).
ISSUER_COLUMN = {"left_mm": 29, "right_mm": 30 + 0.42 * 165 + 1}
MOTTO_COLUMN = {"left_mm": 30 + 0.42 * 165 - 1, "right_mm": 196}


def pdf_lang(content: bytes) -> str:
    """The document catalogue's ``/Lang`` (searched in the file and in its compressed object
    streams); ``""`` when it has none."""
    chunks = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    for chunk in chunks:
        match = re.search(rb"/Lang\s*\(([^)]*)\)", chunk)
        if match:
            return match.group(1).decode()
    return ""
