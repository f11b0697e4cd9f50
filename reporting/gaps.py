"""What a failing criterion would take to pass, in people and in words.

For a share of a kind of people (women, older, poor) the gap is an action the officer can take:
``more`` is the fewest members of the needed kind who would have to join, ``fewer`` the fewest
members of the other kind who would have to leave (``None`` when no number of departures that
leaves at least one member would pass). Women 29 of 50 against 60%: 3 more women, or 2 fewer
men; women 36 of 50 against 70%: 2 more men, or 4 fewer women. For the borrowed criterion it is
the club's existing members who would need to borrow; for the club size, members to recruit or
over the maximum; for "trained and monitored", what is missing.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Criterion, Metric
from .results import Gap


def kind_word(metric: str, needed: bool, n: int, age: int | None, require_improved: bool) -> str:
    """The translated name of ``n`` members of the needed kind (``needed``) or of the other
    kind of a share criterion ("3 nữ" / "3 women", "1 nam" / "1 man")."""
    if metric == Metric.OLDER:
        if needed:
            return ngettext("người cao tuổi", "người cao tuổi", n)
        return ngettext("người dưới %(age)s tuổi", "người dưới %(age)s tuổi", n) % {"age": age}
    if metric == Metric.WOMEN:
        return ngettext("nữ", "nữ", n) if needed else ngettext("nam", "nam", n)
    if metric == Metric.POOR:
        if needed:
            return ngettext(
                "thành viên nghèo, cận nghèo hoặc khó khăn",
                "thành viên nghèo, cận nghèo hoặc khó khăn",
                n,
            )
        return ngettext("thành viên khác", "thành viên khác", n)
    if require_improved:
        if needed:
            return ngettext(
                "thành viên vay vốn có thu nhập cải thiện",
                "thành viên vay vốn có thu nhập cải thiện",
                n,
            )
        return ngettext("thành viên chưa đạt", "thành viên chưa đạt", n)
    if needed:
        return ngettext("thành viên vay vốn", "thành viên vay vốn", n)
    return ngettext("thành viên chưa vay", "thành viên chưa vay", n)


def share_gap(count: int, active: int, low: Fraction | None, high: Fraction | None):
    """``(more, fewer, side)`` for a failing share ``count / active`` against inclusive bounds
    ``low``..``high``, or ``None`` when it passes.

    Below ``low``: ``more`` members of the needed kind joining, or ``fewer`` of the other kind
    leaving. Above ``high``: ``more`` of the other kind joining, or ``fewer`` of the needed
    kind leaving (women 29 of 50 against 60% → 3 more women or 2 fewer men; women 36 of 50
    against 70% → 2 more men or 4 fewer women). ``side`` is ``"low"`` or ``"high"``.
    """
    if low is not None and count * low.denominator < low.numerator * active:
        a, b = low.numerator, low.denominator
        more = -(-(a * active - b * count) // (b - a)) if a < b else None
        fewer = active - (count * b) // a if count else None
        return more, fewer, "low"
    if high is not None and count * high.denominator > high.numerator * active:
        c, d = high.numerator, high.denominator
        more = -(-(count * d) // c) - active if c > 0 else None
        fewer = -(-(count * d - c * active) // (d - c)) if c < d else None
        return more, fewer, "high"
    return None


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


class Rule:
    """A criterion prepared for evaluating many clubs: exact bounds and translated texts,
    computed once (translation lookups are far slower than the arithmetic)."""

    def __init__(self, criterion: Criterion):
        self.criterion = criterion
        self.base = {"code": criterion.code, "label": criterion.label, "metric": criterion.metric}
        self.low = _fraction(criterion.min_share)
        self.high = _fraction(criterion.max_share)
        self.no_members = Gap(None, None, _("Không có thành viên đang sinh hoạt"))
        self.need = _("Cần %(what)s")
        self.or_ = _(" hoặc ")
        self.more = _("thêm %(n)s %(kind)s")
        self.fewer = _("bớt %(n)s %(kind)s")
        self.more_members = _("Cần thêm %(n)s thành viên")
        self.fewer_members = _("Cần bớt %(n)s thành viên")
        self.not_trained = _("chưa được tập huấn")
        months = criterion.monitoring_months
        if months is not None:
            self.not_monitored = ngettext(
                "chưa được giám sát trong %(n)s tháng",
                "chưa được giám sát trong %(n)s tháng",
                months,
            ) % {"n": months}
        self.club_reason = _("CLB %(r)s")
        self.and_ = _(" và ")
        self._kinds = {}

    def kind(self, needed: bool, n: int) -> str:
        """The translated kind word for ``n`` people, cached (see :func:`kind_word`)."""
        key = (needed, n if n < 3 else 3)  # the plural form is settled from 3 on
        word = self._kinds.get(key)
        if word is None:
            c = self.criterion
            word = self._kinds[key] = kind_word(
                c.metric, needed, n, c.age_threshold, c.require_improved
            )
        return word

    def gap_reason(self, more, fewer, side) -> str:
        # Below the bound: more of the needed kind, or fewer of the other; above: the reverse.
        more_needed = side != "high"
        parts = []
        if more is not None:
            parts.append(self.more % {"n": more, "kind": self.kind(more_needed, more)})
        if fewer is not None:
            parts.append(self.fewer % {"n": fewer, "kind": self.kind(not more_needed, fewer)})
        return self.need % {"what": self.or_.join(parts)}

    def training_gap(self, trained: bool, monitored: bool) -> Gap:
        """The gap of a club with members that is not trained, not monitored, or neither."""
        reasons = []
        if not trained:
            reasons.append(self.not_trained)
        if not monitored:
            reasons.append(self.not_monitored)
        return Gap(None, None, self.club_reason % {"r": self.and_.join(reasons)})
