"""Reports a reader can verify: the code on every page of the PDF is the code of the figures
kept with the report; ``reports/verify/<code>`` (behind login and the report's scope) says
whether they still match today's data and what changed; a report of the same period rendered
again says whether its figures differ from the first one; the annex .xlsx beside the PDF; the
command that writes the hashed bytes."""

import base64
import datetime
import hashlib
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from reporting.documents import run_document
from reporting.models import FigureSnapshot, ReportDocument
from reporting.tasks import request_document
from tests.factories import PASSWORD
from tests.reporting import pdf_data


@pytest.fixture
def data(db, make):
    return pdf_data.build(make)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def render(province, user=None) -> ReportDocument:
    phase = pdf_data.PHASE
    from reporting.models import Phase

    document, _ = request_document(
        phase=Phase.objects.get(code=phase), as_of=pdf_data.AS_OF, province=province, user=user
    )
    return run_document(document.pk)


def page_texts(content: bytes, tmp_path, layout=True) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    text = subprocess.run(args, capture_output=True, check=True).stdout.decode()
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def test_every_page_prints_the_code_of_the_kept_figures(data, board, tmp_path):
    document = render(data["ha_giang"], board)
    assert document.status == "ready"
    snapshot = document.snapshot
    # The code is the first 10 base32 characters of the SHA-256 of the stored text.
    raw = hashlib.sha256(snapshot.figures.encode()).digest()
    assert snapshot.sha256 == raw.hex()
    assert snapshot.code == base64.b32encode(raw).decode()[:10]
    assert snapshot.kind == "report" and snapshot.created_by == board
    pages = page_texts(bytes(document.content), tmp_path)
    assert len(pages) == document.pages
    for page in pages:
        assert f"Mã xác minh: {snapshot.code}" in page
    # The address of the verification page, on the cover (it may wrap after "reports/").
    assert "reports/" in pages[0] and f"verify/{snapshot.code}" in pages[0]
    # The first report of the period says nothing of an earlier one.
    assert "bản lập đầu tiên" not in " ".join(pages)


def test_verify_page_scope(data, board, officer_a, officer_b, client):
    province_doc = render(data["ha_giang"], board)
    national_doc = render(None, board)
    province_url = reverse("reports:verify", args=[province_doc.snapshot.code])
    national_url = reverse("reports:verify", args=[national_doc.snapshot.code])
    assert client.get(province_url).status_code == 302  # to the login page
    login(client, officer_a)  # new-era Tuyên Quang, which took in Hà Giang
    page = client.get(province_url)
    assert page.status_code == 200
    assert "Số liệu vẫn khớp với dữ liệu hôm nay." in page.content.decode()
    assert client.get(national_url).status_code == 404
    client.logout()
    login(client, officer_b)  # Vĩnh Long: another province
    assert client.get(province_url).status_code == 404
    figures_url = reverse("reports:verify_figures", args=[province_doc.snapshot.code])
    assert client.get(figures_url).status_code == 404
    client.logout()
    login(client, board)
    assert client.get(province_url).status_code == 200
    assert client.get(national_url).status_code == 200
    assert client.get(reverse("reports:verify", args=["AAAAAAAAAA"])).status_code == 404


def test_verify_page_says_what_changed(data, make, board, client):
    document = render(data["ha_giang"], board)
    new = make.club(founded_on=datetime.date(2019, 1, 1), province_code="02", code="HG-N")
    make.member(new, sex="male", birth_year=1990)
    make.member(data["a"], sex="female", birth_year=1950, joined_on=datetime.date(2019, 2, 1))
    login(client, board)
    page = client.get(reverse("reports:verify", args=[document.snapshot.code]))
    html = " ".join(page.content.decode().split())
    assert "Số liệu đã thay đổi kể từ khi chốt." in html
    assert "Thêm 1 CLB:</strong> HG-N" in html
    # Clubs 2 → 3; members 20 → 22 (one in HG-N, one in HG-A); compliant 1 → 0 (HG-A, 8 women
    # of 11 > 70%, now fails women, poor 6/11 and borrowed 5/11).
    row = r'<th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td>'
    assert re.search(row.format("CLB đang hoạt động", 2, 3), html)
    assert re.search(row.format("Thành viên đang sinh hoạt", 20, 22), html)
    assert re.search(row.format("CLB đạt chuẩn", 1, 0), html)
    assert re.search(row.format("Nữ từ 60% đến 70%", 1, 0), html)
    assert "HG-A</td>" in html and "10 → 11" in html


def test_regenerated_report_says_it_differs_from_the_first(data, make, board, client, tmp_path):
    first = render(data["ha_giang"], board)
    # A write that moves the province's data version but not its figures: a new name.
    data["b"].name = "CLB Tỉnh lộ 4 mới"
    data["b"].save()
    same = render(data["ha_giang"], board)
    assert same.pk != first.pk and same.snapshot_id == first.snapshot_id
    code = first.snapshot.code
    words = " ".join(page_texts(bytes(same.content), tmp_path, layout=False))
    assert f"Số liệu khớp với bản lập đầu tiên của kỳ này (mã {code}," in words
    make.member(data["b"], sex="female", birth_year=1950, joined_on=datetime.date(2019, 2, 1))
    again = render(data["ha_giang"], board)
    assert again.snapshot_id != first.snapshot_id
    words = " ".join(page_texts(bytes(again.content), tmp_path, layout=False))
    # HG-B: 11 members; women 6/11, poor 6/11 and borrowed 5/11 fail (it was not compliant
    # already); clubs 2 → 2, members 20 → 21, compliant 1 → 1.
    assert f"Số liệu khác với bản lập đầu tiên của kỳ này (mã {code}," in words
    assert "CLB 2 → 2; thành viên 20 → 21; khoản vay 10 → 10; CLB đạt chuẩn 1 → 1." in words
    login(client, board)
    page = client.get(reverse("reports:verify", args=[again.snapshot.code]))
    html = " ".join(page.content.decode().split())
    assert "So với bản lập đầu tiên của kỳ này" in html
    assert f"Bản đầu tiên: mã {code}" in html
    assert "Số liệu khác:" in html
    # And the first one's page: today's data differ from it in the same way.
    page = client.get(reverse("reports:verify", args=[code]))
    assert "Số liệu đã thay đổi kể từ khi chốt." in page.content.decode()


def test_figures_download_and_command_give_the_hashed_bytes(data, board, client, capfdbinary):
    document = render(data["ha_giang"], board)
    snapshot = document.snapshot
    login(client, board)
    response = client.get(reverse("reports:verify_figures", args=[snapshot.code.lower()]))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == snapshot.sha256
    assert response.content.startswith(b'{"as_of":"2019-06-30","clubs":{"HG-A":{"borrowers":5,')
    call_command("snapshot_figures", snapshot.code)
    out = capfdbinary.readouterr().out
    assert hashlib.sha256(out).hexdigest() == snapshot.sha256


def test_lookup_form_goes_to_the_code(data, board, client):
    document = render(data["ha_giang"], board)
    login(client, board)
    typed = document.snapshot.code.lower()[:5] + " " + document.snapshot.code.lower()[5:]
    response = client.get(reverse("reports:verify_lookup"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:verify", args=[document.snapshot.code])
    assert client.get(reverse("reports:verify_lookup")).status_code == 200


def test_annex_spreadsheet_beside_the_pdf(data, board, officer_b, client):
    document = render(data["ha_giang"], board)
    login(client, board)
    status = client.get(reverse("reports:status", args=[document.pk])).content.decode()
    assert reverse("reports:annex", args=[document.pk]) in status
    assert document.snapshot.code in status
    response = client.get(reverse("reports:annex", args=[document.pk]))
    assert response.status_code == 200
    assert "phu-luc-2018-2020-tinh-02-2019-06-30.xlsx" in response["Content-Disposition"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0][:4] == ["Mã CLB", "Tên CLB", "Ngày thành lập", "Thành viên đang sinh hoạt"]
    by_code = {r[0]: r for r in rows[1:]}
    assert sorted(by_code) == ["HG-A", "HG-B"]
    # HG-B: 10 members, 10 older, 5 women, 6 poor, 5 borrowers; fails women and trained.
    assert by_code["HG-B"][3:8] == [10, 10, 5, 6, 5]
    assert by_code["HG-B"][8:14] == ["Đạt", "Không", "Đạt", "Đạt", "Không", "Không"]
    assert "Cần thêm 3 nữ hoặc bớt 2 nam" in by_code["HG-B"][14]
    assert by_code["HG-A"][14] == ""
    client.logout()
    login(client, officer_b)
    assert client.get(reverse("reports:annex", args=[document.pk])).status_code == 404


def test_a_snapshot_survives_the_check_command(data, board, capsys):
    render(data["ha_giang"], board)
    snapshot = FigureSnapshot.objects.get()
    call_command("snapshot_figures", snapshot.code, "--check")
    assert snapshot.sha256 in capsys.readouterr().out


def test_every_new_page_wants_a_login_and_a_get(data, board, client):
    document = render(data["ha_giang"], board)
    code = document.snapshot.code
    urls = [
        reverse("reports:annex", args=[document.pk]),
        reverse("reports:verify_lookup"),
        reverse("reports:verify", args=[code]),
        reverse("reports:verify_figures", args=[code]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    login(client, board)
    for url in urls:
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 405
