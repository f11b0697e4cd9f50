"""Interface language: Vietnamese unless the user chose English with the language switch.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; officers' browsers are
often set to English, yet the programme's interface is Vietnamese first. This middleware reads
only the language cookie that ``set_language`` writes, and falls back to ``LANGUAGE_CODE``.
"""

from django.conf import settings
from django.utils import translation


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
