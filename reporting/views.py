from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from clubs.models import Club
from members.models import Member


@login_required
def home(request):
    """The signed-in user's home page: the clubs and members they may see, today."""
    today = timezone.localdate()
    clubs = Club.objects.for_user(request.user)
    context = {
        "today": today,
        "active_clubs": clubs.active_on(today).count(),
        "active_members": Member.objects.for_user(request.user)
        .active_on(today)
        .filter(club__in=clubs.active_on(today))
        .count(),
    }
    return render(request, "reporting/home.html", context)
