"""The data version that keys every cache (DESIGN §6)."""

import datetime

import pytest

from reporting.cache import bump_data_version, cached, data_version

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
    key = "ishc:" + ":".join(str(p) for p in (*key_parts, data_version()))
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
    key = "ishc:" + ":".join(str(p) for p in (*key_parts, data_version()))
    cache.add(key + ":computing", 1, timeout=1)  # expires: its holder died
    assert cached(key_parts, lambda: "computed here", wait=5) == "computed here"
