"""Interface language: Vietnamese unless the user chose English with the language switch; and
refused writes shown as messages (:class:`WriteRefusedMiddleware`).

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; officers' browsers are
often set to English, yet the programme's interface is Vietnamese first. This middleware reads
only the language cookie that ``set_language`` writes, and falls back to ``LANGUAGE_CODE``.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation

from common.signals import WriteRefused


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class WriteRefusedMiddleware:
    """A write refused by a ``data_changing`` receiver (an accepted, locked reporting period)
    on a path with no form to show it (a bulk step, a related record saved by a view) is
    shown as the page's error message on the page it was posted from, never as a 500: the
    write's transaction was rolled back or the write never started."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, WriteRefused):
            return None
        for message in exception.messages:
            messages.error(request, message)
        return redirect(request.get_full_path())
