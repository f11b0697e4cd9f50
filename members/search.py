"""Finding members across the provinces a user may see (``Member.objects.for_user``).

One box takes a name, a member code, a phone number or the last digits of a national ID:

- a name matches diacritic-insensitively on the stored search key (``common.text.search_key``),
  each word of the query anywhere in the name ("dung", "Nguyễn Dung" and "THI DUNG" all find
  "Nguyễn Thị Dung"); a word of one or two letters matches the start of a word of the name
  ("an" finds "Lê Văn An" and "Trần Thị Ánh", not "Lan");
- a member code matches exactly, as typed or in capitals ("tv12" finds ``TV12``);
- a phone number matches the stored number (normalised by the imports' rule,
  ``spreadsheets.cells.parse_phone``), only for users who see phones in full
  (``accounts.access.can_see_phone``): the board, who sees them masked, cannot confirm a number
  by searching it;
- four to twelve digits match the end of the national ID (the four digits a mask shows are
  enough).

Every branch uses an index at a million members: the search key's trigram index on PostgreSQL
(migration ``0004``; B-tree prefixes elsewhere), the code's index, the phone's index and the
index on the national ID's last four digits. At most :data:`RESULT_CAP` members are listed,
counted without sorting them all; a broader query says so and asks for more of the name.
"""

import re
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Right

from accounts.access import can_see_phone
from common.text import search_key
from spreadsheets.cells import CellError, parse_phone

#: Members listed for one query at most (40 pages of 25); a broader query asks for more letters.
RESULT_CAP = 1000
PAGE_SIZE = 25
#: The national-ID digits a mask shows, and the fewest a search by ID needs.
ID_TAIL = 4
#: The fewest characters a name search needs (one letter matches half the country).
MIN_NAME_LENGTH = 2


def _name_q(key: str) -> Q | None:
    """Every word of ``key`` (a search key) in the name: words of three letters or more
    anywhere, shorter ones at the start of a word of the name."""
    words = key.split()
    if not words or len(key.replace(" ", "")) < MIN_NAME_LENGTH:
        return None
    q = Q()
    for word in words:
        if len(word) >= 3:
            q &= Q(search_key__contains=word)
        else:
            q &= Q(search_key__startswith=word) | Q(search_key__contains=" " + word)
    return q


def member_search_q(text: str, user) -> Q | None:
    """The condition for the members ``text`` names (see the module), or ``None`` when it can
    name nobody (blank, one letter)."""
    text = (text or "").strip()
    if not text:
        return None
    found = Q(code__in={text, text.upper()})
    name = _name_q(search_key(text))
    if name is not None:
        found |= name
    digits = re.sub(r"[\s.\-()]", "", text)
    if can_see_phone(user) and re.fullmatch(r"\+?\d{8,15}", digits):
        try:
            found |= Q(phone=parse_phone(digits))
        except CellError:
            pass
    if digits.isdigit() and ID_TAIL <= len(digits) <= 12:
        found |= Q(national_id_tail=digits[-ID_TAIL:], national_id__endswith=digits)
    return found


def search_members(queryset, text: str, user):
    """The members of ``queryset`` that ``text`` names, in the order lists use (given name,
    then the whole name), with their club, commune and province loaded; none for a query that
    names nobody."""
    condition = member_search_q(text, user)
    if condition is None:
        return queryset.none()
    return (
        queryset.annotate(national_id_tail=Right("national_id", ID_TAIL))
        .filter(condition)
        .select_related("club__commune", "club__founding_commune", "club__province")
        .order_by("given_name_key", "search_key", "club__code", "pk")
    )


class CappedPaginator(Paginator):
    """Pages of at most :data:`RESULT_CAP` results, counted without sorting every match
    (``more`` is true when there were more)."""

    def __init__(self, object_list, per_page=PAGE_SIZE, cap=RESULT_CAP):
        self.cap = cap
        super().__init__(object_list, per_page)

    @cached_property
    def found(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, self.cap)

    @property
    def more(self) -> bool:
        return self.found > self.cap
