"""Django's own validation messages that its Vietnamese catalogue words badly ("Nhập một số
tổng thể." for a whole number, a space before the full stop of the bounds), listed here so
that the project's catalogue, which Django reads before its own (``LOCALE_PATHS``), words them
again. Never imported: ``makemessages`` reads the strings from this file.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
)
