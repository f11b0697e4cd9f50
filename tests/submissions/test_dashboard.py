"""The national dashboard's province table: each province's status for the latest period ended
by the as-of date (linking to its submission page), the filter "chỉ số liệu đã chấp nhận" (the
accepted provinces with the figures of their accepted snapshots) and the national totals from
the accepted snapshots beside the live ones."""

import datetime
import re

from django.urls import reverse

from submissions import flow

AS_OF = {"as_of": "15/10/2025", "phase": "2025-2030"}


def table(page):
    """The province table's HTML."""
    return re.search(r'<table class="data sortable" id="province-table">(.*?)</table>', page, re.S)[
        1
    ]


def row(page, code):
    """The province table's row of ``code`` (its HTML)."""
    found = re.search(rf'<tr data-province="{code}">(.*?)</tr>', table(page), re.S)
    assert found, code
    return found.group(1)


def cells(html):
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]


def test_each_province_shows_its_status_with_a_link(
    client, accepted_tq, clubs, q3, province_b, officer_b, board
):
    client.force_login(board)
    page = client.get(reverse("reporting:national"), AS_OF).content.decode()
    tq = row(page, "08")
    assert f'href="/submissions/{q3.pk}/08/"' in tq and "Đã chấp nhận" in tq
    # Vĩnh Long has not submitted and the deadline of Q3/2025 has passed (today is later than
    # 2025): late; an accepted province is never late.
    vl = row(page, "86")
    assert f'href="/submissions/{q3.pk}/86/"' in vl and "Chưa gửi · trễ hạn" in vl
    assert "trễ hạn" not in tq
    assert "Gửi số liệu Quý 3/2025" in page

    # A submission shows at once (the status is not part of the cached figures).
    flow.submit(q3, province_b, officer_b)
    page = client.get(reverse("reporting:national"), AS_OF).content.decode()
    assert "Đã gửi, chờ duyệt" in row(page, "86")
    flow.review(province_b.submissions.get().pk, board, accept=False, comment="Sửa lại")
    page = client.get(reverse("reporting:national"), AS_OF).content.decode()
    assert "Trả lại để sửa · trễ hạn" in row(page, "86")


def test_accepted_only_shows_the_accepted_snapshot_figures(
    client, accepted_tq, clubs, q3, province_b, officer_b, board, make
):
    # After the acceptance, a member joins HG-1 on 01/10/2025 (after the period end: not
    # locked). Live Tuyên Quang: HG-1 4 + TQ-1 2 = 6 members; its snapshot keeps 3 + 2 = 5.
    make.member(clubs["hg"], joined_on=datetime.date(2025, 10, 1), status="poor")
    flow.submit(q3, province_b, officer_b)  # Vĩnh Long waits for review
    client.force_login(board)
    live = client.get(reverse("reporting:national"), AS_OF).content.decode()
    assert cells(row(live, "08"))[1:3] == ["2", "6"]
    assert cells(row(live, "86"))[1:3] == ["1", "2"]

    page = client.get(reverse("reporting:national"), {**AS_OF, "accepted": "1"}).content.decode()
    assert 'id="id_accepted" checked' in page
    assert cells(row(page, "08"))[1:3] == ["2", "5"]
    assert re.findall(r'<tr data-province="(\d+)"', table(page)) == ["08"]
    foot = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    assert "Các tỉnh đã chấp nhận" in foot and cells(foot)[1:3] == ["2", "5"]
    # Beside the live totals: accepted snapshots 2 clubs, 5 members; live of the accepted
    # province (Tuyên Quang at 30/09/2025, the period end): 2 clubs, 5 members.
    part = re.search(r'data-testid="national-2025-2030">(.*?)</section>', page, re.S).group(1)
    assert "từ 1 tỉnh đã được chấp nhận" in part
    assert re.findall(r'<td class="num">(\d+)</td>', part)[:4] == ["2", "2", "5", "5"]

    # Without the filter, the live totals of every province at the period end: 3 clubs,
    # 7 members (Vĩnh Long's BT-1 with 2), beside the same accepted 2 and 5.
    part = re.search(r'data-testid="national-2025-2030">(.*?)</section>', live, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', part)[:4] == ["2", "3", "5", "7"]

    # Vĩnh Long accepted: it joins the filtered table at once.
    flow.review(province_b.submissions.get().pk, board, accept=True)
    page = client.get(reverse("reporting:national"), {**AS_OF, "accepted": "1"}).content.decode()
    assert cells(row(page, "86"))[1:3] == ["1", "2"]
    foot = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    assert cells(foot)[1:3] == ["3", "7"]


def test_no_accepted_province_says_so(client, clubs, board):
    client.force_login(board)
    page = client.get(reverse("reporting:national"), {**AS_OF, "accepted": "1"}).content.decode()
    assert "Chưa có tỉnh nào được chấp nhận số liệu của kỳ này." in page
    assert "Các tỉnh đã chấp nhận" not in page


def test_without_an_accepted_province_the_live_period_totals_are_not_computed(
    client, clubs, board, monkeypatch
):
    """The accepted-against-live table costs a national computation at the period end per
    phase, paid again after every write: with nothing accepted there is nothing to set the
    live figures beside, and it is neither computed nor shown."""
    from submissions import status

    calls = []
    real = status.national_report
    monkeypatch.setattr(status, "national_report", lambda *a, **k: calls.append(a) or real(*a, **k))
    client.force_login(board)
    page = client.get(reverse("reporting:national"), AS_OF).content.decode()
    assert calls == []
    assert 'data-testid="national-' not in page
