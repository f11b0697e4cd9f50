"""Session idle timeout, password rules, administrators resetting passwords and deactivating
officers who leave."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_idle_timeout_is_thirty_minutes_renewed_by_every_request(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_session_expires_thirty_minutes_after_the_last_request(client, officer_a):
    client.force_login(officer_a)
    before = timezone.now()
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    expected = before + datetime.timedelta(minutes=30)
    assert abs(session.expire_date - expected) < datetime.timedelta(seconds=10)


def test_idle_session_is_signed_out(client, officer_a):
    client.force_login(officer_a)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_needs_ten_characters(officer_a):
    with pytest.raises(ValidationError):
        validate_password("Tq#8x!vZ2", officer_a)  # 9 characters
    validate_password("Tq#8x!vZ2k", officer_a)  # 10


def test_deactivated_officer_loses_access_at_once(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(pk=officer_a.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # And cannot sign in again.
    again = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert again.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_admin_deactivate_action(client, admin_user, officer_a, officer_b):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [officer_a.pk, admin_user.pk]},
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    admin_user.refresh_from_db()
    officer_b.refresh_from_db()
    assert officer_a.is_active is False
    assert admin_user.is_active is True  # an administrator never locks themself out
    assert officer_b.is_active is True


def test_admin_resets_an_officers_password_and_old_sessions_end(admin_user, officer_a):
    from django.test import Client

    officer = Client()
    officer.force_login(officer_a)
    assert officer.get(reverse("home")).status_code == 200

    admin = Client()
    admin.force_login(admin_user)
    new = "Mat-khau-moi-2025"
    response = admin.post(
        reverse("admin:auth_user_password_change", args=[officer_a.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302
    # The officer's session signed in with the old password ends.
    assert officer.get(reverse("home")).status_code == 302
    # The new password works, the old one does not.
    fresh = Client()
    assert (
        fresh.post(reverse("login"), {"username": "officer_a", "password": PASSWORD}).status_code
        == 200
    )
    assert (
        fresh.post(reverse("login"), {"username": "officer_a", "password": new}).status_code == 302
    )
