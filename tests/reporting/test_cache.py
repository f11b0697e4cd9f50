"""The data version that keys every cache (DESIGN §6)."""

import datetime

import pytest

from reporting.cache import bump_data_version, cache_key, cached, data_version

pytestmark = pytest.mark.django_db


def test_every_save_and_delete_bumps_the_version(make):
    v0 = data_version()
    club = make.club()
    v1 = data_version()
    assert v1 > v0
    m = make.member(club)
    v2 = data_version()
    assert v2 > v1
    m.delete()
    assert data_version() > v2


def test_bulk_paths_bump_explicitly():
    v0 = data_version()
    bump_data_version()
    assert data_version() == v0 + 1


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
