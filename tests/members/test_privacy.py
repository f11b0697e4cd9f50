"""National-ID masking and anonymisation of members who left."""

import datetime
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.template import engines
from django.utils import timezone

from accounts.access import is_masked, mask_national_id
from accounts.models import AuditEvent, RetentionPolicy
from clubs.models import Club
from members.models import Member
from members.privacy import ANONYMISED_NAME, anonymisation_due, anonymise
from reporting.compliance import compute
from tests import factories

pytestmark = pytest.mark.django_db

ID = "001250012345"


# ------------------------------------------------------------------ masking


def test_administrator_sees_the_full_id(admin_user):
    assert mask_national_id(ID, admin_user) == "001250012345"


def test_others_see_the_last_four_digits(officer_a, board):
    assert mask_national_id(ID, officer_a) == "••••••••2345"
    assert mask_national_id(ID, board) == "••••••••2345"


def test_no_user_means_masked_and_empty_stays_empty(officer_a):
    assert mask_national_id(ID) == "••••••••2345"
    assert mask_national_id("", officer_a) == ""


def test_role_admin_without_superuser_sees_the_id(make):
    national_admin = make.user("quantri", role="admin")
    assert mask_national_id(ID, national_admin) == ID


def test_masked_value_is_recognised():
    assert is_masked("••••••••2345")
    assert is_masked(" ••••••••2345 ")
    assert not is_masked(ID)
    assert not is_masked("")
    assert not is_masked("*******12345")


def test_template_filter(officer_a, admin_user):
    template = engines["django"].from_string("{% load members %}{{ id|masked_id:user }}")
    assert template.render({"id": ID, "user": officer_a}) == "••••••••2345"
    assert template.render({"id": ID, "user": admin_user}) == ID


# ------------------------------------------------------------- anonymisation

TODAY = timezone.localdate()


def _counts(report):
    return {
        club.code: {code: (r.count, r.share, r.passed) for code, r in club.criteria.items()}
        for club in report.clubs
    }


@pytest.fixture
def club_with_leaver(make):
    """A 2018 club: 8 women (7 born 1950, one born 20/12/1966) and 2 men; one woman, with
    personal data, left on 31/01/2024."""
    club = make.club(founded_on=datetime.date(2018, 3, 1))
    for _ in range(7):
        make.member(club, sex="female", birth_year=1950, status="poor")
    for _ in range(2):
        make.member(club, sex="male", birth_year=1952)
    leaver = make.member(
        club,
        sex="female",
        birth_year=1966,
        birth_month=12,
        birth_day=20,
        full_name="Trần Thị Rời",
        national_id=ID,
        phone="0912345678",
        status="near_poor",
        left_on=datetime.date(2024, 1, 31),
        leave_reason="moved",
    )
    make.loan(
        leaver, datetime.date(2019, 5, 1), outcome="improved", assessed_on=datetime.date(2020, 5, 1)
    )
    return club, leaver


def test_anonymising_keeps_every_count(club_with_leaver, admin_user):
    club, leaver = club_with_leaver
    clubs = Club.objects.filter(pk=club.pk)
    dates = [TODAY, datetime.date(2024, 1, 31), datetime.date(2020, 6, 30)]
    before = {d: _counts(compute(d, clubs=clubs, with_targets=False)) for d in dates}
    # Hand check at 30/06/2020: 10 active, 8 women, 8 poor or near-poor.
    women = before[datetime.date(2020, 6, 30)][club.code]["women"]
    assert women[0] == 8

    anonymise(leaver, user=admin_user)

    after = {d: _counts(compute(d, clubs=clubs, with_targets=False)) for d in dates}
    assert after == before
    leaver.refresh_from_db()
    assert (leaver.full_name, leaver.national_id, leaver.phone) == (ANONYMISED_NAME, "", "")
    assert (leaver.birth_day, leaver.birth_month, leaver.birth_year) == (None, None, 1966)
    assert leaver.sex == "female" and leaver.left_on == datetime.date(2024, 1, 31)
    assert leaver.assessments.get().status == "near_poor"
    assert leaver.loans.count() == 1


def test_anonymising_scrubs_history_and_admin_log_and_records_it(club_with_leaver, admin_user):
    club, leaver = club_with_leaver
    leaver.phone = "0987654321"
    leaver.save()
    LogEntry.objects.log_actions(
        admin_user.pk, [leaver], CHANGE, change_message="Đổi số điện thoại", single_object=True
    )
    anonymise(leaver, user=admin_user)

    history = list(leaver.history.order_by("history_date"))
    assert len(history) == 3  # created, changed, anonymised
    for version in history:
        assert version.full_name == ANONYMISED_NAME
        assert version.national_id == "" and version.phone == ""
        assert version.birth_month is None
    assert history[-1].history_change_reason == "Ẩn danh hoá"
    assert history[-1].history_user == admin_user
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Member), object_id=str(leaver.pk)
    )
    assert entry.object_repr == ANONYMISED_NAME
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.detail) == (
        admin_user,
        "anonymise",
        f"thành viên #{leaver.pk}",
    )


def test_active_member_cannot_be_anonymised(make):
    member = make.member(make.club())
    with pytest.raises(ValueError):
        anonymise(member)


def test_retention_period_set_by_the_administrator(make):
    club = make.club()
    today = datetime.date(2026, 3, 31)
    old = make.member(club, left_on=datetime.date(2024, 3, 31), leave_reason="moved")
    recent = make.member(club, left_on=datetime.date(2024, 4, 1), leave_reason="moved")
    make.member(club)  # still active
    assert list(anonymisation_due(today)) == []  # no policy: never

    policy = RetentionPolicy.load()
    policy.anonymise_after_months = 24
    policy.save()
    # 24 months before 31/03/2026 is 31/03/2024: left on that day is due, a day later is not.
    assert list(anonymisation_due(today)) == [old]
    anonymise(old)
    assert list(anonymisation_due(today)) == []
    assert recent.pk not in {m.pk for m in anonymisation_due(today)}


def test_command_anonymises_due_members_and_on_request(make):
    club = make.club()
    long_gone = make.member(club, left_on=datetime.date(2019, 1, 1), leave_reason="moved")
    asked = make.member(club, left_on=TODAY, leave_reason="withdrew")
    active = make.member(club)
    # Due when the member left at least 60 months (5 years) ago: 01/01/2019 is, today is not.
    RetentionPolicy.objects.update_or_create(pk=1, defaults={"anonymise_after_months": 60})

    out = StringIO()
    call_command("anonymise_members", stdout=out)
    assert out.getvalue().strip() == "anonymised 1 member(s)"
    long_gone.refresh_from_db()
    assert long_gone.full_name == ANONYMISED_NAME

    call_command("anonymise_members", member=[asked.pk], stdout=StringIO())
    asked.refresh_from_db()
    assert asked.full_name == ANONYMISED_NAME
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("anonymise_members", member=[active.pk], stdout=StringIO())
    active.refresh_from_db()
    assert active.full_name != ANONYMISED_NAME


def test_admin_action_anonymises_only_members_who_left(client, admin_user, make):
    club = make.club()
    left = make.member(club, left_on=datetime.date(2023, 1, 1), leave_reason="died")
    active = make.member(club)
    client.force_login(admin_user)
    response = client.post(
        "/admin/members/member/",
        {"action": "anonymise_selected", "_selected_action": [left.pk, active.pk]},
    )
    assert response.status_code == 302
    left.refresh_from_db()
    active.refresh_from_db()
    assert left.full_name == ANONYMISED_NAME
    assert active.full_name != ANONYMISED_NAME


def test_member_form_masks_the_id_with_the_one_rule(officer_a, admin_user):
    """The member form had a mask of its own ("•" * 8 + last four); it uses the access rule."""
    from members.forms import MemberForm

    club = Club.objects.create(
        code="M1",
        name="CLB thử",
        founded_on=datetime.date(2018, 3, 1),
        founding_commune=factories.whole_old_commune("02"),
    )
    member = Member.objects.create(
        club=club,
        full_name="Lò Thị Dung",
        sex="female",
        birth_year=1950,
        joined_on=datetime.date(2018, 3, 1),
        national_id=ID,
    )
    form = MemberForm(instance=member, user=officer_a, club=club)
    assert form.fields["national_id"].widget.attrs["placeholder"] == mask_national_id(ID)
    assert form.initial["national_id"] == ""
    assert MemberForm(instance=member, user=admin_user, club=club).initial["national_id"] == ID
