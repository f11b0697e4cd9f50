"""``{% load activities %}{% club_meetings club can_edit %}``: the club page's panel of its
monthly meetings (the last 12 months), without the club app importing this one."""

import datetime

from django import template
from django.utils import timezone

from common.dates import months_before

from ..models import ActivityKind, ActivityRecord, Meeting

register = template.Library()


@register.inclusion_tag("activities/club_meetings.html")
def club_meetings(club, can_edit=False):
    """The meetings of ``club`` in the 12 months ending today (count and the latest five), how
    many activity kinds it ran in those months, and the links to this year's meetings and
    this month's activities."""
    today = timezone.localdate()
    since = months_before(today, 12) + datetime.timedelta(days=1)
    recent = Meeting.objects.filter(club=club, held_on__range=(since, today))
    kinds = ActivityKind.objects.filter(starts_on__lte=today).count()
    held = (
        ActivityRecord.objects.filter(club=club, held=True, month__gte=since.replace(day=1))
        .values("kind")
        .distinct()
        .count()
    )
    return {
        "kinds": kinds,
        "kinds_held": held,
        "club": club,
        "count": recent.count(),
        "latest": list(recent.order_by("-held_on")[:5]),
        "since": since,
        "year": today.year,
        "month": today.month,
        "can_edit": can_edit,
    }
