"""Security headers on every page: CSP, nosniff, referrer, frames."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [p.strip().split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_login_page_has_strict_policy_and_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no nonce used on this page, none announced
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    # No third-party origin anywhere in the policy.
    everything = " ".join(v for values in csp.values() for v in values)
    assert "http" not in everything and "unsafe" not in everything
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_page_has_the_headers(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.urls("tests.accounts.urls")
def test_script_nonce_is_in_the_policy(client):
    response = client.get("/test/script/")
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert len(nonce) >= 16
    assert directives(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    # A new nonce for every response.
    again = client.get("/test/script/")
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]


def test_admin_page_has_the_policy(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert directives(response)["default-src"] == ["'self'"]
