"""The programme indicator of clubs trained and monitored: one implementation, the phase's
``trained_monitored_share`` target measured at M (the earlier of the as-of date and the phase
end) by the rule of the per-club criterion, shown alike by the dashboards and the PDF reports.

The case: one club of old Hà Giang founded 01/03/2018 (phase 2018-2020) with 10 active
members, trained 01/05/2019 and visited 01/03/2020. As of 30/06/2021 with phase 2018-2020:

- M = 31/12/2020; the monitoring window at M is 01/01/2020 – 31/12/2020, so the visit of
  01/03/2020 counts: 1 of 1 club, 100% against the 80% of the target row: met;
- the per-club criterion is evaluated at D = 30/06/2021, window 01/07/2020 – 30/06/2021: the
  visit does not count, the club fails it (0 of 1 in the quality table).
"""

import datetime
import re
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs.models import Club
from reporting.compliance import compute
from reporting.models import Target
from reporting.pdf import build_context, render_html

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2021, 6, 30)
M = datetime.date(2020, 12, 31)
QUERY = {"as_of": "30/06/2021", "phase": "2018-2020"}
EXPECTED = {
    "clubs": 1,
    "active_clubs": 1,
    "share": Fraction(1),
    "target": Fraction(4, 5),
    "met": True,
    "measured_on": M,
}


@pytest.fixture
def club(make):
    club = make.club(datetime.date(2018, 3, 1), "02", code="TM-1")
    for _ in range(10):
        make.member(club)
    make.training([club], datetime.date(2019, 5, 1))
    make.visit(club, datetime.date(2020, 3, 1))
    return club


def flat(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_dashboard_shows_the_target_at_the_phase_end(client, board, club):
    client.force_login(board)
    response = client.get(reverse("reporting:national"), QUERY)
    assert response.context["trained"] == EXPECTED
    quality = {r["code"]: (r["clubs"], r["share"]) for r in response.context["quality"]}
    assert quality["trained"] == (0, Fraction(0))  # the criterion at D: visit out of window
    card = re.search(
        r'data-indicator="trained">(.*?)</div>\s*</div>', response.content.decode(), re.S
    )
    text = flat(card.group(1))
    assert "100,0%" in text and "1 CLB; chỉ tiêu 80%" in text and "✓ Đạt" in text
    assert "Tính đến 31/12/2020" in text


def test_province_dashboard_measures_its_clubs_alike(client, board, club):
    client.force_login(board)
    response = client.get(reverse("reporting:province", args=["02"]), QUERY)
    assert response.context["trained"] == EXPECTED


def test_pdf_report_shows_the_same_indicator(club):
    context = build_context("2018-2020", AS_OF)
    assert context["trained"] == EXPECTED
    words = flat(render_html(context))
    assert (
        "Tỷ lệ CLB được tập huấn và giám sát: 100,00% (1/1 CLB), so với mục tiêu 80%: đạt" in words
    )
    province = build_context("2018-2020", AS_OF, club.founding_commune.province)
    assert province["trained"] == EXPECTED


def test_dashboard_and_pdf_agree_when_not_met(client, board, club, make):
    # A second club of the phase with members, trained, visited only on 01/12/2019 (before the
    # window at M): 1 of 2 = 50% < 80%.
    other = make.club(datetime.date(2018, 3, 1), "02", code="TM-2")
    make.member(other)
    make.training([other], datetime.date(2019, 5, 1))
    make.visit(other, datetime.date(2019, 12, 1))
    client.force_login(board)
    shown = client.get(reverse("reporting:national"), QUERY).context["trained"]
    expected = {**EXPECTED, "clubs": 1, "active_clubs": 2, "share": Fraction(1, 2), "met": False}
    assert shown == expected
    assert build_context("2018-2020", AS_OF)["trained"] == expected


def test_target_at_m_uses_the_criterion_rule(club, make):
    # Trained and visited in the window at M, but its only member left on 30/11/2020: no
    # active member at M, so it fails the criterion's rule and is not counted (1 of 2).
    empty = make.club(datetime.date(2018, 3, 1), "02", code="TM-3")
    make.member(empty, left_on=datetime.date(2020, 11, 30), leave_reason="moved")
    make.training([empty], datetime.date(2019, 5, 1))
    make.visit(empty, datetime.date(2020, 6, 1))
    report = compute(AS_OF, phase="2018-2020")
    target = report.trained_target
    assert (target.numerator, target.denominator, target.measured_on) == (1, 2, M)
    assert next(t for t in report.targets if t.code == "trained_monitored") is target
    # At M itself the criterion agrees: TM-1 passes, TM-3 fails with "no active members".
    at_m = compute(M, phase="2018-2020")
    assert at_m.national.trained_and_monitored_clubs == 1
    assert at_m.trained_target.numerator == 1


def _visit_queries(day):
    with CaptureQueriesContext(connection) as ctx:
        report = compute(day, phase="2018-2020")
    return report, sum("training_monitoringvisit" in q["sql"] for q in ctx.captured_queries)


def test_the_figure_is_computed_once(club):
    # As of a day in the phase, M is the as-of date: the target takes the clubs' results.
    report, visit_queries = _visit_queries(datetime.date(2020, 6, 30))
    assert visit_queries == 1
    assert report.trained_target.numerator == report.national.trained_and_monitored_clubs == 1
    # After the phase end, the clubs at D and the target at M: one query each.
    _report, visit_queries = _visit_queries(AS_OF)
    assert visit_queries == 2


def test_no_target_row_no_indicator(client, board, club):
    Target.objects.filter(phase__code="2018-2020", metric="trained_monitored_share").delete()
    client.force_login(board)
    response = client.get(reverse("reporting:national"), QUERY)
    assert response.context["trained"] is None
    assert 'data-indicator="trained"' not in response.content.decode()
    context = build_context("2018-2020", AS_OF)
    assert context["trained"] is None
    assert "Tỷ lệ CLB được tập huấn và giám sát:" not in flat(render_html(context))


def test_phase_2021_2025_has_no_trained_target_so_no_indicator(client, board, make):
    # Decision 1336/QĐ-TTg sets no share of trained and monitored clubs.
    make.club(datetime.date(2021, 3, 1), "02")
    client.force_login(board)
    response = client.get(reverse("reporting:national"), {"as_of": "30/06/2022"})
    assert response.context["phase"].code == "2021-2025"
    assert response.context["trained"] is None
    assert Club.objects.count() == 1
