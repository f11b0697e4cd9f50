"""``{% load submission_status %}``: the home page's panel of reporting deadlines
(``{% submission_deadlines %}``) and the club page's comments of a returned submission
(``{% club_review_comments club %}``) and the national dashboard's count of the provinces'
statuses (``{% submission_summary as_of %}``) and each province's status with the accepted
figures (``{% dashboard_submissions ... as part %}``), without those apps importing this one."""

import datetime

from django import template
from django.db.models import Count
from django.utils import timezone

from accounts.access import can_review, province_ids_for

from ..flow import open_comments
from ..models import Period, Status, Submission
from ..status import dashboard_part, home_summary

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
    summary = home_summary(user, today, LATE_WINDOW)
    reviewer = can_review(user)
    out = {"reviewer": reviewer, "today": today, "summary": summary}
    out["late"] = summary.late[:20]
    out["late_count"] = len(summary.late)
    if not reviewer and summary.any_returned:
        out["comments"] = open_comments(province_ids=province_ids_for(user))
    return out


@register.inclusion_tag("submissions/club_comments.html")
def club_review_comments(club):
    """The comments on ``club`` of the latest return of each submission still returned."""
    return {"comments": open_comments(club_ids=[club.pk]), "club": club}


@register.inclusion_tag("submissions/dashboard_summary.html")
def submission_summary(as_of):
    """For the national dashboard: the period ending on or before ``as_of`` (the latest), how
    many of its provinces are accepted, waiting for review, returned and not submitted (late
    past the deadline), and the link to each province's status."""
    period = Period.objects.ended_by(as_of).order_by("-ends_on").first()
    if period is None:
        return {"period": None}
    counts = dict(
        Submission.objects.filter(period=period)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = period.provinces().count()
    missing = total - sum(counts.values()) + counts.get(Status.NOT_SUBMITTED, 0)
    return {
        "period": period,
        "accepted": counts.get(Status.ACCEPTED, 0),
        "submitted": counts.get(Status.SUBMITTED, 0),
        "returned": counts.get(Status.RETURNED, 0),
        "missing": missing,
        "late": period.is_late(),
    }


@register.simple_tag(takes_context=True)
def dashboard_submissions(context, as_of, phase, report, provinces, accepted_only=False):
    """For the national dashboard's province table: ``submissions.status.dashboard_part`` of
    the latest period ended by ``as_of``, for the criteria of ``report`` (the dashboard's
    engine report) and its live ``provinces`` rows (``reporting.dashboard.province_rows``),
    read at each request (the cached figures of the page do not hold it)."""
    return dashboard_part(
        context["request"].user,
        as_of,
        phase,
        [c.code for c in report.criteria],
        provinces,
        bool(accepted_only),
    )
