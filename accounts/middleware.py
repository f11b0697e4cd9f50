"""Responses that may show personal data are never stored by browsers or proxies, and refused
accesses by signed-in users are logged."""

import logging

from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("ishc.security")


def is_download(response) -> bool:
    """A file handed to the browser to save (``Content-Disposition: attachment``)."""
    return response.get("Content-Disposition", "").lower().startswith("attachment")


class PrivacyMiddleware:
    """``Cache-Control: no-store`` (with ``private, no-cache, must-revalidate, max-age=0``) on
    every response to a signed-in user and on every download, whoever asks; views may also use
    Django's ``never_cache`` decorator. Static files (served earlier by whitenoise) keep their
    long cache.

    A 403 or 404 answered to a signed-in user is logged on ``ishc.security`` with the user's id
    and name, the method and the path without query string (queries may hold searched names).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or is_download(response):
            add_never_cache_headers(response)
        if signed_in and response.status_code in (403, 404):
            logger.warning(
                "access refused status=%s user_id=%s user=%s method=%s path=%s",
                response.status_code,
                user.pk,
                user.get_username(),
                request.method,
                request.path,
            )
        return response
