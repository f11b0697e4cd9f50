"""The admin that remains (for administrators) speaks Vietnamese: the site's own name, the
third-party apps' names and models (django-axes, django-tasks), Django's admin strings its
Vietnamese catalogue lacks, and the field labels of the phase targets."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_index_in_vietnamese(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    for vietnamese in (
        "<title>Quản trị hệ thống | Quản trị CLB LTHTGN</title>",
        "Chuyển đến nội dung chính",
        "Chống dò mật khẩu",
        "Lượt đăng nhập sai",
        "Nhật ký đăng nhập",
        "Việc chạy nền",
        "Kết quả việc chạy nền",
    ):
        assert vietnamese in html, vietnamese
    for english in (
        "Trang quản trị cho Django",
        "Django",
        "Access attempts",
        "Access logs",
        "Task Results",
        "Tasks Database Backend",
        "Skip to main content",
        "Toggle theme",
        "Model name",
    ):
        assert english not in html, english


def test_admin_labels_of_phase_targets(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:reporting_provincetarget_add")).content.decode()
    assert "Giai đoạn:" in html and "Tỉnh/thành phố:" in html
    assert "Phase:" not in html and "Province:" not in html


def test_admin_lists_of_third_party_apps(client, admin_user):
    client.force_login(admin_user)
    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "Bị chặn" in attempts and "Locked Out" not in attempts
    tasks = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    text = tasks.content.decode()
    assert "Sẵn sàng" in text and "Thành công" in text and "Successful" not in text
