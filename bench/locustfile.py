"""Locust users for ``bench/loadtest.py``: signed-in officers and administrators browsing.

Extend ``PAGES`` as pages arrive (dashboards, club pages): each role picks one of its pages at
random, waits 1–3 s, and stops after ``MAX_REQUESTS`` requests (bounded load).
"""

import itertools
import os
import random
import re

from locust import HttpUser, between, events, task
from locust.exception import StopUser

PAGES = {
    # Provincial officers: their province's data (admin lists are scoped with ``for_user``).
    "officer": [
        "/",
        "/admin/clubs/club/",
        "/admin/clubs/club/?q=clb+lien+the+he+1",
        "/admin/members/member/",
        "/admin/members/member/?q=nguyen+thi+12",
    ],
    # Administrators: national lists.
    "admin": [
        "/",
        "/admin/",
        "/admin/clubs/club/",
        "/admin/reporting/phase/",
        "/admin/accounts/auditevent/",
    ],
}
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS_PER_USER", "150"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
_numbers = itertools.count(1)
_times: list[tuple[str, float, bool]] = []


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    _times.append((name, response_time, exception is None))


@events.quitting.add_listener
def _write_times(environment, **kwargs):
    """Every request's page, time (ms) and success, for ``loadtest.py``'s percentiles."""
    path = os.environ.get("LOAD_TIMES_FILE")
    if path:
        with open(path, "w") as f:
            f.writelines(f"{name}\t{ms:.1f}\t{int(ok)}\n" for name, ms, ok in _times)


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--officers", type=int, default=40, help="officer accounts bench_officer_N")


class Browser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        n = next(_numbers)
        officers = self.environment.parsed_options.officers
        self.role = "officer" if n <= officers else "admin"
        username = f"bench_{self.role}_{n if n <= officers else n - officers}"
        page = self.client.get("/login/", name="/login/ (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.client.post(
            "/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="/login/ (sign in)",
        )
        if response.status_code != 302:
            response.failure(f"sign-in refused: {response.status_code}")
            raise StopUser()
        self.sent = 0

    @task
    def browse(self):
        if self.sent >= MAX_REQUESTS:
            raise StopUser()
        self.sent += 1
        path = random.choice(PAGES[self.role])
        with self.client.get(path, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
