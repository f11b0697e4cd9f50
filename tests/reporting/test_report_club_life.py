"""The club-life targets of Decision 1336/QĐ-TTg §I.2 in a province report, read back from
the PDF and the .docx made from the same HTML.

D = 15/06/2024 (phase 2021-2025). Old Hà Giang (02) has two active clubs: one that carries
out every activity, is well managed, lends and has both funds (``make_club`` of the club-life
tests), and one with a single member and nothing else. Each target counts 1 club of 2 = 50%:
against 70% the activities target is reached at 50/70 = 71.4% (printed with one decimal),
the funds' at 50/100 = 50.0%; none is met.
"""

import datetime
import io
import subprocess

import docx
import pytest

from reporting.models import CLUB_LIFE_METRICS, Target
from reporting.pdf import render_report
from tests import factories
from tests.reporting.test_club_life import D, make_club

pytestmark = pytest.mark.django_db


@pytest.fixture
def ha_giang():
    make_club()
    bare = factories.club(founded_on=datetime.date(2020, 1, 1))
    factories.member(bare, joined_on=datetime.date(2020, 1, 1))
    return factories.province("pre2025", "02")


def flat(text):
    return " ".join(text.split())


def test_the_province_report_shows_the_club_life_targets(ha_giang, tmp_path):
    rendered = render_report("2021-2025", D, ha_giang, docx=True)
    path = tmp_path / "r.pdf"
    path.write_bytes(rendered.content)
    pdf = flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True).stdout.decode())
    assert "Hoạt động và quỹ của các CLB trong tỉnh, so với chỉ tiêu của giai đoạn" in pdf
    assert (
        "quản lý tốt để có ít nhất 50% thành viên được vay vốn (1/2) 70,00% 50,00% 71,4% Chưa đạt"
        in (pdf)
    )
    assert (
        "100% CLB có quỹ tạo thu nhập do CLB tự quản lý (1/2) 100,00% 50,00% 50,0% Chưa đạt" in pdf
    )
    assert "100% CLB có quỹ hoạt động do CLB tự quản lý (1/2) 100,00% 50,00% 50,0% Chưa đạt" in pdf

    document = docx.Document(io.BytesIO(rendered.docx))
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert [
        "2",
        "100% CLB có quỹ tạo thu nhập do CLB tự quản lý (1/2)",
        "100,00%",
        "50,00%",
        "50,0%",
        "Chưa đạt",
    ] in rows


def test_a_phase_without_club_life_targets_shows_no_such_table(ha_giang, tmp_path):
    Target.objects.filter(phase__code="2021-2025", metric__in=CLUB_LIFE_METRICS).delete()
    rendered = render_report("2021-2025", D, ha_giang)
    path = tmp_path / "r.pdf"
    path.write_bytes(rendered.content)
    pdf = flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True).stdout.decode())
    assert "I. Kết quả chung" in pdf
    assert "Hoạt động và quỹ của các CLB trong tỉnh" not in pdf
