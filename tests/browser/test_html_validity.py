"""The HTML of every swept page (``tests/browser/pages.py``) as each role sees it, and of the
forms sent back with errors, is valid: no error from the Nu HTML checker (``tests/browser/vnu.py``),
and every id that a label, a description or a header names is in the page."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.browser import pages, vnu

pytestmark = pytest.mark.django_db

#: Forms sent empty (or wrong), so that their error messages are checked too.
INVALID_POSTS = [
    ("clubs:create", {}),
    ("members:create", {}),
    ("members:quick", {"m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-0-full_name": "A"}),
    ("loans:create", {}),
    ("training:create", {}),
    ("reports:request", {"phase": "x", "date": "31/02/2020"}),
    ("password_change", {"old_password": "wrong"}),
    ("programme:province_targets", {"clubs": "-3"}),
    ("programme:user_create", {"role": "officer"}),
]


#: Attributes that name other elements of the page by id.
REFERENCES = ("for", "aria-describedby", "aria-labelledby", "aria-controls", "headers", "list")


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.refs, self.depth = set(), [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "template":  # the rows a script adds: their ids are filled in then
            self.depth += 1
        if self.depth:
            return
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in REFERENCES:
            for ref in (attrs.get(name) or "").split():
                self.refs.append(f'{tag} {name}="{ref}"')

    def handle_endtag(self, tag):
        if tag == "template":
            self.depth -= 1


def broken_references(path):
    """The id references (``for``, ``aria-describedby``...) of a page that name no element."""
    parser = _Ids()
    parser.feed(path.read_text())
    return [r for r in parser.refs if r.split('"')[1] not in parser.ids]


def test_every_page_is_valid_html(tmp_path, units):
    objects = pages.build()
    seen = []

    def keep(role, name, response):
        expected = (404,) if name == pages.NOT_FOUND[0] else (200, 400, 403)
        assert response.status_code in expected, (role, name, response.status_code)
        assert response["Content-Type"].startswith("text/html"), (role, name)
        path = tmp_path / f"{role}--{name.replace(':', '-')}.html"
        path.write_bytes(response.content)
        seen.append(path)

    anonymous = Client()
    for name, url in pages.pages(objects, None):
        keep("anonymous", name, anonymous.get(url))
    for role in pages.ROLES:
        client = Client()
        client.force_login(objects.users[role])
        for name, url in pages.pages(objects, role):
            keep(role, name, client.get(url, follow=True))
        for name, data in INVALID_POSTS:
            args = pages.ARGS[name](objects, objects.users[role])
            keep(role, f"{name}-invalid", client.post(reverse(name, args=args), data, follow=True))
        if objects.users[role].can_write:
            for name in pages.UPLOADS:
                file = SimpleUploadedFile(f"{name}.xlsx", pages.upload(name))
                sent = {"kind": "members", "file": file}
                keep(role, name, client.post(reverse("spreadsheets:upload"), sent))

    broken = [f"{path.name}: {ref}" for path in seen for ref in broken_references(path)]
    assert not broken, "references to ids that are not in the page:\n" + "\n".join(broken)

    errors = vnu.check(tmp_path)
    report = [
        f"{e['url'].rsplit('/', 1)[-1]}:{e.get('lastLine')}: {e['message']} «{e.get('extract')}»"
        for e in errors
    ]
    assert not report, f"{len(report)} HTML errors:\n" + "\n".join(report)
