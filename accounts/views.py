from django.shortcuts import render


def csrf_failure(request, reason=""):
    """The CSRF failure page (``CSRF_FAILURE_VIEW``): a plain Vietnamese explanation, 403,
    without Django's technical reason."""
    return render(request, "403_csrf.html", status=403)
