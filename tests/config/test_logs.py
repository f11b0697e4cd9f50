"""Forged log lines (issue #15, item 6): a typed user name or a request path holding a line
break is written as one escaped line by every handler, never as a second record."""

import io
import logging
import re

import pytest
from django.urls import reverse

from config.logs import EscapingFormatter, escape_control

FORGED = "INFO ishc.security login user=admin"
# A record starts with the time of the plain format: "2026-12-01 23:30:01,123 LEVEL name ...".
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


def configured(logger_name=""):
    """The handlers of a logger set up by ``config.settings.LOGGING`` (not pytest's capture)."""
    handlers = logging.getLogger(logger_name).handlers
    return [h for h in handlers if not type(h).__module__.startswith("_pytest")]


@pytest.fixture
def written():
    """What the configured console handler writes during the test (its stream swapped)."""
    (console,) = configured()
    stream = io.StringIO()
    old = console.setStream(stream)
    try:
        yield stream
    finally:
        console.setStream(old)


def lines(stream):
    return stream.getvalue().splitlines()


def test_every_configured_handler_escapes():
    """The root handler, and no other handler left behind by Django's default logging (its
    "django" console and mail handlers, runserver's "django.server")."""
    names = ["", "django", "django.request", "django.server", "ishc.security", "axes"]
    handlers = {h for name in names for h in configured(name)}
    assert handlers
    assert all(isinstance(h.formatter, EscapingFormatter) for h in handlers)
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django.server").handlers == []


@pytest.mark.parametrize("breaker", ["\n", "\r", "\r\n"])
def test_typed_user_name_with_a_line_break(db, client, written, breaker):
    username = f"nobody{breaker}{FORGED}"
    client.post(reverse("login"), {"username": username, "password": "wrong-password-1"})
    out = lines(written)
    failed = [line for line in out if "login failed" in line]
    assert len(failed) == 1
    escaped = breaker.replace("\r", "\\r").replace("\n", "\\n")
    assert failed[0].endswith(f"WARNING ishc.security login failed user=nobody{escaped}{FORGED}")
    assert all(RECORD_START.match(line) for line in out)
    assert not any(line.startswith(FORGED) for line in out)


@pytest.mark.parametrize("encoded", ["%0A", "%0D", "%0D%0A"])
def test_path_with_a_line_break(client, officer_a, written, encoded):
    """A signed-in user's 404 is logged twice (the refused access and Django's "Not Found");
    each stays one line."""
    from tests.factories import PASSWORD

    client.login(username=officer_a.username, password=PASSWORD)
    path = "/clubs/x" + encoded + FORGED.replace(" ", "%20")
    assert client.get(path).status_code == 404
    out = lines(written)
    assert len(out) == 3  # the sign-in, the refused access, Django's "Not Found"
    assert all(RECORD_START.match(line) for line in out)
    escaped = encoded.replace("%0D", "\\r").replace("%0A", "\\n")
    assert f"path=/clubs/x{escaped}{FORGED}" in out[1]
    # Django escapes the path of its "Not Found" itself (a backslash and "n"); its backslash is
    # escaped again here, so a typed backslash never reads as an escape.
    twice = escaped.replace("\\", "\\\\")
    assert out[2].endswith(f"WARNING django.request Not Found: /clubs/x{twice}{FORGED}")
    assert not any(line.startswith(FORGED) for line in out)


def test_escape_control_by_hand():
    assert escape_control("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert escape_control("\x1b[31m\x00\x7f\x85") == "\\x1b[31m\\x00\\x7f\\x85"
    assert escape_control("x\u2028y\u2029") == "x\\u2028y\\u2029"
    assert escape_control("C:\\n") == "C:\\\\n"  # a typed backslash-n is not a line break
    assert escape_control("Nguyễn Thị Hoà — 100%") == "Nguyễn Thị Hoà — 100%"


def test_traceback_lines_are_indented_and_escaped():
    formatter = EscapingFormatter("%(levelname)s %(name)s %(message)s")
    try:
        raise ValueError(f"bad\n{FORGED}")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("a\rb",), None)
        import sys

        record.exc_info = sys.exc_info()
    text = formatter.format(record)
    first, *rest = text.split("\n")
    assert first == "ERROR x failed a\\rb"
    assert rest[0] == "  Traceback (most recent call last):"
    assert rest[-2:] == ["  ValueError: bad", f"  {FORGED}"]
    assert all(line.startswith("  ") for line in rest)


def test_gunicorn_logs_escape_the_path():
    from gunicorn.config import Config

    from config.gunicorn_logs import Logger

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '"%(m)s %(U)s" %(s)s')
    logger = Logger(cfg)
    handlers = logger.access_log.handlers + logger.error_log.handlers
    assert handlers and all(isinstance(h.formatter, EscapingFormatter) for h in handlers)
    stream = io.StringIO()
    logger.access_log.handlers[0].setStream(stream)
    logger.access_log.info(cfg.access_log_format, {"m": "GET", "U": f"/x\n{FORGED}", "s": 404})
    assert stream.getvalue() == f'"GET /x\\n{FORGED}" 404\n'
