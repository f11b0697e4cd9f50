"""``{% load submission_status %}``: the home page's panel of reporting deadlines
(``{% submission_deadlines %}``) and the club page's comments of a returned submission
(``{% club_review_comments club %}``), without the clubs app importing this one."""

import datetime

from django import template
from django.utils import timezone

from accounts.access import can_review, province_ids_for

from ..flow import open_comments
from ..models import Period, Status, Submission
from ..status import period_rows

register = template.Library()

#: How far back the board's home looks for provinces late with a period.
LATE_WINDOW = datetime.timedelta(days=366)


@register.inclusion_tag("submissions/home_panel.html", takes_context=True)
def submission_deadlines(context):
    """For an officer: the next deadline of a period that has ended, their provinces still
    missing for it (not submitted, returned or to submit again), the periods of the last year
    they are late with, those changed under a reopening (to submit again), and the comments
    of their returned submissions. For the board and administrators: the provinces late with
    a period whose deadline passed in the last year, and the submissions waiting for
    review."""
    user = context["request"].user
    today = timezone.localdate()
    out = {"reviewer": can_review(user), "today": today}
    if out["reviewer"]:
        late = []
        for period in Period.objects.filter(
            deadline__lt=today, deadline__gte=today - LATE_WINDOW
        ).order_by("-ends_on"):
            late += [(period, r) for r in period_rows(period, user, today, compare=False) if r.late]
        out["late"] = late[:20]
        out["late_count"] = len(late)
        out["waiting"] = list(
            Submission.objects.filter(status=Status.SUBMITTED).select_related("period", "province")
        )
        return out
    period = Period.objects.ended_by(today).filter(deadline__gte=today).order_by("deadline").first()
    out["period"] = period
    if period is not None:
        rows = period_rows(period, user, today, compare=False)
        out["missing"] = [
            r
            for r in rows
            if r.status in (Status.NOT_SUBMITTED, Status.RETURNED)
            or (r.submission and r.submission.must_resubmit)
        ]
    late = []
    for earlier in Period.objects.filter(
        deadline__lt=today, deadline__gte=today - LATE_WINDOW
    ).order_by("-ends_on"):
        late += [(earlier, r) for r in period_rows(earlier, user, today, compare=False) if r.late]
    out["late"] = late
    out["resubmit"] = list(
        Submission.objects.for_user(user)
        .filter(must_resubmit=True)
        .select_related("period", "province")
    )
    out["comments"] = open_comments(province_ids=province_ids_for(user))
    return out


@register.inclusion_tag("submissions/club_comments.html")
def club_review_comments(club):
    """The comments on ``club`` of the latest return of each submission still returned."""
    return {"comments": open_comments(club_ids=[club.pk]), "club": club}
