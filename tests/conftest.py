"""Shared fixtures: the administrative units (loaded once per test database), a cast of users
(an officer of province A, one of province B, a board member, an administrator) and factories.
"""

import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real administrative units once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def units(transactional_db):
    """For transactional tests (which flush the database afterwards): the administrative units,
    the seeded phases and activity kinds, reloaded after an earlier transactional test's flush
    (the data migrations' own functions seed them)."""
    import importlib

    from django.apps import apps

    from activities.models import ActivityKind
    from clubs.models import Province
    from reporting.models import Phase

    if not Province.objects.exists():
        call_command("load_units", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    if not Phase.objects.exists():
        for name in (
            "0002_seed_phases",
            "0007_seed_new_clubs_active",
            "0016_seed_club_life_targets",
        ):
            importlib.import_module(f"reporting.migrations.{name}").seed(apps, None)
    from submissions.models import Period

    if not Period.objects.exists():
        importlib.import_module("submissions.migrations.0002_seed_periods").seed(apps, None)
    if not ActivityKind.objects.exists():
        importlib.import_module("activities.migrations.0003_seed_activity_kinds").seed(apps, None)


@pytest.fixture
def make():
    """The factories module (``make.club(...)``, ``make.member(...)``...)."""
    return factories


@pytest.fixture
def province_a(db):
    """New-era Tuyên Quang (08), which took in old Hà Giang (02)."""
    return factories.province("post2025", "08")


@pytest.fixture
def province_b(db):
    """New-era Vĩnh Long (86), which took in old Bến Tre (83)."""
    return factories.province("post2025", "86")


@pytest.fixture
def officer_a(province_a):
    return factories.user("officer_a", role="officer", provinces=[province_a])


@pytest.fixture
def officer_b(province_b):
    return factories.user("officer_b", role="officer", provinces=[province_b])


@pytest.fixture
def board(db):
    return factories.user("board", role="board")


@pytest.fixture
def admin_user(db):
    return factories.user("admin", role="admin", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (data versions restart when a test's transaction
    rolls back, so a figure cached by an earlier test could otherwise be read back)."""
    from django.core.cache import cache

    cache.clear()
