"""What a failing criterion would take to pass, in people and in words: an action the officer
can take (the gap rules of the phase standards, Decision 1533/QĐ-TTg, Article 1, §I.2, and
Decision 1336/QĐ-TTg, §I.2, as the programme reads them).

- A share of a kind of people (women, older, poor): ``more`` is the fewest members of the
  needed kind who would have to join, ``fewer`` the fewest members of the other kind who would
  have to leave; either is ``None`` when no such change passes, and ``fewer`` is ``None`` when
  every number of departures that passes would leave no member. Women 29 of 50 against
  60–70%: 3 more women, or 2 fewer men; women 36 of 50: 2 more men, or 4 fewer women; 12 of 12
  aged 60+ against 60–70%: 6 more younger members, no ``fewer``.
- Borrowed (with an improved income where the criterion requires it): the club's existing
  active members who would need to borrow, ⌈share × n⌉ − count; never ``fewer``. 4 of 60
  against 50%: 26 more.
- Club size: members to recruit (``more``), or members over the maximum (``fewer``).
- Trained and monitored: what is missing (training, a monitoring visit, or both) and the date
  from which the last visit stopped counting.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common import formats
from common.dates import window_end

from .models import Criterion, Metric
from .results import Gap


def kind_word(metric: str, needed: bool, n: int, age: int | None) -> str:
    """The translated name of ``n`` members of the needed kind (``needed``) or of the other
    kind of a share criterion ("3 nữ" / "3 women", "1 nam" / "1 man")."""
    if metric == Metric.OLDER:
        if needed:
            return ngettext("người cao tuổi", "người cao tuổi", n)
        return ngettext("người dưới %(age)s tuổi", "người dưới %(age)s tuổi", n) % {"age": age}
    if metric == Metric.WOMEN:
        return ngettext("nữ", "nữ", n) if needed else ngettext("nam", "nam", n)
    if needed:
        return ngettext(
            "thành viên nghèo, cận nghèo hoặc khó khăn",
            "thành viên nghèo, cận nghèo hoặc khó khăn",
            n,
        )
    return ngettext("thành viên khác", "thành viên khác", n)


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


def share_gap(count: int, active: int, low: Fraction | None, high: Fraction | None):
    """``(more, fewer, side)`` for a failing share ``count / active`` (``active`` > 0) against
    inclusive bounds ``low``..``high``, or ``None`` when it passes.

    Below ``low``: ``more`` members of the needed kind joining, or ``fewer`` of the other kind
    leaving. Above ``high``: ``more`` of the other kind joining, or ``fewer`` of the needed
    kind leaving. Each is the fewest that brings the share inside both bounds, or ``None`` when
    none does (a departure must leave at least one member). ``side`` is ``"low"`` or
    ``"high"``. Women 29 of 50 against 60–70% → ``(3, 2, "low")``; 36 of 50 →
    ``(2, 4, "high")``; 12 of 12 → ``(6, None, "high")``.
    """

    below = low is not None and count * low.denominator < low.numerator * active
    if not below and (high is None or count * high.denominator <= high.numerator * active):
        return None  # inside both bounds: the common case, decided without a closure

    def inside(c: int, n: int) -> bool:
        return (
            n > 0
            and (low is None or c * low.denominator >= low.numerator * n)
            and (high is None or c * high.denominator <= high.numerator * n)
        )

    other = active - count
    if below:
        a, b = low.numerator, low.denominator
        # (count + m) / (active + m) >= a/b; impossible at a share of 100% with others present.
        more = _ceil(a * active - b * count, b - a) if a < b else None
        # count / (active - k) >= a/b, removing k <= other of the other kind.
        fewer = active - (count * b) // a if count else None
        side = "low"
    else:
        c, d = high.numerator, high.denominator
        # count / (active + m) <= c/d, adding m of the other kind.
        more = _ceil(count * d, c) - active if c else None
        # (count - k) / (active - k) <= c/d, removing k <= count of the needed kind.
        fewer = _ceil(count * d - c * active, d - c) if other else None
        side = "high"
    if more is not None and not (
        inside(count + more, active + more) if side == "low" else inside(count, active + more)
    ):
        more = None
    if fewer is not None and not (
        inside(count, active - fewer) if side == "low" else inside(count - fewer, active - fewer)
    ):
        fewer = None
    return more, fewer, side


def borrowed_gap(count: int, active: int, low: Fraction | None) -> int | None:
    """How many more of the club's ``active`` members would need to borrow so that
    ``count / active`` reaches ``low``: ⌈low × active⌉ − count (4 of 60 against 50% → 26);
    ``None`` when the share already reaches it."""
    if low is None:
        return None
    needed = _ceil(low.numerator * active, low.denominator)
    return needed - count if needed > count else None


def _fraction(value) -> Fraction | None:
    return None if value is None else Fraction(Decimal(value))


def unmonitored_clubs_label(months: int) -> str:
    """The heading of the clubs not monitored in the window of ``months`` calendar months (the
    criterion's ``monitoring_months``): "CLB chưa được giám sát trong 12 tháng"."""
    return ngettext(
        "CLB chưa được giám sát trong %(n)s tháng",
        "CLB chưa được giám sát trong %(n)s tháng",
        months,
    ) % {"n": months}


def training_status(trained: bool | None, monitored: bool | None, months: int | None) -> str:
    """The short words of a club's "trained and monitored" criterion in a table cell: "đã tập
    huấn và giám sát", "chưa tập huấn", "chưa được giám sát trong 12 tháng" (``months``: the
    criterion's ``monitoring_months``), or both missing; ``""`` when ``trained`` is ``None``
    (another criterion)."""
    if trained is None:
        return ""
    if trained and monitored:
        return _("đã tập huấn và giám sát")
    parts = [] if trained else [_("chưa tập huấn")]
    if not monitored and months is not None:
        parts.append(
            ngettext(
                "chưa được giám sát trong %(n)s tháng",
                "chưa được giám sát trong %(n)s tháng",
                months,
            )
            % {"n": months}
        )
    return "; ".join(parts)


class LazyGap:
    """The :class:`~reporting.results.Gap` of a failing criterion, worked out when first read
    (``more``, ``fewer``, ``reason``, ``as_dict()``), in the language of the :class:`Rule` that
    made it: most results are only summed, and a national computation fails thousands of
    clubs whose gaps no page shows. Equal to the ``Gap`` it stands for; pickled as it."""

    __slots__ = ("_args", "_found", "_make", "_rule")

    def __init__(self, rule: Rule, make, *args):
        self._rule, self._make, self._args, self._found = rule, make, args, None

    def resolve(self) -> Gap:
        if self._found is None:
            with translation.override(self._rule.language):
                self._found = self._make(*self._args)
        return self._found

    @property
    def more(self) -> int | None:
        return self.resolve().more

    @property
    def fewer(self) -> int | None:
        return self.resolve().fewer

    @property
    def reason(self) -> str:
        return self.resolve().reason

    def as_dict(self) -> dict:
        return self.resolve().as_dict()

    def __eq__(self, other):
        if isinstance(other, LazyGap):
            other = other.resolve()
        return self.resolve() == other

    def __hash__(self):
        return hash(self.resolve())

    def __reduce__(self):
        gap = self.resolve()
        return (Gap, (gap.more, gap.fewer, gap.reason))

    def __repr__(self):
        return repr(self.resolve())


class Rule:
    """A criterion prepared for evaluating many clubs: exact bounds and translated texts,
    computed once (translation lookups are far slower than the arithmetic). Each ``*_gap``
    method returns the :class:`~reporting.results.Gap` of a failing club."""

    def __init__(self, criterion: Criterion):
        self.criterion = criterion
        self.language = translation.get_language()
        self.base = {"code": criterion.code, "label": criterion.label, "metric": criterion.metric}
        self.low = _fraction(criterion.min_share)
        self.high = _fraction(criterion.max_share)
        self.no_members = Gap(None, None, _("Không có thành viên đang sinh hoạt"))
        self.need = _("Cần %(what)s")
        self.or_ = _(" hoặc ")
        self.more = _("thêm %(n)s %(kind)s")
        self.fewer = _("bớt %(n)s %(kind)s")
        self.above_max = _("Tỷ lệ vượt mức tối đa")
        self._kinds = {}
        self._texts = {}
        self._days = {}

    def later(self, make, *args) -> LazyGap:
        """The gap ``make(*args)`` (one of the ``*_gap`` methods), worked out when read."""
        return LazyGap(self, make, *args)

    def within(self, count: int, active: int) -> bool:
        """Whether the share ``count / active`` (``active`` > 0) is inside the inclusive
        bounds, compared exactly."""
        low, high = self.low, self.high
        return (low is None or count * low.denominator >= low.numerator * active) and (
            high is None or count * high.denominator <= high.numerator * active
        )

    def kind(self, needed: bool, n: int) -> str:
        """The translated kind word for ``n`` people, cached (see :func:`kind_word`)."""
        key = (needed, n if n < 3 else 3)  # the plural form is settled from 3 on
        word = self._kinds.get(key)
        if word is None:
            c = self.criterion
            word = self._kinds[key] = kind_word(c.metric, needed, n, c.age_threshold)
        return word

    def _plural(self, key: str, n: int, lookup) -> str:
        """``lookup() % {"n": n}``, ``lookup`` being an ``ngettext`` call for ``n``; its result
        is cached per message ``key`` and plural form."""
        cache_key = (key, n if n < 3 else 3)
        text = self._texts.get(cache_key)
        if text is None:
            text = self._texts[cache_key] = lookup()
        return text % {"n": n}

    def share_gap(self, count: int, active: int) -> Gap | None:
        """The gap of a share of a kind of people (women, older, poor), ``None`` when it
        passes (:func:`share_gap`)."""
        found = share_gap(count, active, self.low, self.high)
        if found is None:
            return None
        more, fewer, side = found
        # Below the bound: more of the needed kind, or fewer of the other; above: the reverse.
        more_needed = side != "high"
        parts = []
        if more is not None:
            parts.append(self.more % {"n": more, "kind": self.kind(more_needed, more)})
        if fewer is not None:
            parts.append(self.fewer % {"n": fewer, "kind": self.kind(not more_needed, fewer)})
        if not parts:  # no number of members joining or leaving would pass
            return Gap(None, None, _("Không thể đạt bằng cách thêm hoặc bớt thành viên"))
        return Gap(more, fewer, self.need % {"what": self.or_.join(parts)})

    def borrowed_gap(self, count: int, active: int) -> Gap | None:
        """The gap of the borrowed criterion: existing members who would need to borrow (with
        an improved income where the criterion requires it); ``None`` when it passes."""
        more = borrowed_gap(count, active, self.low)
        if more is not None:
            if self.criterion.require_improved:
                reason = self._plural(
                    "borrow_improved",
                    more,
                    lambda: ngettext(
                        "Cần thêm %(n)s thành viên được vay vốn và cải thiện thu nhập",
                        "Cần thêm %(n)s thành viên được vay vốn và cải thiện thu nhập",
                        more,
                    ),
                )
            else:
                reason = self._plural(
                    "borrow",
                    more,
                    lambda: ngettext(
                        "Cần thêm %(n)s thành viên được vay vốn",
                        "Cần thêm %(n)s thành viên được vay vốn",
                        more,
                    ),
                )
            return Gap(more, None, reason)
        high = self.high
        if high is not None and count * high.denominator > high.numerator * active:
            return Gap(None, None, self.above_max)
        return None

    def size_gap(self, active: int) -> Gap | None:
        """The gap of the club-size criterion (``min_count``..``max_count`` active members):
        members to recruit, or members over the maximum; ``None`` when it passes."""
        low, high = self.criterion.min_count, self.criterion.max_count
        if low is not None and active < low:
            n = low - active
            reason = self._plural(
                "recruit",
                n,
                lambda: ngettext(
                    "Cần kết nạp thêm %(n)s thành viên", "Cần kết nạp thêm %(n)s thành viên", n
                ),
            )
            return Gap(n, None, reason)
        if high is not None and active > high:
            n = active - high
            reason = self._plural(
                "over",
                n,
                lambda: ngettext(
                    "Vượt mức tối đa %(n)s thành viên", "Vượt mức tối đa %(n)s thành viên", n
                ),
            )
            return Gap(None, n, reason)
        return None

    def training_gap(self, trained: bool, monitored: bool, last_visit: datetime.date | None) -> Gap:
        """The gap of a club with members that is not trained, not monitored, or neither:
        what is missing, and for a visit that no longer counts, the day it stopped counting
        ("Chưa có lần giám sát trong 12 tháng; lần gần nhất 01/03/2020 hết tính từ
        01/03/2021"). ``last_visit`` is the latest visit on or before D."""
        reasons = []
        if not trained:
            reasons.append(_("chưa được tập huấn"))
        if not monitored:
            reasons.append(self._lapsed(last_visit))
        text = "; ".join(reasons)
        return Gap(None, None, text[:1].upper() + text[1:])

    def _day(self, day: datetime.date) -> str:
        """``formats.day(day)``, cached (formatting is slow next to the arithmetic)."""
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = formats.day(day)
        return text

    def _lapsed(self, last_visit: datetime.date | None) -> str:
        """The words for a club whose last visit (``None``: never) no longer counts, cached
        per visit date (many clubs share one)."""
        text = self._texts.get(("lapsed", last_visit))
        if text is not None:
            return text
        months = self.criterion.monitoring_months
        if last_visit is None:
            text = _("chưa có lần giám sát nào")
        else:
            text = ngettext(
                "chưa có lần giám sát trong %(n)s tháng; lần gần nhất %(last)s hết tính "
                "từ %(until)s",
                "chưa có lần giám sát trong %(n)s tháng; lần gần nhất %(last)s hết tính "
                "từ %(until)s",
                months,
            ) % {
                "n": months,
                "last": self._day(last_visit),
                "until": self._day(window_end(last_visit, months)),
            }
        self._texts[("lapsed", last_visit)] = text
        return text
