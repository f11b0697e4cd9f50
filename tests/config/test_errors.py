"""The page of an unexpected error: a write that waited out the SQLite demo database's lock (a
large import holding it) gets "busy, try again" (503), any other error the error page (500)."""

from django.db import OperationalError
from django.test import RequestFactory
from django.urls import get_resolver

from config.errors import server_error


def answer(error):
    request = RequestFactory().get("/")
    try:
        raise error
    except Exception:  # noqa: BLE001 (as Django calls handler500: inside the except)
        return server_error(request)


def test_a_locked_database_gets_the_busy_page():
    response = answer(OperationalError("database is locked"))
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "Hệ thống đang bận" in response.content.decode()


def test_another_error_gets_the_error_page():
    response = answer(ValueError("x"))
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode()


def test_the_handler_is_the_project_s():
    assert get_resolver().urlconf_module.handler500 == "config.errors.server_error"
