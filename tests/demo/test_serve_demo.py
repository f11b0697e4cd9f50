"""``make demo PORT=…``: the demo's server and worker on the port asked for, a line with the
address once the server answers, a clear refusal of a port in use."""

import socket
import subprocess
import sys
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.management.commands import serve_demo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_port_in_use_is_refused_saying_so():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError) as refused:
            call_command("serve_demo", port=port)
    assert str(refused.value) == (
        f"Cổng {port} đang được dùng: chọn cổng khác, ví dụ make demo PORT=8123."
    )


def test_the_server_on_the_port_asked_for_and_a_line_when_it_answers(monkeypatch):
    """The server and worker stand-ins: a static HTTP server for ``runserver`` (on the host and
    port the command passes it) and a sleeping process for ``db_worker``."""
    port = free_port()
    started = {}
    real_popen = subprocess.Popen

    def fake_popen(args, **kwargs):
        if "runserver" in args:
            host, _, bound = args[args.index("runserver") + 1].rpartition(":")
            command = [sys.executable, "-m", "http.server", "--bind", host, bound]
            started["server"] = real_popen(command, stdout=subprocess.DEVNULL, **kwargs)
            return started["server"]
        assert "db_worker" in args
        started["worker"] = real_popen(
            [sys.executable, "-c", "import time; time.sleep(600)"], **kwargs
        )
        return started["worker"]

    monkeypatch.setattr(serve_demo.subprocess, "Popen", fake_popen)

    out = StringIO()

    def end_the_server_once_ready():
        # Stands for the user's Ctrl+C once the line is out: the server ends, and the command
        # stops the worker too.
        while "Sẵn sàng" not in out.getvalue():
            threading.Event().wait(0.1)
        started["server"].terminate()

    helper = threading.Thread(target=end_the_server_once_ready, daemon=True)
    helper.start()
    call_command("serve_demo", port=port, stdout=out)
    helper.join(timeout=30)
    assert out.getvalue() == (
        f"Sẵn sàng: http://127.0.0.1:{port}/ "
        f"(đăng nhập tại http://127.0.0.1:{port}/login/; Ctrl+C để dừng).\n"
    )
    assert started["worker"].poll() is not None  # the worker was stopped with the server
    assert not serve_demo.port_in_use("127.0.0.1", port)


def test_a_server_that_cannot_start_is_said(monkeypatch):
    port = free_port()
    real_popen = subprocess.Popen
    monkeypatch.setattr(
        serve_demo.subprocess,
        "Popen",
        lambda args, **kwargs: real_popen([sys.executable, "-c", "pass"], **kwargs),
    )
    with pytest.raises(CommandError) as refused:
        call_command("serve_demo", port=port)
    assert str(refused.value) == f"Máy chủ không chạy được trên cổng {port}."


def test_the_makefile_passes_the_port():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "PORT ?= 8000" in makefile
    assert "manage.py serve_demo --port $(PORT)" in makefile
