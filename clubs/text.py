"""Text rules for Vietnamese names (DESIGN §5).

``normalise_name(" Nguyễn  Thị Hoà ")`` returns ``"Nguyễn Thị Hoà"`` in NFC with single spaces;
``search_key("Nguyễn Thị Hoà")`` returns ``"nguyen thi hoa"``: no diacritics, ``đ`` read as ``d``,
lower case. The search key is stored beside each name so that search behaves the same on SQLite
and PostgreSQL; ``given_name_key`` (the last word's key) is what lists sort by.
"""

import unicodedata


def normalise_name(value: str) -> str:
    """Return ``value`` NFC-normalised, trimmed, with runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def search_key(value: str) -> str:
    """Return the diacritic-free lower-case key of ``value`` ("Đường Hoà" -> "duong hoa")."""
    text = normalise_name(value).replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def given_name_key(value: str) -> str:
    """Return the search key of the given name (the last word), the key Vietnamese lists sort by."""
    words = search_key(value).split()
    return words[-1] if words else ""
