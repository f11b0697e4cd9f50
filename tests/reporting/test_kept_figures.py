"""Kept per-club figures (``reporting.figures``): equal to a full recomputation after every kind
of write, fresh after a write, never ahead of a commit, and refreshed only where data changed.

The small dataset (phase 2018-2020, 30/06/2020, old Hà Giang and old Bến Tre): K1 has 10
members (7 women, 8 born 1950, 6 poor, 5 with an improved loan), trained 01/05/2019 and visited
15/01/2020; K2 has 4 members (2 women born 1950, 2 men born 1990), none poor, no loan.
"""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from clubs.models import Club
from members.models import HouseholdAssessment, Member
from reporting.compliance import compute
from reporting.figures import NO_LIFE, Stats, club_counts, needed_ages
from reporting.life_counts import life_counts, life_params
from reporting.models import ClubFigures, Criterion
from reporting.rules import member_counts, training_annotations

pytestmark = pytest.mark.django_db

D = datetime.date(2020, 6, 30)


@pytest.fixture
def clubs(make):
    k1 = make.club(datetime.date(2018, 3, 1), "02", code="K1")
    for i in range(10):
        m = make.member(
            k1,
            sex="female" if i < 7 else "male",
            birth_year=1950 if i < 8 else 1990,
            status="poor" if i < 6 else None,
        )
        if i < 5:
            make.loan(m, datetime.date(2019, 1, 1), "improved", datetime.date(2019, 6, 1))
    make.training([k1], datetime.date(2019, 5, 1))
    make.visit(k1, datetime.date(2020, 1, 15))
    k2 = make.club(datetime.date(2018, 6, 1), "83", code="K2")
    for i in range(4):
        make.member(k2, sex="female" if i < 2 else "male", birth_year=1950 if i < 2 else 1990)
    return {"K1": k1, "K2": k2}


def from_scratch(day=D):
    """Every active club's counts counted from the data, as the engine counted before figures
    were kept (the reference), with their club life by the parameters in force at ``day``."""
    ids = list(Club.objects.filter(Club.active_q(day)).values_list("pk", flat=True))
    counts = member_counts(ids, day, needed_ages())  # every age the phases use
    params = life_params(day)
    lives = life_counts(ids, params) if params else {}
    training = {
        pk: (bool(t), v)
        for pk, t, v in Club.objects.filter(pk__in=ids)
        .annotate(**training_annotations(day))
        .values_list("pk", "trained", "last_visit")
    }
    out = {}
    for pk in ids:
        c = dict(counts.get(pk, {}))
        c["trained"], c["last_visit"] = training[pk]
        c["life"] = params.key if params else ""
        c.update(lives.get(pk, NO_LIFE))
        out[pk] = c
    return out


def kept(day=D):
    counts = club_counts(Club.objects.filter(Club.active_q(day)).values("id"), day)
    return {pk: {k: v for k, v in c.items()} for pk, c in counts.items()}


def test_the_hand_counted_figures(clubs):
    got = kept()
    k1, k2 = got[clubs["K1"].pk], got[clubs["K2"].pk]
    assert (k1["active"], k1["women"], k1["older_55"], k1["poor"], k1["borrowed_improved"]) == (
        10,
        7,
        8,
        6,
        5,
    )
    assert (k1["trained"], k1["last_visit"]) == (True, datetime.date(2020, 1, 15))
    assert (k2["active"], k2["women"], k2["older_55"], k2["poor"], k2["borrowed"]) == (
        4,
        2,
        2,
        0,
        0,
    )


def _check(expected_k1_active=None):
    assert kept() == {pk: {**c} for pk, c in from_scratch().items()} or _diff()
    if expected_k1_active is not None:
        assert kept()[Club.objects.get(code="K1").pk]["active"] == expected_k1_active


def _diff():
    k, s = kept(), from_scratch()
    raise AssertionError(
        {pk: (k.get(pk), s.get(pk)) for pk in set(k) | set(s) if k.get(pk) != s.get(pk)}
    )


def test_kept_figures_equal_a_recount_after_every_kind_of_write(clubs, make, client, admin_user):
    k1, k2 = clubs["K1"], clubs["K2"]
    _check(10)
    # A form: a new member through the member page.
    client.force_login(admin_user)
    client.post(
        f"/members/club/{k1.pk}/new/",
        {"full_name": "Lò Thị Mới", "sex": "female", "birth": "1950", "joined_on": "01/03/2018"},
    )
    _check(11)
    # An import: two members for K2.
    from spreadsheets.services import import_file
    from tests.spreadsheet_files import xlsx

    head = ["Mã CLB", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh", "Ngày tham gia"]
    rows = [
        head,
        ["K2", "Lò Văn A", "Nam", 1950, "Hộ nghèo", "01/07/2018"],
        ["K2", "Lò Văn B", "Nam", 1990, "Không", "01/07/2018"],
    ]
    assert import_file(
        kind="members", content=xlsx(rows), filename="tv.xlsx", user=admin_user
    ).imported
    _check()
    assert kept()[k2.pk]["active"] == 6 and kept()[k2.pk]["poor"] == 1
    # An admin edit: a member's sex changed in the admin.
    m = Member.objects.filter(club=k2, sex="male").first()
    response = client.get(f"/admin/members/member/{m.pk}/change/")
    assert response.status_code == 200
    m.sex = "female"
    m.save()
    _check()
    # A deletion: one of K1's loans; a leaving member.
    k1.members.first().loans.all().delete()
    _check()
    leaver = k1.members.order_by("pk").last()
    leaver.left_on = datetime.date(2020, 1, 1)
    leaver.save()
    _check(10)
    # Anonymisation (the retention command's path): a member's personal data cleared.
    from members.privacy import anonymise

    leaver.refresh_from_db()
    anonymise(leaver)
    _check(10)
    # A bulk path announced with data_changed: an assessment added with bulk_create.
    from common.signals import send_data_changed

    target = k2.members.order_by("pk").first()
    HouseholdAssessment.objects.bulk_create(
        [HouseholdAssessment(member=target, assessed_on=datetime.date(2019, 1, 1), status="poor")]
    )
    send_data_changed(HouseholdAssessment, {k2.pk})
    _check()
    # A criterion edited to a new age: every club's older count at that age.
    Criterion.objects.filter(phase__code="2018-2020", code="older").update(age_threshold=65)
    criterion = Criterion.objects.get(phase__code="2018-2020", code="older")
    criterion.save()
    report = compute(D, phase="2018-2020")
    # Born 1950: 70 at 30/06/2020, older at 65. K1: its 8, and the member added by the form,
    # who is the one who left: 8. K2: its 2 women and Lò Văn A: 3.
    older = {c.code: c.criteria["older"].count for c in report.clubs}
    assert older == {"K1": 8, "K2": 3}


def test_only_the_written_clubs_are_counted_again(clubs, make):
    kept()
    before = Stats.refreshed
    make.member(clubs["K2"])
    with CaptureQueriesContext(connection) as ctx:
        counts = kept()
    assert Stats.refreshed - before == 1  # K2 only
    assert counts[clubs["K2"].pk]["active"] == 5
    assert ClubFigures.objects.filter(as_of=D).count() == 2
    assert len(ctx.captured_queries) <= 12


def test_a_rolled_back_write_leaves_no_mark(clubs, make):
    kept()
    state = clubs["K1"].state.seq
    with pytest.raises(RuntimeError), transaction.atomic():
        make.member(clubs["K1"])
        raise RuntimeError
    clubs["K1"].state.refresh_from_db()
    assert clubs["K1"].state.seq == state
    assert kept()[clubs["K1"].pk]["active"] == 10


@pytest.mark.django_db(transaction=True)
def test_another_connection_sees_the_write_only_after_its_commit(units, make):
    club = make.club(datetime.date(2018, 3, 1), "02", code="C1")
    make.member(club)
    seen = {}

    def read(label):
        try:
            seen[label] = compute(D, phase="2018-2020").national.active_members
        finally:
            connections.close_all()

    reader = threading.Thread(target=read, args=("before",))
    reader.start()
    reader.join()
    with transaction.atomic():
        make.member(club)
        make.member(club)
        reader = threading.Thread(target=read, args=("during",))
        reader.start()
        reader.join(timeout=30)
    reader = threading.Thread(target=read, args=("after",))
    reader.start()
    reader.join()
    # never a new figure before the commit, never an old one after it
    assert seen == {"before": 1, "during": 1, "after": 3}


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (datetime.date(2020, 6, 30), "2018-2020"),  # the old era
        (datetime.date(2026, 6, 30), "2025-2030"),  # the new era
        (datetime.date(2026, 6, 30), "2018-2020"),  # measured at M = 31/12/2020, old era
    ],
)
def test_the_national_sum_of_province_parts_is_the_whole(clubs, make, day, phase):
    from reporting.models import Phase, ProvinceTarget, Target
    from reporting.national import national_report
    from reporting.series import quarterly_series

    # A third province (old Hà Nội → Hà Nội), a new-era club, a province target of each era and a
    # coverage target, so that every kind of measure is summed.
    k3 = make.club(datetime.date(2019, 2, 1), "01", code="K3")
    make.member(k3, birth_year=1950)
    make.member(make.club(datetime.date(2025, 9, 1), "08", code="K4"), birth_year=1990)
    tq_old = make.province("pre2025", "02")
    ProvinceTarget.objects.create(phase=Phase.objects.get(code=phase), province=tq_old, clubs=3)
    ProvinceTarget.objects.create(
        phase=Phase.objects.get(code=phase), province=make.province("post2025", "86"), members=9
    )
    Target.objects.create(
        phase=Phase.objects.get(code=phase),
        code="coverage",
        label="Xã/phường có CLB",
        metric="commune_coverage",
        value="0.0001",
    )
    whole = compute(day, phase=phase, details=False)
    summed, series = national_report(day, Phase.objects.get(code=phase))
    assert summed.as_dict() == whole.as_dict()
    assert summed.coverage == whole.coverage
    assert series == quarterly_series(day)
    # and it is not empty: 4 clubs active in 2026, 3 in 2020
    assert whole.national.active_clubs == (3 if day.year == 2020 else 4)


def test_many_rows_at_once_are_kept_the_same_way(clubs, monkeypatch):
    # From COPY_FROM rows on, PostgreSQL takes them by COPY (SQLite by INSERTs): the kept rows
    # equal the recount, and a second pass replaces them in place.
    from reporting import figures

    monkeypatch.setattr(figures, "COPY_FROM", 1)
    assert kept() == from_scratch()
    Criterion.objects.filter(phase__code="2018-2020", code="older").update(age_threshold=65)
    assert kept() == from_scratch() or _diff()
    assert ClubFigures.objects.filter(as_of=D).count() == 2


def test_rows_kept_meanwhile_by_another_process_are_replaced_by_upsert(clubs, monkeypatch):
    # PostgreSQL's COPY meets a row another process kept meanwhile (here: a row it was not
    # told of): nothing is written by COPY, and the same values are then written by upsert.
    from reporting import figures

    monkeypatch.setattr(figures, "COPY_FROM", 1)
    expected = from_scratch()
    assert kept() == expected
    ids = list(expected)
    counters = {pk: -1 for pk in ids}  # stale, so that a read counts them again
    figures.refresh(ids, D, needed_ages(), counters, kept_ids=[])
    assert ClubFigures.objects.filter(as_of=D).count() == 2
    assert set(ClubFigures.objects.filter(as_of=D).values_list("seq", flat=True)) == {-1}
    older = ClubFigures.objects.get(as_of=D, club=clubs["K1"]).older
    assert older == {"55": 8, "60": 8}
    assert kept() == expected


@pytest.mark.django_db(transaction=True)
def test_two_readers_keeping_the_same_rows_at_once_both_get_them(units, clubs, monkeypatch):
    # Two processes' first views of a date at the same moment: both count every club and keep
    # the rows; the second COPY meets the first's rows and writes by upsert instead.
    from reporting import figures

    monkeypatch.setattr(figures, "COPY_FROM", 1)
    expected = from_scratch()
    barrier, got, errors = threading.Barrier(2), [], []

    def read():
        try:
            barrier.wait(timeout=10)
            got.append(kept())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=60)
    assert errors == []
    assert got == [expected, expected]
    assert ClubFigures.objects.filter(as_of=D).count() == 2


def test_keep_figures_leaves_every_province_dashboard_ready(clubs, make, client, board):
    """After the nightly ``keep_figures`` of a date, opening a province's dashboard at that
    date computes nothing (the officers' first views of the day) and shows the hand counts:
    K1 (old Hà Giang, now Tuyên Quang 08) has 10 active members, K2 (old Bến Tre, now Vĩnh
    Long 86) 4."""
    from django.core.management import call_command
    from django.urls import reverse

    from reporting import dashboard

    call_command("keep_figures", "--date", "2026-06-30", stdout=open("/dev/null", "w"))  # noqa: SIM115

    def refuse(*args, **kwargs):
        raise AssertionError("computed again")

    client.force_login(board)
    query = {"as_of": "30/06/2026", "phase": "2025-2030"}
    for code, members in (("08", 10), ("86", 4)):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(dashboard, "compute", refuse)
            response = client.get(reverse("reporting:province", args=[code]), query)
        assert response.status_code == 200
        assert response.context["totals"].active_members == members
