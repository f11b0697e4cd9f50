"""The kinds of spreadsheet data, found in each app's ``resources.py`` by autodiscovery."""

from spreadsheets import registry


def test_every_kind_is_found_in_its_own_app():
    found = [(k.key, k.resource.__module__, k.file_name) for k in registry.kinds()]
    assert found == [
        ("clubs", "clubs.resources", "danh-sach-clb"),
        ("members", "members.resources", "danh-sach-thanh-vien"),
        ("loans", "loans.resources", "danh-sach-khoan-vay"),
        ("training", "training.resources", "danh-sach-tap-huan"),
        ("monitoring", "training.resources", "danh-sach-giam-sat"),
        ("meetings", "activities.resources", "sinh-hoat-clb"),
    ]


def test_an_unknown_kind_is_a_key_error():
    try:
        registry.get("funds")
    except KeyError:
        return
    raise AssertionError("an unknown kind must raise KeyError")
