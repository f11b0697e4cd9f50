"""No-store on personal-data pages and downloads; the audit log of exports and PDFs; the
national ID never in URLs or logs."""

import logging
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import audit
from accounts.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ID = "079123456789"


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_for_signed_in_users_are_not_stored(client, officer_a, admin_user):
    client.force_login(officer_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200 and no_store(response)
    assert "private" in response["Cache-Control"]
    client.force_login(admin_user)
    assert no_store(client.get(reverse("admin:members_member_changelist")))


@pytest.mark.urls("tests.accounts.urls")
def test_downloads_are_never_stored_even_without_sign_in(client):
    response = client.get("/test/download/")
    assert response["Content-Disposition"].startswith("attachment")
    assert no_store(response)


def test_audit_record_names_who_what_when(rf, officer_a):
    request = rf.get("/")
    request.user = officer_a
    event = audit.record(request, audit.EXPORT, "thành viên CLB T-00001, 48 dòng")
    stored = AuditEvent.objects.get()
    assert stored == event
    assert (stored.user, stored.username, stored.action) == (officer_a, "officer_a", "export")
    assert stored.detail == "thành viên CLB T-00001, 48 dòng"
    assert stored.at is not None
    audit.record(request, audit.PDF, "báo cáo tỉnh 08")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["pdf", "export"]


def test_audit_record_rejects_unknown_action(rf, officer_a):
    request = rf.get("/")
    request.user = officer_a
    with pytest.raises(ValueError):
        audit.record(request, "print")


def test_audit_log_is_read_only_in_the_admin(client, admin_user, officer_a):
    request = RequestFactory().get("/")
    request.user = officer_a
    event = audit.record(request, audit.EXPORT, "CLB T-00002")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:accounts_auditevent_changelist"))
    assert listing.status_code == 200
    assert "CLB T-00002" in listing.content.decode()
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    assert (
        client.get(reverse("admin:accounts_auditevent_delete", args=[event.pk])).status_code == 403
    )
    # The change page only shows the record: a POST changes nothing.
    client.post(
        reverse("admin:accounts_auditevent_change", args=[event.pk]),
        {"username": "x", "action": "pdf", "detail": "y"},
    )
    event.refresh_from_db()
    assert (event.username, event.detail) == ("officer_a", "CLB T-00002")


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_no_url_takes_a_national_id():
    routes = list(_patterns(get_resolver().url_patterns))
    assert len(routes) > 20  # the admin's URLs at least
    words = re.compile(r"national|cccd|cmnd|citizen|identity|id_number|dinh_danh", re.I)
    # A 12-digit route parameter is also refused.
    assert [r for r in routes if words.search(r) or re.search(r"\{12\}", r)] == []


def test_logs_hold_user_names_never_passwords_or_national_ids(client, officer_a, caplog):
    caplog.set_level(logging.INFO, logger="ishc.security")
    client.post(reverse("login"), {"username": "officer_a", "password": "wrong-pass-123"})
    client.post(reverse("login"), {"username": ID, "password": "wrong-pass-456"})
    client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    client.get(f"/khong-co/?q={ID}")
    client.post(reverse("logout"))
    messages = [r.getMessage() for r in caplog.records if r.name == "ishc.security"]
    assert messages[0] == "login failed user=officer_a"
    assert messages[1] == "login failed user=[12 chữ số]"
    assert messages[2] == f"login user_id={officer_a.pk} user=officer_a"
    assert messages[3] == (
        f"access refused status=404 user_id={officer_a.pk} user=officer_a method=GET "
        "path=/khong-co/"
    )
    assert messages[4] == f"logout user_id={officer_a.pk} user=officer_a"
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert ID not in everything
    assert "wrong-pass" not in everything and PASSWORD not in everything


@pytest.mark.urls("tests.accounts.urls")
def test_refused_access_is_logged_for_signed_in_users_only(client, officer_a, caplog):
    caplog.set_level(logging.INFO, logger="ishc.security")
    client.get("/test/refuse/")  # anonymous: not logged
    client.force_login(officer_a)
    caplog.clear()
    assert client.get("/test/refuse/").status_code == 403
    assert [r.getMessage() for r in caplog.records if r.name == "ishc.security"] == [
        f"access refused status=403 user_id={officer_a.pk} user=officer_a method=GET "
        "path=/test/refuse/"
    ]


def test_anonymous_user_has_no_national_id_rights():
    from accounts.access import can_see_national_id

    assert can_see_national_id(AnonymousUser()) is False


def test_every_export_is_in_the_audit_log(client, officer_a, make):
    club = make.club(province_code="02", code="HG-AUDIT")
    make.member(club)
    make.member(club)
    client.force_login(officer_a)
    assert client.get(reverse("spreadsheets:export", args=["members", "xlsx"])).status_code == 200
    assert client.get(reverse("spreadsheets:export", args=["members", "pdf"])).status_code == 404
    assert (
        client.get(
            reverse("reporting:compliance_export", args=["csv"]) + "?as_of=30/06/2020"
        ).status_code
        == 200
    )
    events = list(AuditEvent.objects.order_by("pk").values_list("username", "action", "detail"))
    assert events == [
        ("officer_a", "export", "members.xlsx: 2 dòng"),
        ("officer_a", "export", "compliance.csv 30/06/2020: 1 dòng"),
    ]
