"""Locust users for ``bench/loadtest.py``: signed-in officers and administrators browsing the
workspace (home, club list, club pages) and the dashboards.

On start each user signs in, opens ``/clubs/`` to find a few club pages it may see (links
``/clubs/<pk>/``) and, for an officer, ``/dashboard/`` to learn its province (the redirect to
``/dashboard/province/<code>/``). Then it picks one of its role's pages at random, waits 1–3 s,
and stops after ``MAX_REQUESTS`` requests (bounded load). Requests are named by page pattern
(``/clubs/<pk>/``, ``/dashboard/province/<code>/``) so the percentiles group per page.
"""

import itertools
import os
import random
import re

from locust import HttpUser, between, events, task
from locust.exception import StopUser

# Board and administrators: provinces of the current (post-2025) era with many clubs.
ADMIN_PROVINCES = ["01", "08", "38", "79", "86"]
CLUBS_PER_USER = 5
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS_PER_USER", "150"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
CLUB_LINK = re.compile(r'href="/clubs/(\d+)/"')
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
        self.username = f"bench_{self.role}_{n if n <= officers else n - officers}"
        self.sent = 0
        page = self.client.get("/login/", name="/login/ (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        with self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="/login/ (sign in)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused: {response.status_code}")
                raise StopUser()
        # a few club pages this user may see (an officer's list holds only its province's clubs)
        listing = self.get("/clubs/", "/clubs/")
        found = sorted(set(CLUB_LINK.findall(listing.text))) if listing is not None else []
        if not found:
            raise StopUser()
        self.clubs = random.sample(found, min(CLUBS_PER_USER, len(found)))
        if self.role == "officer":
            # officers are redirected from the national dashboard to their province's
            dashboard = self.get("/dashboard/", "/dashboard/ (officer: redirect)")
            match = dashboard is not None and re.search(
                r"/dashboard/province/(\d{2})/", dashboard.url
            )
            if not match:
                raise StopUser()
            self.provinces = [match.group(1)]
            self.pages = {
                "/": ["/"],
                "/clubs/": ["/clubs/"],
                "/clubs/?q=clb": ["/clubs/?q=clb"],
                "/dashboard/ (officer: redirect)": ["/dashboard/"],
            }
        else:
            self.provinces = ADMIN_PROVINCES
            self.pages = {"/dashboard/": ["/dashboard/"], "/clubs/": ["/clubs/"]}
        self.pages["/clubs/<pk>/"] = [f"/clubs/{pk}/" for pk in self.clubs]
        self.pages["/dashboard/province/<code>/"] = [
            f"/dashboard/province/{code}/" for code in self.provinces
        ]

    def get(self, path, name):
        """GET ``path`` (following redirects); a failure unless it ends in a 200 page that is
        not the sign-in form. Returns the response, or None when it failed."""
        self.sent += 1
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return None
            if "/login/" in response.url:
                response.failure("signed out (redirected to the sign-in form)")
                return None
            return response

    @task
    def browse(self):
        if self.sent >= MAX_REQUESTS:
            raise StopUser()
        # each page of the role equally likely; then one club or province of that page
        name = random.choice(list(self.pages))
        self.get(random.choice(self.pages[name]), name)
