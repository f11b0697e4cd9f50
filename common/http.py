"""Small helpers for views."""


def form_data(request):
    """``request.POST`` for a POST (even an empty one, so that it is validated), else ``None``."""
    return request.POST if request.method == "POST" else None


#: The largest id a database key holds (a signed 64-bit integer, PostgreSQL's ``bigint``).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A database id from a request value (``"42"`` → 42), or ``None`` for anything else:
    empty, not ASCII digits (``"abc"``, ``"-1"``, ``"²"``, which ``str.isdigit`` accepts and
    ``int`` refuses), 0, or a number past :data:`MAX_ID` (a 23-digit ``?province=`` would
    overflow the column on PostgreSQL and the driver on SQLite)."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
