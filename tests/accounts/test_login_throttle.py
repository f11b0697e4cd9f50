"""Login throttling: 5 failures lock that user name from that address only."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True


def attempt(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_the_name_from_that_address(client, officer_a, officer_b, throttled):
    for _ in range(4):
        assert attempt(client, "officer_a", "wrong-password", "10.0.0.1").status_code == 200
    # Fifth failure: locked, with the Vietnamese lockout page.
    locked = attempt(client, "officer_a", "wrong-password", "10.0.0.1")
    assert locked.status_code == 429
    assert "Tạm khoá đăng nhập" in locked.content.decode()
    # Even the right password is refused now from that address...
    assert attempt(client, "officer_a", PASSWORD, "10.0.0.1").status_code == 429
    # ...but the same officer signs in from another address (shared office networks),
    other = attempt(client.__class__(), "officer_a", PASSWORD, "10.0.0.2")
    assert other.status_code == 302
    # and a colleague signs in from the locked address.
    colleague = attempt(client.__class__(), "officer_b", PASSWORD, "10.0.0.1")
    assert colleague.status_code == 302


def test_four_failures_do_not_lock(client, officer_a, throttled):
    for _ in range(4):
        attempt(client, "officer_a", "wrong-password", "10.0.0.1")
    assert attempt(client, "officer_a", PASSWORD, "10.0.0.1").status_code == 302


def test_settings_key_on_name_and_address_together(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
