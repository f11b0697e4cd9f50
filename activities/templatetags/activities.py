"""``{% load activities %}{% club_meetings club can_edit %}``: the club page's panel of its
monthly meetings (the last 12 months), without the club app importing this one."""

import datetime

from django import template
from django.utils import timezone

from common.dates import months_before

from ..models import Meeting

register = template.Library()


@register.inclusion_tag("activities/club_meetings.html")
def club_meetings(club, can_edit=False):
    """The meetings of ``club`` in the 12 months ending today (count and the latest five) and
    the link to this year's grid."""
    today = timezone.localdate()
    since = months_before(today, 12) + datetime.timedelta(days=1)
    recent = Meeting.objects.filter(club=club, held_on__range=(since, today))
    return {
        "club": club,
        "count": recent.count(),
        "latest": list(recent.order_by("-held_on")[:5]),
        "since": since,
        "year": today.year,
        "can_edit": can_edit,
    }
