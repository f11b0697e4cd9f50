"""The whole flow for two provinces: preview, submit, return with comments, fix, submit again,
accept; who may do what; the era of the period's end."""

import datetime
import json

import pytest
from django.urls import reverse

from members.models import Member
from reporting.models import FigureSnapshot
from submissions import flow
from submissions.models import Action, Status, Step, Submission


def detail(period, code):
    return reverse("submissions:detail", args=[period.pk, code])


def figures(snapshot):
    return json.loads(snapshot.figures)


def test_two_provinces_submit_one_is_returned_fixed_and_accepted(
    client, clubs, q3, province_a, province_b, officer_a, officer_b, board, make
):
    client.force_login(officer_a)
    page = client.get(detail(q3, "08")).content.decode()
    # Preview: the clubs founded in old Hà Giang and in new Tuyên Quang, 3 + 2 members;
    # one member of HG-1 has no household status.
    assert "2 CLB đang hoạt động, 5 thành viên" in page
    assert 'data-testid="warn-status"' in page and "1 thành viên chưa có đánh giá" in page
    # no club was visited: both warned in each phase of the period
    assert "2 CLB chưa được giám sát" in page

    response = client.post(reverse("submissions:submit", args=[q3.pk, "08"]), {"comment": ""})
    assert response.status_code == 302
    submission = Submission.objects.get(period=q3, province=province_a)
    assert submission.status == Status.SUBMITTED
    frozen = submission.snapshots()
    # One submission feeds both phases of 30/09/2025: one snapshot per phase.
    assert [s.phase.code for s in frozen] == ["2021-2025", "2025-2030"]
    for snap in frozen:
        assert snap.kind == FigureSnapshot.Kind.SUBMISSION and snap.scope == "post2025:08"
        assert len(snap.sha256) == 64 and len(snap.code) == 10
        assert figures(snap)["totals"]["clubs"] == 2
        assert figures(snap)["totals"]["members"] == 5
        assert sorted(figures(snap)["clubs"]) == ["HG-1", "TQ-1"]

    # A second click does nothing more.
    client.post(reverse("submissions:submit", args=[q3.pk, "08"]), {"comment": ""})
    assert Step.objects.filter(submission=submission, action=Action.SUBMIT).count() == 1

    client.force_login(officer_b)
    client.post(reverse("submissions:submit", args=[q3.pk, "86"]), {"comment": "Đủ"})
    vl = Submission.objects.get(period=q3, province=province_b)
    assert figures(vl.snapshots()[0])["totals"]["clubs"] == 1

    client.force_login(board)
    response = client.post(
        reverse("submissions:review", args=[q3.pk, "08"]),
        {
            "decision": "return",
            "comment": "Thiếu thành viên",
            "club_1": "HG-1",
            "text_1": "CLB HG-1 thiếu một thành viên đã tham gia năm 2019.",
            "figure_2": "members",
            "text_2": "Số thành viên chưa khớp sổ.",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Status.RETURNED
    client.post(reverse("submissions:review", args=[q3.pk, "86"]), {"decision": "accept"})
    assert Submission.objects.get(pk=vl.pk).status == Status.ACCEPTED

    # The returned province sees the comments on its home page and on the club concerned.
    client.force_login(officer_a)
    home = client.get(reverse("home")).content.decode()
    assert "CLB HG-1 thiếu một thành viên" in home and "Số thành viên chưa khớp sổ." in home
    club_page = client.get(reverse("clubs:detail", args=[clubs["hg"].pk])).content.decode()
    assert "CLB HG-1 thiếu một thành viên" in club_page
    other = client.get(reverse("clubs:detail", args=[clubs["tq"].pk])).content.decode()
    assert "CLB HG-1 thiếu một thành viên" not in other

    # The fix: the missing member (returned, so not locked), then submit again.
    make.member(clubs["hg"], joined_on=datetime.date(2019, 4, 1), status="poor")
    client.post(reverse("submissions:submit", args=[q3.pk, "08"]), {"comment": "Đã bổ sung"})
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert figures(submission.snapshots()[0])["totals"]["members"] == 6

    client.force_login(board)
    client.post(reverse("submissions:review", args=[q3.pk, "08"]), {"decision": "accept"})
    submission.refresh_from_db()
    assert submission.status == Status.ACCEPTED
    assert [s.action for s in submission.steps.all()] == ["submit", "return", "submit", "accept"]
    page = client.get(detail(q3, "08")).content.decode()
    assert page.count("Khớp với dữ liệu hiện tại") == 2
    # The comments of a return no longer show once the province was accepted.
    client.force_login(officer_a)
    assert "CLB HG-1 thiếu" not in client.get(reverse("home")).content.decode()

    # The status page: both accepted; the national figures from the accepted snapshots
    # (2 + 1 clubs, 6 + 2 members) beside the live ones.
    client.force_login(board)
    page = client.get(reverse("submissions:status"), {"period": q3.pk}).content.decode()
    assert page.count('class="badge ok">Đã chấp nhận') == 2
    assert "Không còn khớp" not in page
    status = client.get(reverse("submissions:status"), {"period": q3.pk})
    national = status.context["national"]
    assert [part["phase"].code for part in national] == ["2021-2025", "2025-2030"]
    assert national[0]["rows"][:2] == [("clubs", 3, 3), ("members", 8, 8)]


def test_a_returned_form_with_no_comment_is_refused_and_keeps_the_choice(
    client, clubs, q3, province_a, officer_a, board
):
    flow.submit(q3, province_a, officer_a)
    client.force_login(board)
    response = client.post(
        reverse("submissions:review", args=[q3.pk, "08"]), {"decision": "return"}
    )
    assert response.status_code == 200
    assert "Hãy ghi nhận xét" in response.content.decode()
    assert Submission.objects.get(period=q3, province=province_a).status == Status.SUBMITTED


def test_who_may_do_what(client, clubs, q3, province_a, officer_a, officer_b, board):
    submit_a = reverse("submissions:submit", args=[q3.pk, "08"])
    review_a = reverse("submissions:review", args=[q3.pk, "08"])
    client.force_login(officer_b)  # another province: neither seen nor submitted
    assert client.get(detail(q3, "08")).status_code == 404
    assert client.post(submit_a).status_code == 404
    page = client.get(reverse("submissions:status"), {"period": q3.pk}).content.decode()
    assert "Vĩnh Long" in page and "Tuyên Quang" not in page
    client.force_login(board)  # the board never submits
    assert client.post(submit_a).status_code == 403
    assert "Gửi số liệu</button>" not in client.get(detail(q3, "08")).content.decode()
    flow.submit(q3, province_a, officer_a)
    client.force_login(officer_a)  # an officer never reviews
    assert client.post(review_a, {"decision": "accept"}).status_code == 403
    assert Submission.objects.get(period=q3, province=province_a).status == Status.SUBMITTED


def test_a_period_before_the_reform_is_submitted_by_the_old_province(
    client, clubs, q2, officer_a, make
):
    old_hg = make.province("pre2025", "02")
    client.force_login(officer_a)  # Tuyên Quang's officer reaches old Hà Giang through it
    # old Vĩnh Long (86) went into new Vĩnh Long: not this officer's
    assert client.get(detail(q2, "86")).status_code == 404
    client.post(reverse("submissions:submit", args=[q2.pk, "02"]))
    submission = Submission.objects.get(period=q2, province=old_hg)
    snap = submission.snapshots()[0]
    assert snap.scope == "pre2025:02"
    # only the club founded in old Hà Giang (TQ-1 was founded after the period's end)
    assert sorted(figures(snap)["clubs"]) == ["HG-1"]
    assert figures(snap)["totals"]["members"] == 3


def test_a_period_not_ended_cannot_be_submitted(db, clubs, province_a, officer_a):
    from submissions.models import Period

    future = Period.objects.get(ends_on=datetime.date(2030, 3, 31))
    with pytest.raises(flow.StepRefused):
        flow.submit(future, province_a, officer_a)
    assert not Member.objects.filter(club__code="none").exists()


def test_an_acceptance_of_figures_changed_since_they_were_submitted_is_refused(
    client, clubs, q3, province_a, officer_a, board, make
):
    submission = flow.submit(q3, province_a, officer_a)
    make.member(clubs["hg"], joined_on=datetime.date(2025, 9, 1))  # not locked yet
    client.force_login(board)
    response = client.post(
        reverse("submissions:review", args=[q3.pk, "08"]), {"decision": "accept"}, follow=True
    )
    assert "số liệu đã gửi không còn khớp" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED


def test_the_national_dashboard_counts_the_provinces_statuses(
    client, accepted_tq, clubs, q3, province_b, officer_b, board
):
    flow.submit(q3, province_b, officer_b)
    client.force_login(board)
    page = client.get(reverse("reporting:national"), {"as_of": "15/10/2025"}).content.decode()
    # the latest period ended by 15/10/2025 is Q3/2025: 1 accepted, 1 waiting, 32 not submitted
    assert "Số liệu các tỉnh gửi, Quý 3/2025" in page
    assert "Đã chấp nhận 1 · chờ duyệt 1 · trả lại 0 · chưa gửi 32" in page
    assert f"/submissions/?period={q3.pk}" in page
