"""``python manage.py serve_demo --port 8123``: the demo's development server and background
worker (PDF reports), the last step of ``make demo PORT=8123`` (default port 8000).

Refuses a port already in use, saying so; prints one line with the address once the server
answers ("Sẵn sàng: http://127.0.0.1:8123/ …"); Ctrl+C (or the end of either process) stops
both.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

#: How long the server may take to answer before the command gives up (seconds).
START_TIMEOUT = 120


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def wait_until_answers(host: str, port: int, process, timeout: float = START_TIMEOUT) -> bool:
    """Wait until ``host:port`` accepts a connection (True), or ``process`` ends or
    ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if port_in_use(host, port):
            return True
        time.sleep(0.2)
    return False


class Command(BaseCommand):
    help = "Serve the demo (development server and background worker) and say when it answers."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, host, port, **options):
        if not 0 < port < 65536:
            raise CommandError(f"Cổng {port} không hợp lệ: từ 1 đến 65535.")
        if port_in_use(host, port):
            raise CommandError(
                f"Cổng {port} đang được dùng: chọn cổng khác, ví dụ make demo PORT=8123."
            )
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        # Each in a process group of its own, stopped whole (the server's autoreloader runs it
        # in a child process); a SIGTERM stops them as Ctrl+C does.
        previous = {
            signal.SIGTERM: signal.signal(signal.SIGTERM, lambda *_: sys.exit(0)),
            signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
        }
        worker = subprocess.Popen([*manage, "db_worker"], start_new_session=True)
        server = subprocess.Popen([*manage, "runserver", f"{host}:{port}"], start_new_session=True)
        try:
            if not wait_until_answers(host, port, server):
                raise CommandError(f"Máy chủ không chạy được trên cổng {port}.")
            url = f"http://{host}:{port}/"
            self.stdout.write(
                f"Sẵn sàng: {url} (đăng nhập tại {url}login/; Ctrl+C để dừng).", ending="\n"
            )
            self.stdout.flush()
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (server, worker):
                stop(process)
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def stop(process, grace: float = 10) -> None:
    """End ``process`` and its process group: SIGTERM, then SIGKILL after ``grace`` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
