"""Small helpers for views."""


def form_data(request):
    """``request.POST`` for a POST (even an empty one, so that it is validated), else ``None``."""
    return request.POST if request.method == "POST" else None
