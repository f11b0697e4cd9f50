"""Friendly error pages in Vietnamese that reveal nothing."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_404_in_vietnamese(client, officer_a):
    client.force_login(officer_a)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Không tìm thấy trang" in text
    # Not Django's technical page, which lists the URL patterns.
    assert "URLconf" not in text and "admin/" not in text


@pytest.mark.urls("tests.accounts.urls")
def test_403_in_vietnamese(client, officer_a):
    client.force_login(officer_a)
    response = client.get("/test/refuse/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


@pytest.mark.urls("tests.accounts.urls")
def test_500_in_vietnamese_reveals_nothing(officer_a):
    client = Client(raise_request_exception=False)
    client.force_login(officer_a)
    response = client.get("/test/fail/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Lỗi hệ thống" in text
    assert "secret detail" not in text and "012345678901" not in text
    assert "RuntimeError" not in text and "Traceback" not in text


def test_csrf_failure_page_in_vietnamese(officer_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Phiên làm việc đã hết hạn" in text
    assert "CSRF" not in text
