"""The English catalogue: complete, compiled, and used by the pages once a user switches to
English. The msgids are the Vietnamese interface text (``vi`` is the default language)."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"


def read_po(path):
    """``{msgid: [msgstr, ...]}`` for every entry of a .po file but the header, read with a
    small parser (enough for what ``makemessages`` writes). A plural entry is keyed by its
    singular msgid (after its ``msgctxt`` and ``\x04``, if any) and lists each ``msgstr[n]``.
    Fuzzy entries are kept, flagged in ``fuzzy``."""
    entries, fuzzy = {}, set()

    def flush(entry):
        if entry and entry.get("msgid"):
            strs = [entry[k] for k in sorted(k for k in entry if k.startswith("msgstr"))]
            # a msgid with a context is keyed as gettext keys it: "context\x04msgid"
            key = (
                f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
            )
            entries[key] = strs
            if entry.get("fuzzy"):
                fuzzy.add(key)

    entry, field = {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            flush(entry)
            entry, field = {}, None
        elif line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            keyword, _, value = line.partition(" ")
            field = keyword
            entry[field] = ast.literal_eval(value)
    return entries, fuzzy


def test_every_english_msgid_is_translated_and_the_mo_is_up_to_date():
    entries, fuzzy = read_po(EN_PO)
    assert len(entries) > 100
    assert not fuzzy, f"fuzzy entries are not compiled: {sorted(fuzzy)[:5]}"
    untranslated = [msgid for msgid, strs in entries.items() if not all(s.strip() for s in strs)]
    assert not untranslated, untranslated[:10]

    with EN_MO.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    # Keys: "" (the header), msgid for a singular, (msgid, n) for each plural form.
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    assert compiled == set(entries), "django.mo is stale: run manage.py compilemessages"
    for msgid, strs in entries.items():
        if len(strs) == 1:
            assert catalog[msgid] == strs[0], msgid
        else:
            assert [catalog[(msgid, n)] for n in range(len(strs))] == strs, msgid


@pytest.mark.parametrize(
    ("msgid", "english"),
    [
        ("Đăng xuất", "Sign out"),
        ("Hộ cận nghèo", "Near-poor household"),
        ("Tình nguyện viên chăm sóc tại nhà", "Home-care volunteer"),
        ("Bảng điều khiển toàn quốc", "National dashboard"),
        (" hoặc ", " or "),
    ],
)
def test_known_strings_translate_to_english(msgid, english):
    with translation.override("en"):
        assert translation.gettext(msgid) == english
    with translation.override("vi"):
        assert translation.gettext(msgid) == msgid


def test_plural_forms_in_english():
    with translation.override("en"):
        assert translation.ngettext("%(n)s CLB", "%(n)s CLB", 1) % {"n": 1} == "1 club"
        assert translation.ngettext("%(n)s CLB", "%(n)s CLB", 3) % {"n": 3} == "3 clubs"


def test_pages_in_english_after_switching_language(client, board):
    client.force_login(board)
    response = client.get("/")
    assert response.status_code == 200
    assert "Đăng xuất" in response.content.decode()  # Vietnamese by default

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert '<html lang="en"' in html or 'lang="en"' in html
    for english in ("Sign out", "Needs attention", "Active clubs", "Non-compliant clubs"):
        assert english in html, english
    for vietnamese in ("Đăng xuất", "Việc cần chú ý", "CLB đang hoạt động", "CLB chưa đạt chuẩn"):
        assert vietnamese not in html, vietnamese

    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    for english in ("Sign out", "National dashboard", "Club quality"):
        assert english in html, english
    for vietnamese in ("Đăng xuất", "Bảng điều khiển toàn quốc", "Chất lượng CLB"):
        assert vietnamese not in html, vietnamese


def test_browser_language_does_not_override_vietnamese(client, board):
    client.force_login(board)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng xuất" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response["Content-Language"] == "en"


def test_djangos_number_messages_read_well_in_vietnamese():
    """Django's catalogue said "Nhập một số tổng thể." and left a space before the full stop."""
    from django import forms
    from django.utils import translation

    field = forms.IntegerField(min_value=1, max_value=1000000)
    with translation.override("vi"):
        for value, message in (
            ("6,5", "Hãy nhập một số nguyên."),
            ("0", "Giá trị này phải lớn hơn hoặc bằng 1."),
            ("2000000", "Giá trị này phải nhỏ hơn hoặc bằng 1000000."),
        ):
            form = type("F", (forms.Form,), {"n": field})({"n": value})
            assert form.errors["n"] == [message]
