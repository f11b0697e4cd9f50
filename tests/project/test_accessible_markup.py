"""Markup the accessibility sweep relies on, checked page by page without a browser: the skip
link and the favicon of every page, the tile map's link names, the quick-entry cells' names and
numbers in attributes written without the thousands separator."""

import json
import re
from fractions import Fraction

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from reporting import maps
from spreadsheets import jobs
from spreadsheets.models import ImportJob

pytestmark = pytest.mark.django_db


def test_every_page_has_a_skip_link_to_main_and_a_favicon(client, officer_a):
    client.force_login(officer_a)
    html = client.get(reverse("home")).content.decode()
    body = html[html.index("<body>") :]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skip-link"' in first_link and 'href="#main"' in first_link
    assert '<main id="main"' in html
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    response = client.get(icon)
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
    login = client.get(reverse("login"))  # signed out pages too
    assert 'rel="icon"' in login.content.decode()


def test_tile_links_are_named_from_the_text_they_show():
    svg = maps.tile_map_svg({"01": Fraction(9, 20)}, "post2025", lambda code: f"/p/{code}")
    hanoi = re.search(r'<a [^>]*data-province="01">.*?</a>', svg).group(0)
    assert 'aria-label="Hà Nội, HN 45%"' in hanoi
    # The abbreviation and the share are one text, the share on its own line.
    assert re.search(r"<text [^>]*>HN<tspan [^>]*> 45%</tspan></text>", hanoi)
    caobang = re.search(r'<a [^>]*data-province="04">', svg).group(0)
    assert 'aria-label="Cao Bằng, CB: không có CLB"' in caobang


def test_quick_entry_cells_are_named_by_column_and_row(client, officer_a, make):
    club = make.club()
    client.force_login(officer_a)
    html = client.get(reverse("members:quick", args=[club.pk])).content.decode()
    cell = re.search(r'<input [^>]*name="m-3-full_name"[^>]*>', html).group(0)
    assert 'aria-labelledby="quick-col-full_name quick-row-3"' in cell
    assert 'id="quick-col-full_name"' in html and 'id="quick-row-3">4<' in html
    # The script's added rows: their row number's id comes with the same index.
    template = html[html.index('<template id="quick-row-template">') :]
    assert 'id="quick-row-__prefix__"' in template
    assert 'aria-labelledby="quick-col-sex quick-row-__prefix__"' in template


def test_a_large_jobs_progress_bar_has_plain_numbers(client, officer_a):
    job = ImportJob.objects.create(
        user=officer_a,
        kind="members",
        upload="x.xlsx",
        file_name="x.xlsx",
        mode=ImportJob.Mode.PREVIEW,
        status=ImportJob.Status.RUNNING,
    )
    name = jobs._progress_name(job)
    default_storage.save(name, ContentFile(json.dumps({"read": 12500, "checked": 999}).encode()))
    client.force_login(officer_a)
    html = client.get(reverse("spreadsheets:job", args=[job.pk])).content.decode()
    assert 'max="12500" value="999"' in html
    assert "999 / 12.500" in html  # the text keeps the Vietnamese separator
    default_storage.delete(name)
