"""``{% load loans %}{% club_funds_panel club can_edit %}``: the club page's panel of its two
funds today, without the club app importing this one."""

from django import template
from django.utils import timezone

from ..funds import club_funds
from ..models import FundKind

register = template.Library()


@register.inclusion_tag("loans/club_funds_panel.html")
def club_funds_panel(club, can_edit=False):
    """The figures today of each fund ``club`` set up (``loans.funds.club_funds``) and the
    kinds it has not set up."""
    today = timezone.localdate()
    figures = club_funds(club, today)
    have = {f.fund.kind for f in figures}
    missing = [label for kind, label in FundKind.choices if kind not in have]
    return {"club": club, "funds": figures, "missing": missing, "can_edit": can_edit}
