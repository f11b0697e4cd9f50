"""The lock on accepted periods, through every write path: forms, imports (the whole file,
the row named), the admin, undoing a batch, bulk paths; what it does not touch; reopenings."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from common.signals import WriteRefused
from loans.models import Loan
from members.models import HouseholdAssessment, Member
from reporting.admin import CriterionInline
from reporting.models import Criterion, Phase
from spreadsheets import batches
from spreadsheets.services import import_file
from submissions import flow
from submissions.models import ReopenedEdit, Status, Submission
from tests.spreadsheet_files import xlsx
from training.models import MonitoringVisit

LOCKED = "Số liệu Quý 3/2025 (đến ngày 30/09/2025) của Tỉnh Tuyên Quang đã được chấp nhận"
HEAD = [
    "Mã CLB",
    "Mã thành viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Hoàn cảnh",
    "Ngày tham gia",
]


def visit(client, club, day):
    return client.post(
        reverse("training:visit_create", args=[club.pk]),
        {"visited_on": day, "monitor": "Cán bộ tỉnh", "notes": ""},
    )


def members_file(rows):
    return xlsx([HEAD, *rows])


def run_import(rows, user):
    return import_file(kind="members", content=members_file(rows), filename="m.xlsx", user=user)


# --------------------------------------------------------------------------- forms


def test_a_form_write_dated_on_or_before_the_period_end_is_refused_as_a_form_error(
    client, accepted_tq, clubs, officer_a
):
    client.force_login(officer_a)
    response = visit(client, clubs["hg"], "30/09/2025")  # the period's last day: inside
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert 'value="30/09/2025"' in response.content.decode()  # what was typed stays
    assert not MonitoringVisit.objects.exists()
    # a record dated after the period's end does not touch it
    assert visit(client, clubs["hg"], "01/10/2025").status_code == 302
    assert MonitoringVisit.objects.get().visited_on == datetime.date(2025, 10, 1)


def test_a_form_edit_of_an_undated_attribute_is_refused(client, accepted_tq, clubs, officer_a):
    man = Member.objects.get(club=clubs["hg"], sex="male")
    client.force_login(officer_a)
    response = client.post(
        reverse("members:edit", args=[man.pk]),
        {
            "full_name": man.full_name,
            "sex": "female",  # the sex counts in the women's figures of every date
            "birth": str(man.birth_year),
            "joined_on": man.joined_on.strftime("%d/%m/%Y"),
            "namesake_checked": "on",
        },
    )
    assert response.status_code == 200 and LOCKED in response.content.decode()
    man.refresh_from_db()
    assert man.sex == "male"
    # a field no figure reads (the phone) goes through
    response = client.post(
        reverse("members:edit", args=[man.pk]),
        {
            "full_name": man.full_name,
            "sex": "male",
            "birth": str(man.birth_year),
            "joined_on": man.joined_on.strftime("%d/%m/%Y"),
            "phone": "0912345678",
            "namesake_checked": "on",
        },
    )
    assert response.status_code == 302
    man.refresh_from_db()
    assert man.phone == "0912345678"


def test_leaving_and_a_loan_dated_in_the_period_are_refused(client, accepted_tq, clubs, officer_a):
    member = Member.objects.filter(club=clubs["hg"]).first()
    client.force_login(officer_a)
    response = client.post(
        reverse("members:leave", args=[member.pk]),
        {"left_on": "15/09/2025", "leave_reason": "moved"},
    )
    assert response.status_code == 200 and LOCKED in response.content.decode()
    response = client.post(
        reverse("loans:create", args=[clubs["hg"].pk]),
        {
            "member": member.pk,
            "kind": "cash",
            "amount_vnd": "2.000.000",
            "disbursed_on": "01/09/2025",
        },
    )
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert not Loan.objects.exists()
    member.refresh_from_db()
    assert member.left_on is None


def test_a_bulk_write_with_no_form_shows_the_message_not_an_error_page(
    client, accepted_tq, clubs, officer_a
):
    """The re-certification writes assessments in bulk; the lock rolls the whole of it back."""
    client.force_login(officer_a)
    url = reverse("members:recertify", args=[clubs["hg"].pk])
    data = {"assessed_on": "20/09/2025"}
    for m in Member.objects.filter(club=clubs["hg"]):
        data[f"status_{m.pk}"] = "poor"
    before = HouseholdAssessment.objects.count()
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert HouseholdAssessment.objects.count() == before


# --------------------------------------------------------------------------- imports


def test_an_import_touching_the_period_is_refused_whole_with_the_row_named(
    accepted_tq, clubs, officer_a
):
    report = run_import(
        [
            ["HG-1", "N1", "Lò Thị Mới", "Nữ", "1950", "Hộ nghèo", "05/10/2025"],  # after: fine
            ["HG-1", "N2", "Lò Thị Cũ", "Nữ", "1951", "Hộ nghèo", "01/09/2025"],  # inside
        ],
        officer_a,
    )
    assert not report.imported
    assert [(e.row, e.reason[: len(LOCKED)]) for e in report.errors] == [(3, LOCKED)]
    assert not Member.objects.filter(code__in=["N1", "N2"]).exists()


def test_an_import_changing_an_undated_attribute_is_refused(accepted_tq, clubs, officer_a):
    man = Member.objects.get(club=clubs["hg"], sex="male")
    man.code = "M1"
    man.save()  # a code is read by no figure: not refused
    report = run_import(
        [["HG-1", "M1", man.full_name, "Nữ", str(man.birth_year), "Không", "01/03/2018"]], officer_a
    )
    assert not report.imported
    assert report.errors[0].row == 2 and LOCKED in report.errors[0].reason
    man.refresh_from_db()
    assert man.sex == "male"


def test_undoing_a_batch_into_an_accepted_period_is_refused(
    clubs, q3, province_a, officer_a, board
):
    report = run_import(
        [["HG-1", "N1", "Lò Thị Mới", "Nữ", "1950", "Hộ nghèo", "01/09/2025"]], officer_a
    )
    assert report.imported
    submission = flow.submit(q3, province_a, officer_a)
    flow.review(submission.pk, board, accept=True)
    with pytest.raises(WriteRefused, match="Quý 3/2025"):
        batches.undo(report.batch.pk, user=officer_a)
    assert Member.objects.filter(code="N1").exists()
    report.batch.refresh_from_db()
    assert not report.batch.is_undone


# --------------------------------------------------------------------------- the admin


def _admin_form(model, instance, data, admin_user):
    request = RequestFactory().post("/")
    request.user = admin_user
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, instance)
    return form_class(data, instance=instance)


def test_the_admin_shows_the_refusal_on_its_form(client, accepted_tq, clubs, admin_user):
    club = clubs["hg"]
    client.force_login(admin_user)
    page = client.get(reverse("admin:clubs_club_change", args=[club.pk]))
    assert page.status_code == 200
    form = _admin_form(
        type(club),
        club,
        {
            "code": club.code,
            "name": club.name,
            "founding_commune": club.founding_commune_id,
            "commune": club.commune_id or "",
            "village": "",
            "founded_on": "01/03/2018",
            "dissolved_on": "20/09/2025",
        },
        admin_user,
    )
    assert not form.is_valid()
    assert LOCKED in " ".join(form.non_field_errors())
    # the admin's delete of a member that existed at the period's end
    member = Member.objects.filter(club=club).first()
    response = client.post(
        reverse("admin:members_member_delete", args=[member.pk]), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert Member.objects.filter(pk=member.pk).exists()


def test_editing_the_criteria_of_a_phase_with_an_accepted_period_is_refused(
    client, accepted_tq, admin_user
):
    criterion = Criterion.objects.filter(phase__code="2025-2030").first()
    request = RequestFactory().post("/")
    request.user = admin_user
    inline = CriterionInline(Phase, admin.site)  # the phase page's criteria rows
    form = inline.get_formset(request, criterion.phase).form(
        {
            **{
                f.name: getattr(criterion, f.attname)
                for f in Criterion._meta.concrete_fields
                if f.editable and not f.primary_key and getattr(criterion, f.attname) is not None
            },
            "phase": criterion.phase_id,
            "label": criterion.label + " (sửa)",
        },
        instance=criterion,
    )
    assert not form.is_valid()
    assert "Tiêu chí và chỉ tiêu của giai đoạn 2025-2030" in " ".join(form.non_field_errors())
    # 2016-2017 has no accepted period: its criteria stay editable
    other = Criterion.objects.filter(phase__code="2016-2017").first()
    other.label = other.label + " "
    other.save()


# --------------------------------------------------------------------------- scope


def test_the_lock_covers_the_province_of_the_era_of_the_period_end_only(
    client, clubs, q2, officer_a, board, make
):
    old_hg = make.province("pre2025", "02")
    submission = flow.submit(q2, old_hg, officer_a)
    flow.review(submission.pk, board, accept=True)
    old_tq_club = make.club(founded_on=datetime.date(2019, 1, 1), province_code="08")
    client.force_login(officer_a)
    response = visit(client, clubs["hg"], "01/05/2025")
    assert "Số liệu Quý 2/2025 (đến ngày 30/06/2025) của Tỉnh Hà Giang" in response.content.decode()
    # a club of old Tuyên Quang, now in the same new province, was not in that submission
    assert visit(client, old_tq_club, "01/05/2025").status_code == 302
    # nor does Q3/2025 of new Tuyên Quang lock anything (not submitted)
    assert visit(client, clubs["hg"], "01/08/2025").status_code == 302


def test_another_province_is_not_locked(client, accepted_tq, clubs, officer_b):
    client.force_login(officer_b)
    assert visit(client, clubs["bt"], "15/09/2025").status_code == 302


# --------------------------------------------------------------------------- reopening


def test_a_reopening_lets_writes_in_until_its_date_then_expires(
    client, accepted_tq, clubs, officer_a, admin_user, monkeypatch, make
):
    today = timezone.localdate()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:submissions_reopening_add"),
        {
            "submission": accepted_tq.pk,
            "until": today.strftime("%d/%m/%Y"),
            "reason": "Sót CLB",
            "edits-TOTAL_FORMS": "0",
            "edits-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.force_login(officer_a)
    assert visit(client, clubs["hg"], "15/09/2025").status_code == 302
    edit = ReopenedEdit.objects.get()
    assert (edit.model, edit.club_id, edit.since) == (
        "training.MonitoringVisit",
        clubs["hg"].pk,
        datetime.date(2025, 9, 15),
    )
    accepted_tq.refresh_from_db()
    assert accepted_tq.status == Status.ACCEPTED and accepted_tq.must_resubmit
    # a visit changes no figure of the snapshot (HG-1 was never trained); a member does
    page = client.get(reverse("submissions:detail", args=[accepted_tq.period.pk, "08"]))
    assert page.content.decode().count("Khớp với dữ liệu hiện tại") == 2
    make.member(clubs["hg"], joined_on=datetime.date(2025, 9, 1), status="poor")
    assert ReopenedEdit.objects.count() == 3  # the member and its assessment, besides the visit
    # the accepted snapshot no longer matches the live data, and says so
    page = client.get(reverse("submissions:detail", args=[accepted_tq.period.pk, "08"]))
    assert page.content.decode().count("Không còn khớp với dữ liệu hiện tại") == 2
    assert "Thành viên: 5 → 6" in page.content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "phải gửi lại" in home

    # the next day the reopening has passed: locked again
    monkeypatch.setattr(timezone, "localdate", lambda *a: today + datetime.timedelta(days=1))
    response = visit(client, clubs["hg"], "16/09/2025")
    assert LOCKED in response.content.decode()
    assert MonitoringVisit.objects.count() == 1
    # the province submits again
    client.post(reverse("submissions:submit", args=[accepted_tq.period.pk, "08"]))
    assert Submission.objects.get(pk=accepted_tq.pk).status == Status.SUBMITTED


def test_dissolving_a_club_and_a_training_session_in_the_period_are_refused(
    client, accepted_tq, clubs, officer_a, province_a
):
    from training.models import TrainingSession

    client.force_login(officer_a)
    response = client.post(
        reverse("clubs:dissolve", args=[clubs["hg"].pk]), {"dissolved_on": "30/09/2025"}
    )
    assert response.status_code == 200 and LOCKED in response.content.decode()
    clubs["hg"].refresh_from_db()
    assert clubs["hg"].dissolved_on is None
    # A session attended by a club of the province: its attendances are refused, and the
    # whole creation with them (the page says why).
    response = client.post(
        reverse("training:create"),
        {
            "code": "TH-KHOA",
            "title": "Lớp trong kỳ đã khoá",
            "held_on": "15/09/2025",
            "level": "provincial",
            "province": province_a.pk,
            "club_codes": "HG-1",
        },
        follow=True,
    )
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert not TrainingSession.objects.filter(code="TH-KHOA").exists()


def test_a_large_import_written_in_bulk_is_refused_whole(accepted_tq, clubs, officer_a):
    """600 rows: on PostgreSQL they are written with COPY (``spreadsheets.bulk``) before the
    rows are checked, and rolled back with the refusal."""
    rows = [
        ["HG-1", f"B{i}", f"Lò Thị Số {i}", "Nữ", "1950", "Hộ nghèo", "05/10/2025"]
        for i in range(599)
    ]
    rows.insert(300, ["HG-1", "B-IN", "Lò Thị Trong Kỳ", "Nữ", "1950", "Hộ nghèo", "29/09/2025"])
    report = run_import(rows, officer_a)
    assert not report.imported
    assert [e.row for e in report.errors] == [302], [(e.row, e.reason) for e in report.errors]
    assert not Member.objects.filter(code__startswith="B").exists()


def test_a_new_club_founded_in_the_period_is_refused(client, accepted_tq, clubs, officer_a, make):
    from clubs.models import Club

    client.force_login(officer_a)
    commune = make.new_commune("08")
    data = {
        "code": "TQ-MOI",
        "name": "CLB Mới Lập",
        "founded_on": "15/09/2025",
        "province": commune.province_id,
        "commune": commune.pk,
    }
    response = client.post(reverse("clubs:create"), data, follow=True)
    assert LOCKED in response.content.decode()
    assert not Club.objects.filter(code="TQ-MOI").exists()
    data["founded_on"] = "01/10/2025"  # after the period's end
    client.post(reverse("clubs:create"), data)
    assert Club.objects.filter(code="TQ-MOI").exists()
