"""The data versions that key every cache: each club's own change counter, digested per scope,
and the counter of writes not tied to clubs."""

import datetime

import pytest

from reporting.cache import bump_unscoped, cache_key, cached, data_version, mark_changed

pytestmark = pytest.mark.django_db


def test_every_save_and_delete_moves_the_version(make):
    v0 = data_version()
    club = make.club()
    v1 = data_version()
    assert v1 != v0
    m = make.member(club)
    v2 = data_version()
    assert v2 != v1
    m.delete()
    assert data_version() not in (v0, v1, v2)
    assert club.state.seq == 3  # created, a member added, a member deleted


def test_bulk_paths_mark_explicitly(make):
    club = make.club()
    v0 = data_version()
    mark_changed([club.pk])
    v1 = data_version()
    assert v1 != v0
    bump_unscoped()
    assert data_version() not in (v0, v1)


def test_no_row_shared_by_every_write(make):
    from reporting.models import DataVersion

    a, b = make.club(province_code="02"), make.club(province_code="83")
    unscoped = DataVersion.objects.filter(pk=1).values_list("unscoped", flat=True).first()
    make.member(a)
    make.member(b)
    assert DataVersion.objects.filter(pk=1).values_list("unscoped", flat=True).first() == (unscoped)
    a.state.refresh_from_db()
    b.state.refresh_from_db()
    assert (a.state.seq, b.state.seq) == (2, 2)


def test_cached_value_is_recomputed_after_a_write(make):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    key = ("test", datetime.date(2020, 1, 1))
    assert cached(key, compute) == 1
    assert cached(key, compute) == 1  # served from the cache
    make.club()
    assert cached(key, compute) == 2  # the write changed the version


def test_a_waiting_process_takes_the_value_another_is_computing(make):
    import threading

    from django.core.cache import cache

    key_parts = ("single-flight", datetime.date(2020, 1, 1))
    key = cache_key(key_parts)
    cache.add(key + ":computing", 1)  # another process is computing this value

    def finish():
        cache.set(key, "computed elsewhere")
        cache.delete(key + ":computing")

    timer = threading.Timer(0.2, finish)
    timer.start()
    calls = []
    value = cached(key_parts, lambda: calls.append(1) or "computed here", wait=5)
    timer.join()
    assert value == "computed elsewhere" and calls == []


def test_a_waiter_computes_when_the_other_process_gave_up(make):
    from django.core.cache import cache

    key_parts = ("single-flight-gave-up", datetime.date(2020, 1, 1))
    key = cache_key(key_parts)
    cache.add(key + ":computing", 1, timeout=1)  # expires: its holder died
    assert cached(key_parts, lambda: "computed here", wait=5) == "computed here"


def test_each_language_has_its_own_cached_figures(make):
    from django.utils import translation

    from reporting.compliance import compute

    club = make.club(founded_on=datetime.date(2018, 3, 1))
    make.member(club, sex="male")
    day = datetime.date(2020, 6, 30)

    def women_reason():
        report = cached(("lang-test", day), lambda: compute(day, with_targets=False))
        return report.clubs[0].criteria["women"]

    with translation.override("vi"):
        vi = women_reason()
    with translation.override("en"):
        en = women_reason()
    # 0 women of 1 against 60%: (0+x)/(1+x) >= 0.6 needs x = 2 (2/3); no man can leave.
    assert (vi.label, vi.gap.reason) == ("Nữ từ 60% đến 70%", "Cần thêm 2 nữ")
    assert (en.label, en.gap.reason) == ("Women 60% to 70%", "Needs 2 more women")


# ------------------------------------------------------------------ versions per province


def _versions(*provinces):
    return [data_version([p.pk]) for p in provinces]


def test_a_write_in_one_province_leaves_the_others_figures_valid(make, province_a, province_b):
    club_a = make.club(province_code="02")  # old Hà Giang: now Tuyên Quang (province A)
    club_b = make.club(province_code="83")  # old Bến Tre: now Vĩnh Long (province B)
    a0, b0 = _versions(province_a, province_b)
    national = data_version()
    member = make.member(club_a, status="poor")
    make.loan(member, datetime.date(2019, 1, 1))
    make.visit(club_a, datetime.date(2019, 2, 1))
    a1, b1 = _versions(province_a, province_b)
    assert a1 != a0 and b1 == b0
    assert data_version() != national
    # Moving the member to a club of B makes both provinces' figures stale.
    member.club = club_b
    member.save()
    a2, b2 = _versions(province_a, province_b)
    assert a2 != a1 and b2 != b1
    # The member is now in B, but A's club lent the loan (A's overdue list shows it): deleting
    # the loan marks both its lending club and its member's club.
    member.loans.all().delete()
    a3, b3 = _versions(province_a, province_b)
    assert a3 != a2 and b3 != b2
    make.visit(club_b, datetime.date(2019, 3, 1))  # a write to B's club alone
    a4, b4 = _versions(province_a, province_b)
    assert a4 == a3 and b4 != b3
    member.delete()
    a5, b5 = _versions(province_a, province_b)
    assert a5 == a4 and b5 != b4


def test_writes_not_tied_to_a_province_make_every_province_stale(make, province_a, province_b):
    from reporting.models import Criterion

    before = _versions(province_a, province_b)
    criterion = Criterion.objects.get(phase__code="2018-2020", code="women")
    criterion.max_share = "0.75"
    criterion.save()
    after = _versions(province_a, province_b)
    assert after[0] != before[0] and after[1] != before[1]
    make.club(province_code="02")  # a new club of A: only A's figures
    assert _versions(province_a, province_b)[1] == after[1]
    assert _versions(province_a, province_b)[0] != after[0]


def test_member_import_makes_only_its_provinces_figures_stale(make, province_a, province_b):
    import io

    from openpyxl import Workbook

    from spreadsheets.services import import_file

    make.club(code="HG-9", province_code="02")
    admin = make.user("importer", role="admin")
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã CLB", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh", "Ngày tham gia"])
    sheet.append(["HG-9", "Lò Thị Mai", "Nữ", 1950, "Hộ nghèo", "01/03/2018"])
    content = io.BytesIO()
    book.save(content)
    a0, b0 = _versions(province_a, province_b)
    report = import_file(kind="members", content=content.getvalue(), filename="tv.xlsx", user=admin)
    assert report.imported
    a1, b1 = _versions(province_a, province_b)
    assert a1 != a0 and b1 == b0


def test_officer_home_is_fresh_after_a_write_in_their_province(client, make, officer_a):
    club = make.club(founded_on=datetime.date(2018, 3, 1), province_code="02")
    make.member(club)
    client.force_login(officer_a)
    assert client.get("/").context["active_members"] == 1
    assert client.get("/").context["active_members"] == 1  # from the cache
    make.member(club)
    assert client.get("/").context["active_members"] == 2
